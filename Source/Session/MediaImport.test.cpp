// CueGrid — GPL-3.0-or-later
// What import (a drop from a file manager, Import…) accepts, on real corpus files and files
// made broken here.
#include "MediaImport.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <fstream>

using namespace cuegrid;
namespace fs = std::filesystem;

TEST_CASE ("checkImportFile passes corpus audio with its header facts and names what is wrong with the rest", "[import]")
{
    const auto kick = checkImportFile (test::dataPath ("corpus/p01_sonicpi_heavy_kick.wav"));
    REQUIRE (kick.ok);
    CHECK (kick.error.empty());
    CHECK (kick.warning.empty());
    CHECK (kick.info.channels == 1);
    CHECK (kick.info.samplerate == 44100);
    CHECK (kick.info.frames > 0);

    const auto text = checkImportFile (test::dataPath ("corpus/README.md"));
    CHECK_FALSE (text.ok);
    CHECK (text.error.find ("README.md") != std::string::npos);

    test::TemporaryFolder folder ("media-import");
    const auto missing = checkImportFile (folder / "gone.wav");
    CHECK_FALSE (missing.ok);
    CHECK (missing.error.find ("gone.wav") != std::string::npos);

    CHECK_FALSE (checkImportFile (folder.path).ok);   // a folder is not a media file

    // A WAV cut short: imported (it plays what it holds), with a warning saying how much is gone.
    const auto source = test::dataPath ("corpus/p03_colombo_snare.wav");
    const auto size = fs::file_size (source);
    fs::copy_file (source, folder / "cut.wav");
    fs::resize_file (folder / "cut.wav", size / 2);
    const auto cut = checkImportFile (folder / "cut.wav");
    REQUIRE (cut.ok);
    CHECK (cut.warning.find ("truncated") != std::string::npos);
}

TEST_CASE ("importLabel and expandImportPaths: labels from names, folders as their audio files in name order, each file once", "[import]")
{
    CHECK (importLabel ("/media/p01_sonicpi_heavy_kick.wav") == "p01 sonicpi heavy kick");
    CHECK (importLabel ("Walk In.flac") == "Walk In");

    test::TemporaryFolder folder ("media-import-paths");
    for (const auto* name : { "b.wav", "a.WAV", "c.flac", "notes.txt", "d.ogg" })
        std::ofstream (folder / name) << "x";
    fs::create_directory (folder / "sub");
    std::ofstream (folder / "sub" / "e.wav") << "x";

    const auto single = folder / "notes.txt";
    const auto expanded = expandImportPaths ({ single, folder.path, folder / "b.wav" });
    std::vector<std::string> names;
    for (const auto& path : expanded)
        names.push_back (path.filename().string());
    // The text file given by name stays (checkImportFile rejects it with a reason); the
    // folder gives its audio files only, top level, sorted; b.wav is not listed twice.
    CHECK (names == std::vector<std::string> { "notes.txt", "a.WAV", "b.wav", "c.flac", "d.ogg" });
}
