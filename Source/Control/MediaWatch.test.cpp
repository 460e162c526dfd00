// CueGrid — GPL-3.0-or-later
// Runtime detection (issue 13): the watch notices a watched file vanish, come back, and be
// replaced, from stat alone, on its own thread; a same-size file with a new time by its content hash.
#include "Control/MediaWatch.h"

#include "Analysis/ContentHash.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <thread>

using namespace cuegrid;
using namespace cuegrid::test;

namespace
{
    /** Waits (up to 20 s: a loaded CI machine) until the watch reports `expected`. */
    bool waitFor (const MediaWatch& watch, const std::map<std::string, MediaWatch::State>& expected)
    {
        for (int i = 0; i < 2000; ++i)
        {
            if (watch.getWarnings() == expected)
                return true;
            std::this_thread::sleep_for (std::chrono::milliseconds (10));
        }
        return false;
    }
    void write (const std::filesystem::path& path, const std::string& bytes)
    {
        std::ofstream (path, std::ios::binary) << bytes;
    }
}

TEST_CASE ("MediaWatch reports a watched file that vanishes, returns and is replaced", "[control][media][threaded]")
{
    TemporaryFolder work ("media-watch");
    write (work / "kick.wav", "kick");
    write (work / "bass.wav", "bass");
    MediaWatch watch (20);
    watch.watch ({ { "kick", (work / "kick.wav").string() }, { "bass", (work / "bass.wav").string() },
                   { "gone", (work / "gone.wav").string() } });
    REQUIRE (waitFor (watch, { { "gone", MediaWatch::State::missing } }));
    const auto polls = watch.getPolls();

    std::filesystem::remove (work / "kick.wav");
    REQUIRE (waitFor (watch, { { "gone", MediaWatch::State::missing }, { "kick", MediaWatch::State::missing } }));
    CHECK (watch.getPolls() > polls);

    write (work / "kick.wav", "kick");   // put back: the same size, but a new modification time
    std::filesystem::last_write_time (work / "kick.wav", std::filesystem::last_write_time (work / "kick.wav") + std::chrono::seconds (5));
    REQUIRE (waitFor (watch, { { "gone", MediaWatch::State::missing }, { "kick", MediaWatch::State::changed } }));

    write (work / "bass.wav", "another bass, longer");   // replaced under its name
    REQUIRE (waitFor (watch, { { "gone", MediaWatch::State::missing }, { "kick", MediaWatch::State::changed },
                               { "bass", MediaWatch::State::changed } }));

    // reset(): what is there now counts as seen; only the missing file warns.
    const auto generation = watch.getGeneration();
    watch.reset();
    CHECK (watch.getGeneration() > generation);
    REQUIRE (waitFor (watch, { { "gone", MediaWatch::State::missing } }));

    // A clip no longer watched (another page shown) no longer warns.
    watch.watch ({ { "kick", (work / "kick.wav").string() } });
    REQUIRE (waitFor (watch, {}));
}

TEST_CASE ("MediaWatch tells a touch from new content of the same size by the recorded content hash, off its poll thread", "[control][media][threaded]")
{
    TemporaryFolder work ("media-watch-hash");
    const auto kick = work / "kick.wav", bass = work / "bass.wav";
    write (kick, "kick drum take 1");
    write (bass, "bass");
    const auto kickHash = *analysis::hashFileContent (kick);
    const auto later = [] (const std::filesystem::path& path, int seconds)
    {
        std::filesystem::last_write_time (path, std::filesystem::last_write_time (path) + std::chrono::seconds (seconds));
    };
    MediaWatch watch (20);
    watch.watch ({ { "kick", kick.string(), kickHash }, { "bass", bass.string(), *analysis::hashFileContent (bass) } });
    REQUIRE (waitFor (watch, {}));
    const auto waitPolls = [&watch] (uint64_t count)
    {
        const auto until = watch.getPolls() + count;
        for (int i = 0; i < 2000 && watch.getPolls() < until; ++i)
            std::this_thread::sleep_for (std::chrono::milliseconds (10));
    };
    waitPolls (2);
    CHECK (watch.getHashes() == 0);   // nothing changed: nothing read

    // touch: a new time, the same content. Hashed once, never a warning, and the new time is kept.
    later (kick, 5);
    bool warned = false;
    for (int i = 0; i < 2000 && watch.getHashes() < 1; ++i)
    {
        warned = warned || ! watch.getWarnings().empty();
        std::this_thread::sleep_for (std::chrono::milliseconds (5));
    }
    REQUIRE (watch.getHashes() == 1);
    waitPolls (3);
    CHECK_FALSE (warned);
    CHECK (watch.getWarnings().empty());
    CHECK (watch.getHashes() == 1);   // the new time is remembered: not hashed at every poll

    // New content of the same length and a new time: the hash says other content: CHANGED.
    write (kick, "kick drum take 2");
    later (kick, 10);
    REQUIRE (waitFor (watch, { { "kick", MediaWatch::State::changed } }));
    CHECK (watch.getHashes() >= 2);   // the write's own time may have been seen and hashed too
    waitPolls (3);
    auto hashed = watch.getHashes();
    waitPolls (3);
    CHECK (watch.getHashes() == hashed);   // flagged, not read again while it stands

    // The original content put back (a new time again): the hash matches, the warning goes.
    write (kick, "kick drum take 1");
    later (kick, 15);
    REQUIRE (waitFor (watch, {}));
    CHECK (watch.getHashes() > hashed);

    // Another size: CHANGED at once, nothing hashed.
    waitPolls (3);
    hashed = watch.getHashes();
    write (bass, "a longer bass line");
    REQUIRE (waitFor (watch, { { "bass", MediaWatch::State::changed } }));
    CHECK (watch.getHashes() == hashed);
}
