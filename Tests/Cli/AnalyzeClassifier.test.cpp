// CueGrid — GPL-3.0-or-later
// The CueGrid classifier against the public human labels (Tests/data/corpus/LABELS.csv):
// every labelled transient/sustained file right (edge rows by their content= note), strictly
// more right than the reference rule, and each decision explained by its measures.
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>

using namespace cuegrid::test;
using Json = nlohmann::json;

namespace
{
    /** One CSV record, RFC 4180 quoting. */
    std::vector<std::string> splitCsv (const std::string& line)
    {
        std::vector<std::string> fields (1);
        bool quoted = false;
        for (size_t i = 0; i < line.size(); ++i)
        {
            const auto c = line[i];
            if (c == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"') { fields.back() += '"'; ++i; }
            else if (c == '"') quoted = ! quoted;
            else if (c == ',' && ! quoted) fields.emplace_back();
            else fields.back() += c;
        }
        return fields;
    }

    /** file → "transient" / "sustained": the label, or for edge rows the content= note. */
    std::map<std::string, std::string> expectedClasses()
    {
        std::map<std::string, std::string> classes;
        const auto text = readText (dataPath ("corpus/LABELS.csv"));
        size_t start = text.find ('\n') + 1;   // skip the header
        while (start < text.size())
        {
            auto end = text.find ('\n', start);
            if (end == std::string::npos) end = text.size();
            const auto fields = splitCsv (text.substr (start, end - start));
            start = end + 1;
            if (fields.size() < 6)
                continue;
            auto label = fields[4];
            if (label == "edge")
            {
                const auto content = fields[5].find ("content=");
                label = content == std::string::npos ? "" : fields[5].substr (content + 8, fields[5].find (';', content) - content - 8);
            }
            if (label == "transient" || label == "sustained")
                classes[fields[0]] = label;
        }
        return classes;
    }

    Json analyse (const std::string& classifier, TemporaryFolder& work)
    {
        const auto out = work / (classifier + ".json");
        const auto result = run (quote (cliPath()) + " analyze --classifier " + classifier + " "
                                 + quote (dataPath ("corpus").string()) + " --json " + quote (out.string()));
        INFO (result.output);
        REQUIRE (result.exitCode == 0);
        return Json::parse (readText (out));
    }
} // namespace

TEST_CASE ("The cuegrid classifier agrees with the public labels and beats the reference rule", "[analysis][classifier]")
{
    TemporaryFolder work ("analyze-classifier");
    const auto expected = expectedClasses();
    REQUIRE (expected.size() >= 10);   // 8 labelled + edge rows with a content class

    std::map<std::string, int> right;
    for (const auto* classifier : { "sessionprep", "cuegrid" })
    {
        const auto root = analyse (classifier, work);
        CHECK (root["classifier"] == classifier);
        for (const auto& track : root["tracks"])
        {
            const auto name = track["filename"].get<std::string>();
            const auto found = expected.find (name);
            if (found == expected.end())
                continue;
            const auto transient = track["classification"].get<std::string>().rfind ("Transient", 0) == 0;
            const bool agrees = transient == (found->second == "transient");
            right[classifier] += agrees ? 1 : 0;
            if (std::string (classifier) == "cuegrid")
            {
                INFO (name << ": " << track["classification_reason"].get<std::string>());
                CHECK (agrees);
                // Explainable: the reason names the measures that decided.
                CHECK (track["classification_reason"].get<std::string>().find ("onset") != std::string::npos);
            }
        }
    }
    INFO ("sessionprep " << right["sessionprep"] << ", cuegrid " << right["cuegrid"] << " of " << expected.size());
    CHECK (right["cuegrid"] == (int) expected.size());
    CHECK (right["cuegrid"] > right["sessionprep"]);
}

TEST_CASE ("The cuegrid classifier is the default and reads multi-hit material", "[analysis][classifier]")
{
    TemporaryFolder work ("analyze-default");
    const auto out = work / "a.json";
    const auto result = run (quote (cliPath()) + " analyze " + quote (dataPath ("synthetic/01_Kick.wav").string()) + " "
                             + quote (dataPath ("corpus/p04_lmms_breakbeat.wav").string()) + " --json " + quote (out.string()));
    REQUIRE (result.exitCode == 0);
    const auto root = Json::parse (readText (out));
    CHECK (root["classifier"] == "cuegrid");
    for (const auto& track : root["tracks"])
    {
        INFO (track["filename"].get<std::string>() << ": " << track["classification_reason"].get<std::string>());
        CHECK (track["classification"] == "Transient");
        CHECK (track["onsets"]["percussive"].get<int>() >= 2);   // judged over many hits, not one
    }
}
