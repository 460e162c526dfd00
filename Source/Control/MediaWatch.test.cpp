// CueGrid — GPL-3.0-or-later
// Runtime detection (issue 13): the watch notices a watched file vanish, come back, and be
// replaced, from stat alone, on its own thread.
#include "Control/MediaWatch.h"

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
