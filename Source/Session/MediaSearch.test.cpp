// CueGrid — GPL-3.0-or-later
// Missing media searched by content, properties and name through the places docs/media.md
// lists: a renamed file is certain by its hash, a file of equal properties and a same-named
// file of other content are only candidates (with what differs, mono/stereo included), and the
// last known good folder finds media a moved session left behind.
#include "Session/MediaSearch.h"

#include "Analysis/ContentHash.h"
#include "Session/MediaFacts.h"
#include "Session/MetadataDatabase.h"
#include "Session/SessionModel.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>

using namespace cuegrid;
using namespace cuegrid::test;

namespace
{
    Session showOf (const std::vector<std::pair<std::string, std::string>>& clips)
    {
        Session show;
        for (const auto& [id, file] : clips)
        {
            ClipDefinition clip;
            clip.id = id;
            clip.file = file;
            show.clips.push_back (clip);
        }
        return show;
    }

    void copyCorpus (const char* name, const std::filesystem::path& to)
    {
        std::filesystem::create_directories (to.parent_path());
        std::filesystem::copy_file (dataPath ("corpus/") / name, to);
    }

    const MissingClipSearch& clipIn (const MediaSearchResult& result, const std::string& id)
    {
        for (const auto& clip : result.clips)
            if (clip.clipId == id)
                return clip;
        FAIL ("no search for clip " << id);
        throw std::logic_error ("unreachable");
    }
} // namespace

TEST_CASE ("Missing media candidates are ranked by hash, then properties, then name, and only a hash is certain", "[session][relink][search]")
{
    TemporaryFolder work ("media-search");
    const auto session = (work / "show" / "show.cuegrid").string();
    copyCorpus ("p01_sonicpi_heavy_kick.wav", work / "show" / "media" / "p01_sonicpi_heavy_kick.wav");
    copyCorpus ("p05_lmms_e_organ.wav", work / "show" / "media" / "p05_lmms_e_organ.wav");
    const auto show = showOf ({ { "kick", "media/p01_sonicpi_heavy_kick.wav" }, { "organ", "media/p05_lmms_e_organ.wav" } });
    MetadataDatabase database (MetadataDatabase::pathForSession (session));
    database.setSetting ("mediaFolder", "media");
    refreshMediaFacts (database, show, session);
    CHECK (searchMissingMedia (database, show, session, {}).clips.empty());

    // The kick is renamed in a renamed media folder; the organ is gone. Beside them: the
    // kick's bytes with one sample changed (equal properties), and decoys named like the
    // missing files holding the snare (stereo 44.1 kHz, other content).
    std::filesystem::rename (work / "show" / "media", work / "show" / "Media 2026");
    std::filesystem::rename (work / "show" / "Media 2026" / "p01_sonicpi_heavy_kick.wav", work / "show" / "Media 2026" / "KICK v2.wav");
    std::filesystem::remove (work / "show" / "Media 2026" / "p05_lmms_e_organ.wav");
    std::filesystem::copy_file (work / "show" / "Media 2026" / "KICK v2.wav", work / "show" / "Media 2026" / "almost.wav");
    {
        std::fstream almost (work / "show" / "Media 2026" / "almost.wav", std::ios::in | std::ios::out | std::ios::binary);
        almost.seekp (2000);
        almost.put ('\x11');
    }
    copyCorpus ("p03_colombo_snare.wav", work / "decoys" / "p01_sonicpi_heavy_kick.wav");
    copyCorpus ("p03_colombo_snare.wav", work / "decoys" / "p05_lmms_e_organ.wav");

    MediaSearchPlaces places;
    places.userFolders = { work / "decoys" };
    const auto result = searchMissingMedia (database, show, session, places);
    REQUIRE (result.clips.size() == 2);
    CHECK (result.placesSearched.front().first == "session folder");
    CHECK (result.placesSearched.back() == std::pair<std::string, std::string> { "added folder", std::filesystem::weakly_canonical (work / "decoys").generic_string() });

    const auto& kick = clipIn (result, "kick");
    CHECK (kick.recorded);
    REQUIRE (kick.candidates.size() == 3);
    CHECK (kick.candidates[0].file == "Media 2026/KICK v2.wav");
    CHECK (kick.candidates[0].evidence == MediaEvidence::hash);
    CHECK (kick.candidates[0].certain);
    CHECK (kick.candidates[0].place == "session folder");
    CHECK (kick.candidates[1].file == "Media 2026/almost.wav");
    CHECK (kick.candidates[1].evidence == MediaEvidence::properties);
    CHECK_FALSE (kick.candidates[1].certain);
    CHECK (kick.candidates[2].path == std::filesystem::weakly_canonical (work / "decoys" / "p01_sonicpi_heavy_kick.wav").generic_string());
    CHECK (kick.candidates[2].evidence == MediaEvidence::name);
    CHECK_FALSE (kick.candidates[2].certain);
    CHECK (kick.candidates[2].nameSimilarity == 1.0);
    CHECK_FALSE (kick.candidates[2].channelsAsExpected);   // stereo where the clip expects mono
    CHECK (kick.candidates[2].place == "added folder");
    CHECK (kick.certainCandidate() == &kick.candidates[0]);

    const auto& organ = clipIn (result, "organ");
    REQUIRE (organ.candidates.size() == 1);
    CHECK (organ.certainCandidate() == nullptr);   // the same name, other content: never certain
    CHECK (organ.candidates[0].evidence == MediaEvidence::name);
    CHECK (organ.candidates[0].channelsAsExpected);   // both stereo
    CHECK (std::find (organ.candidates[0].notes.begin(), organ.candidates[0].notes.end(), "44100 Hz (expected 48000)") != organ.candidates[0].notes.end());
    CHECK (result.filesHashed >= 2);   // the kick and its same-sized look-alike; nothing else has the recorded sizes
}

