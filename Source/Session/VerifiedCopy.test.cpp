// CueGrid — GPL-3.0-or-later
#include "VerifiedCopy.h"

#include "Errors.h"
#include "NewSession.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

using namespace cuegrid;
namespace fs = std::filesystem;

TEST_CASE ("copyMediaFileVerified: a whole verified copy or none, never over a file", "[verifiedcopy][mediafolder]")
{
    test::TemporaryFolder folder ("verified-copy");
    const auto source = test::dataPath ("corpus/p04_lmms_breakbeat.wav");
    const auto target = folder / "sub" / "beat.wav";
    std::atomic<bool> cancel { false };
    std::atomic<std::uintmax_t> bytes { 0 };
    REQUIRE (copyMediaFileVerified (source, target, cancel, &bytes));
    CHECK (bytes.load() == fs::file_size (source));
    CHECK (hashMediaFile (target) == hashMediaFile (source));
    CHECK (hashMediaFile (target).has_value());
    CHECK (! fs::exists (target.string() + ".part"));

    // A target that exists is never replaced.
    test::writeText (folder / "taken.wav", "someone else's");
    CHECK_THROWS_AS (copyMediaFileVerified (source, folder / "taken.wav", cancel), OutputError);
    CHECK (test::readText (folder / "taken.wav") == "someone else's");
    CHECK (! fs::exists (folder / "taken.wav.part"));

    // Cancelled: nothing left.
    cancel = true;
    CHECK_FALSE (copyMediaFileVerified (source, folder / "cancelled.wav", cancel));
    CHECK (! fs::exists (folder / "cancelled.wav"));
    CHECK (! fs::exists (folder / "cancelled.wav.part"));

    // An unreadable source says so.
    cancel = false;
    CHECK_THROWS_AS (copyMediaFileVerified (folder / "missing.wav", folder / "x.wav", cancel), OutputError);
}

TEST_CASE ("collectMediaFile: copies into the media folder once, another content under another name", "[verifiedcopy][mediafolder]")
{
    test::TemporaryFolder folder ("collect-media");
    const auto media = folder / "show Media";
    fs::create_directories (folder / "a");
    fs::create_directories (folder / "b");
    fs::copy_file (test::dataPath ("corpus/p01_sonicpi_heavy_kick.wav"), folder / "a" / "kick.wav");
    fs::copy_file (test::dataPath ("corpus/p03_colombo_snare.wav"), folder / "b" / "kick.wav");   // same name, other content

    const auto first = collectMediaFile (folder / "a" / "kick.wav", media);
    CHECK (first == media / "kick.wav");
    CHECK (hashMediaFile (first) == hashMediaFile (folder / "a" / "kick.wav"));
    CHECK (collectMediaFile (folder / "a" / "kick.wav", media) == first);          // the same content: used again
    const auto other = collectMediaFile (folder / "b" / "kick.wav", media);
    CHECK (other == media / "kick-2.wav");
    CHECK (hashMediaFile (other) == hashMediaFile (folder / "b" / "kick.wav"));
    CHECK (collectMediaFile (first, media) == first);                                // already inside
    CHECK (hashMediaFile (folder / "a" / "kick.wav").has_value());                   // the original stays
}

TEST_CASE ("collectOnImportFolder: the media folder only when the session collects", "[verifiedcopy][mediafolder]")
{
    test::TemporaryFolder folder ("collect-setting");
    const auto session = (folder / "show.cuegrid").string();
    createSessionFiles (session, (folder / "show Media").string());
    CHECK (collectOnImportFolder (session).empty());
    setCollectOnImport (session, true);
    CHECK (collectOnImportFolder (session) == folder / "show Media");
    setCollectOnImport (session, false);
    CHECK (collectOnImportFolder (session).empty());
    CHECK (collectOnImportFolder ((folder / "none.cuegrid").string()).empty());
}
