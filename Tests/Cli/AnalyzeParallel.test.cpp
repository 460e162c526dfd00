// CueGrid — GPL-3.0-or-later
// `cuegrid analyze` analyses files on several threads (--jobs, default one per hardware
// thread); its outputs must not depend on how many: the same JSON, report and processed
// copies, byte for byte, as a run on one thread.
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

using namespace cuegrid::test;

namespace
{
    /** The report without its "Generated:" time line, the only line that may differ. */
    std::string reportWithoutTime (const std::filesystem::path& file)
    {
        return std::regex_replace (readText (file), std::regex ("Generated: [^\n]*\n"), "");
    }

    /** sessionprep.json without its timestamp. */
    std::string sessionPrepWithoutTime (const std::filesystem::path& file)
    {
        return std::regex_replace (readText (file), std::regex ("\"timestamp\": \"[^\"]*\""), "");
    }

    std::string bytesOf (const std::filesystem::path& file)
    {
        std::ifstream in (file, std::ios::binary);
        return { std::istreambuf_iterator<char> (in), std::istreambuf_iterator<char>() };
    }
} // namespace

TEST_CASE ("analyze on several threads writes the same JSON, report and copies as on one thread", "[analysis][parallel]")
{
    TemporaryFolder work ("analyze-parallel");
    // A broken file among them: its error track must land in the same place too.
    const auto broken = work / "broken.wav";
    {
        std::ofstream out (broken, std::ios::binary);
        out << "RIFF but not a wave file";
    }
    const auto inputs = quote (dataPath ("corpus").string()) + " " + quote (dataPath ("synthetic").string()) + " " + quote (broken.string());

    for (const std::string classifier : { "sessionprep", "cuegrid" })
    {
        INFO (classifier);
        std::map<int, std::filesystem::path> folders;
        for (const int jobs : { 1, 2, 5 })
        {
            const auto folder = work / (classifier + "-" + std::to_string (jobs));
            std::filesystem::create_directories (folder);
            folders[jobs] = folder;
            const auto result = run (quote (cliPath()) + " analyze --classifier " + classifier + " " + inputs + " --jobs " + std::to_string (jobs)
                                     + " --json " + quote ((folder / "out.json").string()) + " --report " + quote ((folder / "out.txt").string())
                                     + " --write " + quote ((folder / "copies").string()));
            INFO (result.output);
            REQUIRE (result.exitCode == 0);
        }
        const auto serial = folders[1];
        const auto serialJson = readText (serial / "out.json");
        REQUIRE (serialJson.find ("broken.wav") != std::string::npos);
        for (const int jobs : { 2, 5 })
        {
            INFO ("--jobs " << jobs);
            const auto folder = folders[jobs];
            CHECK (readText (folder / "out.json") == serialJson);
            CHECK (reportWithoutTime (folder / "out.txt") == reportWithoutTime (serial / "out.txt"));
            CHECK (sessionPrepWithoutTime (folder / "copies" / "sessionprep.json") == sessionPrepWithoutTime (serial / "copies" / "sessionprep.json"));
            int copies = 0;
            for (const auto& entry : std::filesystem::directory_iterator (serial / "copies"))
            {
                if (entry.path().extension() == ".json")
                    continue;
                INFO (entry.path().filename().string());
                const auto other = folder / "copies" / entry.path().filename();
                REQUIRE (std::filesystem::exists (other));
                CHECK (bytesOf (other) == bytesOf (entry.path()));
                ++copies;
            }
            CHECK (copies >= 20);
        }
    }
}

TEST_CASE ("analyze --jobs refuses 0 and counts above 256", "[analysis][parallel][errors]")
{
    for (const std::string jobs : { "0", "257", "two" })
    {
        const auto result = run (quote (cliPath()) + " analyze " + quote (dataPath ("corpus").string()) + " --jobs " + jobs);
        INFO (result.output);
        CHECK (result.exitCode == 2);
    }
}