TEST_CASE ("A session moved away from its media finds it in the last known good folder", "[session][relink][search]")
{
    TemporaryFolder work ("media-search-last-good");
    const auto before = (work / "office" / "show.cuegrid").string();
    copyCorpus ("p08_sonicpi_haunted_hum.wav", work / "office" / "audio" / "hum.wav");
    const auto show = showOf ({ { "hum", "audio/hum.wav" } });
    {
        MetadataDatabase database (MetadataDatabase::pathForSession (before));
        refreshMediaFacts (database, show, before);
    }
    // The manifest and its database go to the venue folder; the audio stays in the office.
    std::filesystem::create_directories (work / "venue");
    std::filesystem::rename (MetadataDatabase::pathForSession (before), work / "venue" / "show.cuegrid.db");
    const auto after = (work / "venue" / "show.cuegrid").string();
    MetadataDatabase database (MetadataDatabase::pathForSession (after));
    const auto result = searchMissingMedia (database, show, after, {});
    REQUIRE (result.clips.size() == 1);
    REQUIRE (result.clips[0].candidates.size() == 1);
    CHECK (result.clips[0].candidates[0].certain);
    CHECK (result.clips[0].candidates[0].place == "last known good");
    CHECK (result.clips[0].candidates[0].file == std::filesystem::weakly_canonical (work / "office" / "audio" / "hum.wav").generic_string());
}

TEST_CASE ("File name similarity ignores case and extension", "[session][relink][search]")
{
    CHECK (fileNameSimilarity ("Kick.WAV", "kick.flac") == 1.0);
    CHECK (fileNameSimilarity ("kick_01.wav", "kick_02.wav") == Approx (6.0 / 7.0));
    CHECK (fileNameSimilarity ("kick.wav", "organ.wav") < 0.5);
}

