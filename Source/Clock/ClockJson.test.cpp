// CueGrid — GPL-3.0-or-later
// The clock's NDJSON lines (event log, `timecode monitor`) from a real manager's events.
#include "ClockJson.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

using namespace cuegrid;

TEST_CASE ("Clock JSON: positions as timecode, a failover line names both sources and the cause", "[clock]")
{
    CHECK (formatClockPosition (25.0 * 3600.0 + 0.5, 25.0, false) == "01:00:00:00");
    CHECK (formatClockPosition (-1.0, 25.0, false) == "23:59:59:24");            // wraps at midnight
    CHECK (formatClockPosition (17982.0, 30000.0 / 1001.0, true) == "00:10:00;00");
    CHECK (formatClockPosition (0.0, 0.0, false) == "--:--:--:--");

    // A source followed, then removed: the master fails over to the system clock, cause removed.
    auto manager = std::make_unique<ClockManager>();
    manager->prepare (48000.0);
    const auto slot = manager->addSource (ClockSourceKind::mtc, "desk");
    int64_t block = 0;
    for (; block < 48000 * 3; block += 128)
    {
        manager->getSource (slot)->publish ({ block, 90000.0 + (double) block / 48000.0 * 25.0, 25.0, false, false });
        manager->process (block, 128);
    }
    const auto health = sourceHealthJson (slot, manager->getHealth (slot), manager->getMaster());
    CHECK (health["name"] == "desk");
    CHECK (health["kind"] == "MTC");
    CHECK (health["state"] == "locked");
    CHECK (health["active"] == true);
    CHECK (std::abs (health["speed"].get<double>() - 1.0) < 1.0e-6);
    CHECK (health["position"].get<std::string>().rfind ("01:00:0", 0) == 0);
    const auto master = masterJson (manager->getMaster(), *manager);
    CHECK (master["source"] == "desk");
    CHECK (master["state"] == "locked");

    ClockEvent event;
    while (manager->popEvent (event)) {}
    manager->removeSource (slot);
    manager->process (block, 128);
    bool sawFailover = false;
    while (manager->popEvent (event))
        if (event.type == ClockEvent::Type::failover)
        {
            const auto line = clockEventJson (event, *manager);
            INFO (line.dump());
            CHECK (line["event"] == "clockFailover");
            CHECK (line["to"] == "system");
            CHECK (line["cause"] == "removed");
            CHECK (line["master"].get<std::string>().rfind ("01:00:0", 0) == 0);
            CHECK (describeClockEvent (event, *manager).find ("failover") != std::string::npos);
            sawFailover = true;
        }
    CHECK (sawFailover);
}

// Around midnight the source and the master can sit either side of 00:00:00:00 for a block or
// two: the offset is the short way round the day, never ±86 400 000 ms.
TEST_CASE ("Clock JSON: a source's deltaMs is the short way round midnight", "[clock]")
{
    // The master follows "desk"; "backup" runs 30 ms (0.75 frame) ahead of it, so it passes
    // 00:00:00:00 a block or so before the master does.
    auto manager = std::make_unique<ClockManager>();
    manager->prepare (48000.0);
    const auto desk = manager->addSource (ClockSourceKind::mtc, "desk");
    const auto backup = manager->addSource (ClockSourceKind::mtc, "backup");
    const double framesPerDay = 25.0 * 86400.0;
    double lowestMs = 1.0e9, highestMs = -1.0e9;
    int linesAfterLock = 0;
    for (int64_t block = 0; block < 48000 * 6; block += 128)
    {
        // From 23:59:57:00 at 25 fps: midnight comes 3 s in.
        const auto frames = framesPerDay - 75.0 + (double) block / 48000.0 * 25.0;
        manager->getSource (desk)->publish ({ block, std::fmod (frames, framesPerDay), 25.0, false, false });
        manager->getSource (backup)->publish ({ block, std::fmod (frames + 0.75, framesPerDay), 25.0, false, false });
        manager->process (block, 128);
        const auto& master = manager->getMaster();
        const auto line = sourceHealthJson (backup, manager->getHealth (backup), master);
        if (block > 48000 * 2 && line.contains ("deltaMs") && master.activeSource == desk)
        {
            lowestMs = std::min (lowestMs, line["deltaMs"].get<double>());
            highestMs = std::max (highestMs, line["deltaMs"].get<double>());
            ++linesAfterLock;
        }
    }
    CHECK (linesAfterLock > 1000);
    CHECK (lowestMs > 29.0);
    CHECK (highestMs < 31.0);
}
