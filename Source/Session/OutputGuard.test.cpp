// CueGrid — GPL-3.0-or-later
#include "OutputGuard.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <unistd.h>

using namespace cuegrid;

TEST_CASE ("OutputGuard refuses an input under any name, and an output claimed twice", "[outputs][guard]")
{
    test::TemporaryFolder folder ("guard");
    test::writeText (folder / "show.cuegrid", "{}");
    test::writeText (folder / "kick.wav", "RIFF");
    std::filesystem::create_directory (folder / "sub");
    REQUIRE (::link ((folder / "kick.wav").c_str(), (folder / "hardlink.wav").c_str()) == 0);
    std::filesystem::create_symlink ("../show.cuegrid", folder / "sub" / "link.cuegrid");

    Session session;
    session.clips = { { "kick", "kick.wav" }, { "gone", "missing/gone.wav" } };
    OutputGuard guard;
    guard.protectSession ((folder / "show.cuegrid").string(), session);

    auto refusal = [&] (const std::filesystem::path& output)
    {
        try
        {
            guard.claimOutput (output, "--out");
        }
        catch (const ProtectedOutputError& error)
        {
            return std::string (error.what());
        }
        return std::string();
    };

    CHECK_THAT (refusal (folder / "show.cuegrid"), Catch::Contains ("refused as the output of --out: it is the session"));
    CHECK_THAT (refusal (folder / "sub" / ".." / "show.cuegrid"), Catch::Contains ("it is the session"));
    CHECK_THAT (refusal (folder / "sub" / "link.cuegrid"), Catch::Contains ("it is the session"));
    CHECK_THAT (refusal (folder / "hardlink.wav"), Catch::Contains ("it is the media of clip 'kick'"));
    CHECK_THAT (refusal (folder / "missing" / "gone.wav"), Catch::Contains ("it is the media of clip 'gone'"));
    CHECK_THAT (refusal (folder / "show.cuegrid.db"), Catch::Contains ("it is the session database"));
    CHECK_THAT (refusal (folder / "show.cuegrid"), Catch::EndsWith ("nothing was written"));

    CHECK (refusal (folder / "out.wav").empty());                       // claimed now
    CHECK_THAT (refusal (folder / "sub" / ".." / "out.wav"), Catch::Contains ("it is also the output of --out"));
    CHECK (guard.conflictOf (folder / "other.wav").empty());
}