TEST_CASE ("A search path from the preferences is searched and named as such, after the session's own places", "[session][relink][search]")
{
    TemporaryFolder work ("media-search-paths");
    const auto session = (work / "show" / "show.cuegrid").string();
    copyCorpus ("p07_sonicpi_bass_thick.wav", work / "show" / "media" / "bass.wav");
    const auto show = showOf ({ { "bass", "media/bass.wav" } });
    MetadataDatabase database (MetadataDatabase::pathForSession (session));
    refreshMediaFacts (database, show, session);
    std::filesystem::create_directories (work / "archive" / "2025");
    std::filesystem::rename (work / "show" / "media" / "bass.wav", work / "archive" / "2025" / "Bass (thick).wav");

    MediaSearchPlaces places;
    places.alternatePaths = { work / "archive" };
    const auto result = searchMissingMedia (database, show, session, places);
    REQUIRE (result.clips.size() == 1);
    REQUIRE (result.clips[0].candidates.size() == 1);
    CHECK (result.clips[0].candidates[0].certain);
    CHECK (result.clips[0].candidates[0].place == "search path");
    std::vector<std::string> order;
    for (const auto& [place, folder] : result.placesSearched)
        order.push_back (place);
    CHECK (order == std::vector<std::string> { "session folder", "search path" });   // the last good folder is inside the session's

    // Not recursive: only the top of each place.
    places.recursive = false;
    CHECK (searchMissingMedia (database, show, session, places).clips[0].candidates.empty());
}

namespace
{
    /** A tiny valid WAV (16-bit mono 48 kHz, `frames` frames of silence). */
    void writeTinyWav (const std::filesystem::path& file, uint32_t frames)
    {
        std::ofstream out (file, std::ios::binary);
        const auto put32 = [&] (uint32_t v) { out.write (reinterpret_cast<const char*> (&v), 4); };
        const auto put16 = [&] (uint16_t v) { out.write (reinterpret_cast<const char*> (&v), 2); };
        out.write ("RIFF", 4);
        put32 (36 + frames * 2);
        out.write ("WAVEfmt ", 8);
        put32 (16);
        put16 (1);
        put16 (1);
        put32 (48000);
        put32 (96000);
        put16 (2);
        put16 (16);
        out.write ("data", 4);
        put32 (frames * 2);
        const std::vector<char> silence (frames * 2, 0);
        out.write (silence.data(), (std::streamsize) silence.size());
    }

    /** The kick is missing; the search path holds `folders` folders of `perFolder` tiny WAVs
        (looked at, never offered) and one renamed copy of the kick each (certain by its hash). */
    struct BigTree
    {
        TemporaryFolder work { "media-search-big" };
        std::string session = (work / "show" / "show.cuegrid").string();
        Session show = showOf ({ { "kick", "media/kick.wav" } });
        std::unique_ptr<MetadataDatabase> database;
        MediaSearchPlaces places;
        static constexpr int folders = 30, perFolder = 150;

        BigTree()
        {
            copyCorpus ("p01_sonicpi_heavy_kick.wav", work / "show" / "media" / "kick.wav");
            database = std::make_unique<MetadataDatabase> (MetadataDatabase::pathForSession (session));
            refreshMediaFacts (*database, show, session);
            std::filesystem::remove (work / "show" / "media" / "kick.wav");
            for (int f = 0; f < folders; ++f)
            {
                const auto folder = work / "library" / ("disc " + std::to_string (f));
                std::filesystem::create_directories (folder);
                for (int i = 0; i < perFolder; ++i)
                    writeTinyWav (folder / ("take " + std::to_string (i) + ".wav"), 100);
                std::filesystem::copy_file (dataPath ("corpus/p01_sonicpi_heavy_kick.wav"), folder / ("zz backup " + std::to_string (f) + ".wav"));
            }
            places.alternatePaths.push_back (work / "library");
        }

        static int certainCount (const MediaSearchResult& result)
        {
            int certain = 0;
            for (const auto& candidate : result.clips.at (0).candidates)
                certain += candidate.certain ? 1 : 0;
            return certain;
        }
    };

    double secondsSince (std::chrono::steady_clock::time_point start)
    {
        return std::chrono::duration<double> (std::chrono::steady_clock::now() - start).count();
    }
} // namespace

TEST_CASE ("Media search progress goes up to 100 % and a search of a big tree cancelled midway returns promptly with the candidates so far", "[session][relink][search]")
{
    BigTree tree;
    const int64_t total = BigTree::folders * (BigTree::perFolder + 1);

    // Not cancelled: monotonic, ends at 100 %, every copy found.
    std::vector<MediaSearchProgress> reports;
    MediaSearchControl control;
    control.onProgress = [&] (const MediaSearchProgress& progress) { reports.push_back (progress); };
    auto started = std::chrono::steady_clock::now();
    const auto full = searchMissingMedia (*tree.database, tree.show, tree.session, tree.places, control);
    const auto fullSeconds = secondsSince (started);
    CHECK_FALSE (full.cancelled);
    CHECK (full.filesExamined == total);
    CHECK (BigTree::certainCount (full) == BigTree::folders);
    REQUIRE (reports.size() > 10);
    for (size_t i = 1; i < reports.size(); ++i)
    {
        INFO ("report " << i);
        CHECK (reports[i].fraction() >= reports[i - 1].fraction());
        CHECK (reports[i].filesListed >= reports[i - 1].filesListed);
        CHECK (reports[i].filesLookedAt >= reports[i - 1].filesLookedAt);
    }
    CHECK (reports.front().listing);
    CHECK_THAT (reports[reports.size() / 2].folder, Catch::Contains ("/library/disc "));
    CHECK_FALSE (reports.back().listing);
    CHECK (reports.back().filesLookedAt == total);
    CHECK (reports.back().filesToLookAt == total);
    CHECK (reports.back().fraction() == 1.0);

    // Cancelled once a third of the files were looked at: it returns soon after, with the copies found so far.
    std::atomic<bool> cancel { false };
    std::chrono::steady_clock::time_point cancelledAt {};
    double lastFraction = 0.0;
    MediaSearchControl cancelling;
    cancelling.cancel = &cancel;
    cancelling.onProgress = [&] (const MediaSearchProgress& progress)
    {
        CHECK (progress.fraction() >= lastFraction);
        lastFraction = progress.fraction();
        if (! progress.listing && progress.filesLookedAt >= total / 3 && ! cancel.load())
        {
            cancelledAt = std::chrono::steady_clock::now();
            cancel = true;
        }
    };
    const auto partial = searchMissingMedia (*tree.database, tree.show, tree.session, tree.places, cancelling);
    const auto afterCancel = secondsSince (cancelledAt);
    std::printf ("big tree search (%lld files): %.3f s in full; returned %.4f s after its cancel\n", (long long) total, fullSeconds, afterCancel);
    CHECK (partial.cancelled);
    CHECK (lastFraction < 0.5);
    CHECK (afterCancel < 0.5);   // one file at most, not the two thirds left
    const auto found = BigTree::certainCount (partial);
    CHECK (found >= BigTree::folders / 3 - 1);
    CHECK (found < BigTree::folders);
    for (const auto& candidate : partial.clips.at (0).candidates)
        CHECK (candidate.certain);   // a copy cut short by the cancel is never offered as other content

    // Cancelled before it starts: nothing listed, nothing offered, at once.
    cancel = true;
    lastFraction = 0.0;
    const auto none = searchMissingMedia (*tree.database, tree.show, tree.session, tree.places, cancelling);
    CHECK (none.cancelled);
    CHECK (none.clips.size() == 1);
    CHECK (none.clips[0].candidates.empty());
}

TEST_CASE ("A content hash stops between blocks when cancelled", "[session][relink][search]")
{
    TemporaryFolder work ("media-search-hash-cancel");
    const auto file = work / "big.bin";
    {
        std::ofstream out (file, std::ios::binary);
        const std::vector<char> block (1 << 20, 'x');
        for (int i = 0; i < 8; ++i)
            out.write (block.data(), (std::streamsize) block.size());
    }
    std::atomic<bool> cancel { false };
    CHECK (analysis::hashFileContent (file, &cancel).has_value());
    cancel = true;
    CHECK_FALSE (analysis::hashFileContent (file, &cancel).has_value());
}
