// CueGrid — GPL-3.0-or-later
// The clock manager with synthetic sources (issue 12, tests 3 and 4 at unit level). The audio
// sample time is the only clock: no sleeping, no wall clock.
#include "ClockManager.h"
#include "SyntheticTimecode.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace cuegrid;

namespace
{
constexpr double rate = 48000.0;
constexpr int blockSize = 128;
constexpr double sampleSeconds = 1.0 / rate;   // one sample-equivalent of timecode at speed 1

/** A manager, its synthetic sources, and what the master did block by block. */
struct Rig
{
    struct Feed
    {
        int slot = -1;
        test::SyntheticTimecode signal;
        bool on = true;
        int64_t lastSample = -1;   // the last observation published
    };

    std::unique_ptr<ClockManager> manager = std::make_unique<ClockManager>();
    std::vector<Feed> feeds;
    std::vector<MasterTime> history;
    std::vector<ClockEvent> events;
    int64_t now = 0;

    explicit Rig (const ClockSettings& settings = {}) { manager->prepare (rate, settings); }

    /** A source whose truth is `signal`; returns its index in feeds. */
    size_t add (ClockSourceKind kind, const char* name, const test::SyntheticTimecode& signal)
    {
        Feed feed;
        feed.slot = manager->addSource (kind, name);
        REQUIRE (feed.slot >= 0);
        feed.signal = signal;
        feeds.push_back (feed);
        return feeds.size() - 1;
    }

    static test::SyntheticTimecode ltc (double startSeconds = 3600.0, double speed = 1.0, uint32_t seed = 1)
    {
        test::SyntheticTimecode s;
        s.anchorSeconds = startSeconds;
        s.speed = speed;
        s.jitterSamples = 1.0;   // ±21 µs
        s.seed = seed;
        return s;
    }

    /** MTC quarter frames stamped to 1 ms, as JUCE's ALSA input does: ±0.5 ms. */
    static test::SyntheticTimecode mtc (double startSeconds = 3600.0, uint32_t seed = 7)
    {
        auto s = ltc (startSeconds, 1.0, seed);
        s.observationsPerFrame = 4.0;
        s.jitterSamples = 24.0;
        return s;
    }

    /** One block: what arrived during the previous block is published, then process(). */
    void step()
    {
        for (auto& feed : feeds)
            if (feed.on && now > 0)
                feed.signal.emit (now - blockSize, now, [&] (const ClockObservation& o)
                {
                    manager->getSource (feed.slot)->publish (o);
                    feed.lastSample = o.sample;
                });
        manager->process (now, blockSize);
        history.push_back (manager->getMaster());
        ClockEvent event;
        while (manager->popEvent (event))
            events.push_back (event);
        now += blockSize;
    }

    void run (double seconds)
    {
        const auto end = now + (int64_t) (seconds * rate);
        while (now < end)
            step();
    }

    /** The largest step between a block start and the previous block's line, over blocks
        [from, history.size()): what a listener would hear as a jump. Seconds. */
    double maxStep (size_t from = 1) const
    {
        double worst = 0.0;
        for (size_t i = std::max<size_t> (from, 1); i < history.size(); ++i)
        {
            const auto& a = history[i - 1];
            const auto& b = history[i];
            const auto expected = a.seconds + a.speed * (double) (b.sample - a.sample) / rate;
            worst = std::max (worst, std::abs (b.seconds - expected));
        }
        return worst;
    }

    /** The first block after the master's first lock (its one allowed jump). */
    size_t afterFirstLock() const
    {
        for (size_t i = 0; i < history.size(); ++i)
            if (history[i].everLocked)
                return i + 1;
        return history.size();
    }

    /** Every event so far, one a line, for failure messages. */
    std::string describeEvents() const
    {
        std::string text;
        for (const auto& e : events)
            text += std::to_string ((double) e.sample / rate) + " s: " + clockEventTypeName (e.type) + " " + clockEventCauseName (e.cause)
                    + " source " + std::to_string (e.source) + " other " + std::to_string (e.other) + " delta "
                    + std::to_string (e.deltaSeconds) + " stability " + std::to_string (e.stability) + "\n";
        return text;
    }

    std::vector<ClockEvent> eventsOf (ClockEvent::Type type) const
    {
        std::vector<ClockEvent> found;
        for (const auto& e : events)
            if (e.type == type)
                found.push_back (e);
        return found;
    }

    /** The first block start at which a source silent since `lastSample` is past its flywheel time. */
    static int64_t lostAt (int64_t lastSample, double flywheelSeconds = 1.0)
    {
        const auto limit = lastSample + (int64_t) (flywheelSeconds * rate);
        return (limit / blockSize + 1) * blockSize;
    }
};
} // namespace

TEST_CASE ("ClockManager: 25 fps LTC with jitter locks within 2 frames and the master tracks it within microseconds", "[clock]")
{
    Rig rig;
    const auto ltc = rig.add (ClockSourceKind::ltc, "LTC in 1", Rig::ltc());
    const auto frameSamples = (int64_t) (rate / 25.0);
    while (rig.now < 3 * frameSamples)
        rig.step();
    // The second frame arrives at sample 3840 and is handed over at the next block start.
    const auto& locked = rig.history.back();
    CHECK (locked.state == MasterState::locked);
    CHECK (locked.activeSource == rig.feeds[ltc].slot);
    CHECK (locked.everLocked);
    CHECK (rig.eventsOf (ClockEvent::Type::relocate).size() == 1);   // the first lock: the master goes there

    rig.run (20.0);
    double worst = 0.0;
    for (size_t i = rig.history.size() - (size_t) (10.0 * rate / blockSize); i < rig.history.size(); ++i)
        worst = std::max (worst, std::abs (rig.history[i].seconds - rig.feeds[ltc].signal.truthAt ((double) rig.history[i].sample)));
    const auto health = rig.manager->getHealth (rig.feeds[ltc].slot);
    INFO ("master vs truth over the last 10 s: max " << worst * 1.0e6 << " µs; jitter " << health.jitterUs << " µs, drift "
                                                     << health.driftUs << " µs/s, stability " << health.stability);
    CHECK (worst < 20.0e-6);
    CHECK (std::abs (rig.history.back().speed - 1.0) < 2.0e-5);
    CHECK (rig.history.back().fps == 25.0);
    CHECK (std::abs (rig.history.back().frames - rig.history.back().seconds * 25.0) < 1.0e-9);
    CHECK (health.inUse);
    CHECK (health.locked);
    CHECK (health.active);
    CHECK (health.healthy);
    CHECK (health.fps == 25.0);
    CHECK (std::string (health.name) == "LTC in 1");
    CHECK (health.jitterUs > 5.0);     // ±1 sample is there (RMS 12 µs)...
    CHECK (health.jitterUs < 30.0);
    CHECK (std::abs (health.driftUs) < 10.0);
    CHECK_FALSE (health.driftWarning);
    CHECK (health.stability >= 97);
    CHECK (health.dropouts == 0);
    CHECK (health.discontinuities == 0);
    CHECK (health.lastMessageAgeSeconds >= 0.0);
    CHECK (health.lastMessageAgeSeconds < 0.045);
    CHECK (rig.maxStep (rig.afterFirstLock()) < 1.0e-9);
}

TEST_CASE ("ClockManager: a source claiming 30 fps that runs at 29.97 drifts 999 microseconds a second and warns", "[clock]")
{
    Rig rig;
    auto signal = Rig::ltc (0.0, 30000.0 / 1001.0 / 30.0);   // its frames come at 29.97/s, labelled 30
    signal.fps = 30.0;
    const auto feed = rig.add (ClockSourceKind::ltc, "LTC", signal);
    rig.run (5.0);
    const auto health = rig.manager->getHealth (rig.feeds[feed].slot);
    INFO ("drift " << health.driftUs);
    CHECK (std::abs (health.driftUs + 999.0) < 50.0);   // a 1 s window, ±1 sample at each end
    CHECK (health.driftWarning);
    CHECK (health.locked);   // still a usable source: the warning is for the operator
}

TEST_CASE ("ClockManager: LTC drops out, MTC takes over in the block the flywheel expires, with no jump", "[clock]")
{
    Rig rig;
    const auto ltc = rig.add (ClockSourceKind::ltc, "LTC", Rig::ltc());
    const auto mtc = rig.add (ClockSourceKind::mtc, "MTC desk", Rig::mtc (3600.0 + 0.3 / 25.0));   // 0.3 frame later
    rig.run (5.0);
    REQUIRE (rig.history.back().activeSource == rig.feeds[ltc].slot);
    REQUIRE (rig.manager->getHealth (rig.feeds[mtc].slot).healthy);

    rig.feeds[ltc].on = false;   // the cable is pulled
    const auto pulled = rig.history.size();
    rig.run (0.5);
    CHECK (rig.history.back().state == MasterState::flywheel);   // bridging on LTC's prediction
    CHECK (rig.history.back().activeSource == rig.feeds[ltc].slot);
    CHECK_FALSE (rig.manager->getHealth (rig.feeds[ltc].slot).locked);
    rig.run (1.0);

    const auto failovers = rig.eventsOf (ClockEvent::Type::failover);
    INFO (rig.describeEvents());
    REQUIRE (failovers.size() == 1);
    const auto& failover = failovers.front();
    CHECK (failover.cause == ClockEvent::Cause::lost);
    CHECK (failover.source == rig.feeds[mtc].slot);
    CHECK (failover.other == rig.feeds[ltc].slot);
    CHECK (failover.sample == Rig::lostAt (rig.feeds[ltc].lastSample));   // the block it became lost in
    CHECK (rig.history.back().failovers == 1);
    CHECK (rig.history.back().activeKind == ClockSourceKind::mtc);
    CHECK (rig.eventsOf (ClockEvent::Type::lockLost).size() == 1);
    CHECK (rig.eventsOf (ClockEvent::Type::sourceLost).size() == 1);

    // At the switch: no step against the master's own line, and on the line LTC was on.
    const auto switchIndex = (size_t) (failover.sample / blockSize);
    const auto& atSwitch = rig.history[switchIndex];
    const auto& before = rig.history[switchIndex - 1];
    const auto step = atSwitch.seconds - (before.seconds + before.speed * blockSize / rate);
    const auto offTruth = atSwitch.seconds - rig.feeds[ltc].signal.truthAt ((double) atSwitch.sample);
    INFO ("step at the switch " << step * 1.0e6 << " µs, off LTC's true line by " << offTruth * 1.0e6 << " µs after 1 s of flywheel; offset "
                                << failover.deltaSeconds * 1.0e3 << " ms");
    CHECK (std::abs (step) < sampleSeconds);
    CHECK (std::abs (offTruth) < sampleSeconds);
    CHECK (std::abs (failover.deltaSeconds + 0.3 / 25.0) < 0.001);   // master − MTC: the 0.3 frame MTC is ahead
    CHECK (rig.maxStep (pulled) < sampleSeconds);

    // The 12 ms offset is slewed away at 0.5 %: 2.4 s.
    rig.run (4.0);
    double fastest = 0.0, largestSlew = 0.0;
    for (auto i = switchIndex; i < rig.history.size(); ++i)
    {
        fastest = std::max (fastest, std::abs (rig.history[i].speed - 1.0));
        largestSlew = std::max (largestSlew, std::abs (rig.history[i].slew));
    }
    INFO ("largest speed deviation while slewing " << fastest << ", slew " << largestSlew);
    CHECK (largestSlew <= 0.005 + 1.0e-9);
    CHECK (largestSlew > 0.0049);
    CHECK (fastest <= 0.0055);   // the slew plus MTC's own speed wobble
    CHECK (std::abs (rig.history.back().offsetSeconds) < 50.0e-6);
    CHECK (std::abs (rig.history.back().seconds - rig.feeds[mtc].signal.truthAt ((double) rig.history.back().sample)) < 200.0e-6);
    CHECK (rig.maxStep (pulled) < sampleSeconds);
}

TEST_CASE ("ClockManager: LTC comes back 5 frames off, takes back over after the hold time and slews without a step", "[clock]")
{
    Rig rig;
    const auto ltc = rig.add (ClockSourceKind::ltc, "LTC", Rig::ltc());
    rig.add (ClockSourceKind::mtc, "MTC", Rig::mtc());
    rig.run (3.0);
    rig.feeds[ltc].on = false;
    rig.run (3.0);
    REQUIRE (rig.history.back().activeKind == ClockSourceKind::mtc);

    // Back, 5 frames (0.2 s) later than before.
    auto& signal = rig.feeds[ltc].signal;
    signal.jumpTo (rig.now, signal.truthAt ((double) rig.now) + 0.2);
    rig.feeds[ltc].on = true;
    const auto returned = rig.now;
    const auto first = rig.history.size();
    rig.run (2.5);
    const auto takeovers = rig.eventsOf (ClockEvent::Type::takeover);
    REQUIRE (takeovers.size() == 1);
    const auto& takeover = takeovers.front();
    CHECK (takeover.cause == ClockEvent::Cause::betterSource);
    CHECK (takeover.source == rig.feeds[ltc].slot);
    // Locked on its second frame (≤ 2 frames + a block), then healthy for the 2 s hold.
    CHECK ((double) (takeover.sample - returned) >= 2.0 * rate);
    CHECK ((double) (takeover.sample - returned) <= 2.0 * rate + 2.0 * rate / 25.0 + 2 * blockSize);
    CHECK (rig.manager->getHealth (rig.feeds[ltc].slot).discontinuities == 1);   // came back elsewhere
    INFO ("offset at the takeover " << takeover.deltaSeconds);
    CHECK (std::abs (takeover.deltaSeconds + 0.2) < 0.001);

    rig.run (42.0);   // 0.2 s at 0.5 %: 40 s
    double fastest = 0.0, largestSlew = 0.0;
    for (auto i = first; i < rig.history.size(); ++i)
    {
        fastest = std::max (fastest, std::abs (rig.history[i].speed - 1.0));
        largestSlew = std::max (largestSlew, std::abs (rig.history[i].slew));
    }
    const auto step = rig.maxStep (first);
    INFO ("largest step " << step * 1.0e6 << " µs, largest speed deviation " << fastest << ", slew " << largestSlew);
    CHECK (step < sampleSeconds);
    CHECK (largestSlew <= 0.005 + 1.0e-9);
    CHECK (fastest <= 0.0055);
    CHECK (std::abs (rig.history.back().offsetSeconds) < 5.0e-6);
    CHECK (rig.history.back().activeSource == rig.feeds[ltc].slot);
    CHECK (std::abs (rig.history.back().seconds - signal.truthAt ((double) rig.history.back().sample)) < 12.0e-6);
    CHECK (rig.history.back().takeovers == 1);
    CHECK (rig.history.back().failovers == 1);
}

TEST_CASE ("ClockManager: with 'stay' the master stays on the source it failed over to, and a kept offset is not slewed", "[clock]")
{
    ClockSettings settings;
    settings.returnToBetter = false;
    settings.slewOffsetToZero = false;
    Rig rig (settings);
    const auto ltc = rig.add (ClockSourceKind::ltc, "LTC", Rig::ltc());
    rig.add (ClockSourceKind::mtc, "MTC", Rig::mtc (3600.1));
    rig.run (2.0);
    CHECK (rig.history.back().activeSource == rig.feeds[ltc].slot);   // MTC locked first, LTC within the grace
    rig.feeds[ltc].on = false;
    rig.run (2.0);
    REQUIRE (rig.history.back().activeKind == ClockSourceKind::mtc);
    const auto kept = rig.history.back().offsetSeconds;
    INFO (rig.describeEvents());
    CHECK (std::abs (kept + 0.1) < 0.001);
    rig.feeds[ltc].on = true;
    rig.run (10.0);
    CHECK (rig.history.back().activeKind == ClockSourceKind::mtc);
    CHECK (std::abs (rig.history.back().offsetSeconds - kept) < 100.0e-6);   // kept (MTC's own wobble aside)
    CHECK (rig.eventsOf (ClockEvent::Type::takeover).empty());
    CHECK (rig.maxStep (rig.afterFirstLock()) < sampleSeconds);
}

TEST_CASE ("ClockManager: two MTC peers, the one followed stops, the other takes over", "[clock]")
{
    Rig rig;
    const auto a = rig.add (ClockSourceKind::mtc, "MTC A", Rig::mtc (7200.0, 3));
    const auto b = rig.add (ClockSourceKind::mtc, "MTC B", Rig::mtc (7200.0, 5));
    rig.run (3.0);
    const auto followed = rig.history.back().activeSource;
    REQUIRE ((followed == rig.feeds[a].slot || followed == rig.feeds[b].slot));
    const auto stopping = followed == rig.feeds[a].slot ? a : b, other = stopping == a ? b : a;
    CHECK_FALSE (rig.manager->getHealth (rig.feeds[a].slot).differentTime);
    CHECK (rig.eventsOf (ClockEvent::Type::peerDisagreement).empty());

    rig.feeds[stopping].on = false;
    const auto from = rig.history.size();
    rig.run (2.0);
    const auto failovers = rig.eventsOf (ClockEvent::Type::failover);
    REQUIRE (failovers.size() == 1);
    CHECK (failovers[0].source == rig.feeds[other].slot);
    CHECK (failovers[0].cause == ClockEvent::Cause::lost);
    CHECK (failovers[0].sample == Rig::lostAt (rig.feeds[stopping].lastSample));
    CHECK (rig.history.back().activeSource == rig.feeds[other].slot);
    CHECK (rig.history.back().state == MasterState::locked);
    CHECK (rig.maxStep (from) < sampleSeconds);
}

TEST_CASE ("ClockManager: an MTC peer sending a different time is flagged, and the master follows the majority", "[clock]")
{
    SECTION ("two peers a frame and more apart: both flagged")
    {
        Rig rig;
        rig.add (ClockSourceKind::mtc, "MTC A", Rig::mtc (100.0, 3));
        rig.add (ClockSourceKind::mtc, "MTC B", Rig::mtc (100.0 + 3.0 / 25.0, 5));
        rig.run (2.0);
        CHECK (rig.manager->getHealth (0).differentTime);
        CHECK (rig.manager->getHealth (1).differentTime);
        const auto flagged = rig.eventsOf (ClockEvent::Type::peerDisagreement);
        REQUIRE (flagged.size() == 1);
        CHECK (std::abs (std::abs (flagged[0].deltaSeconds) - 0.12) < 0.002);
        CHECK (rig.history.back().failovers == 0);   // no one to trust more: the master stays
    }
    SECTION ("three peers, one off: only it is flagged and the master leaves it without a jump")
    {
        Rig rig;
        rig.add (ClockSourceKind::mtc, "MTC odd", Rig::mtc (100.0 + 3.0 / 25.0, 3));   // slot 0: first choice by order
        rig.add (ClockSourceKind::mtc, "MTC A", Rig::mtc (100.0, 5));
        rig.add (ClockSourceKind::mtc, "MTC B", Rig::mtc (100.0, 9));
        rig.run (1.0);
        CHECK (rig.manager->getHealth (0).differentTime);
        CHECK_FALSE (rig.manager->getHealth (1).differentTime);
        CHECK_FALSE (rig.manager->getHealth (2).differentTime);
        CHECK (rig.eventsOf (ClockEvent::Type::peerDisagreement).size() == 2);
        CHECK (rig.history.back().activeSource != 0);
        rig.run (30.0);   // any offset from leaving the odd one is slewed away
        CHECK (std::abs (rig.history.back().seconds - rig.feeds[1].signal.truthAt ((double) rig.history.back().sample)) < 200.0e-6);
        CHECK (rig.maxStep (rig.history.size() / 2) < sampleSeconds);
    }
    SECTION ("a peer that comes back into line is cleared")
    {
        Rig rig;
        rig.add (ClockSourceKind::mtc, "MTC A", Rig::mtc (100.0, 3));
        const auto b = rig.add (ClockSourceKind::mtc, "MTC B", Rig::mtc (100.0 + 3.0 / 25.0, 5));
        rig.run (2.0);
        REQUIRE (rig.manager->getHealth (1).differentTime);
        auto& signal = rig.feeds[b].signal;
        signal.jumpTo (rig.now, signal.truthAt ((double) rig.now) - 3.0 / 25.0);
        rig.run (1.0);
        CHECK_FALSE (rig.manager->getHealth (1).differentTime);
        CHECK (rig.eventsOf (ClockEvent::Type::peerAgreement).size() == 1);
    }
}

TEST_CASE ("ClockManager: varispeed plus and minus 10 percent and reverse come through the master", "[clock]")
{
    for (const auto speed : { 1.1, 0.9, -1.0 })
    {
        Rig rig;
        const auto ltc = rig.add (ClockSourceKind::ltc, "LTC", Rig::ltc (5000.0, speed));
        rig.run (6.0);
        const auto& m = rig.history.back();
        const auto health = rig.manager->getHealth (rig.feeds[ltc].slot);
        INFO ("speed " << speed << ": master speed " << m.speed << ", off truth " << (m.seconds - rig.feeds[ltc].signal.truthAt ((double) m.sample)) * 1.0e6
                       << " µs, drift " << health.driftUs);
        CHECK (m.state == MasterState::locked);
        CHECK (std::abs (m.speed - speed) < 5.0e-5);
        CHECK (std::abs (m.seconds - rig.feeds[ltc].signal.truthAt ((double) m.sample)) < 15.0e-6);
        CHECK (std::abs (health.driftUs - (std::abs (speed) - 1.0) * 1.0e6) < 50.0);
        CHECK (health.driftWarning == (speed != -1.0));
        CHECK (health.discontinuities == 0);
        if (speed < 0)
            CHECK (m.seconds < 5000.0 - 5.0);
    }
}

TEST_CASE ("ClockManager: with every source lost the system clock free-runs from where the master was, at its speed", "[clock]")
{
    Rig rig;
    const auto ltc = rig.add (ClockSourceKind::ltc, "LTC", Rig::ltc (100.0, 1.1));
    rig.run (2.0);
    rig.feeds[ltc].on = false;
    const auto from = rig.history.size();
    rig.run (3.0);
    const auto failovers = rig.eventsOf (ClockEvent::Type::failover);
    REQUIRE (failovers.size() == 1);
    CHECK (failovers[0].source == ClockManager::systemSource);
    CHECK (failovers[0].cause == ClockEvent::Cause::lost);
    const auto& m = rig.history.back();
    CHECK (m.state == MasterState::freeRun);
    CHECK (m.activeKind == ClockSourceKind::system);
    CHECK (std::abs (m.speed - 1.1) < 5.0e-5);
    CHECK (m.fps == 25.0);   // the last source's
    CHECK (std::abs (m.seconds - rig.feeds[ltc].signal.truthAt ((double) m.sample)) < 200.0e-6);   // 3 s on an estimated speed
    CHECK (rig.maxStep (from) < sampleSeconds);

    // LTC back on its line: it takes over after the hold, without a jump.
    rig.feeds[ltc].on = true;
    rig.run (3.0);
    CHECK (rig.eventsOf (ClockEvent::Type::takeover).size() == 1);
    CHECK (rig.history.back().state == MasterState::locked);
    CHECK (rig.maxStep (from) < sampleSeconds);
}

TEST_CASE ("ClockManager: a source whose jitter grows past the quality threshold is left for a healthy one", "[clock]")
{
    Rig rig;
    const auto ltc = rig.add (ClockSourceKind::ltc, "LTC", Rig::ltc());
    const auto mtc = rig.add (ClockSourceKind::mtc, "MTC", Rig::mtc());
    rig.run (3.0);
    REQUIRE (rig.history.back().activeSource == rig.feeds[ltc].slot);
    rig.feeds[ltc].signal.jitterSamples = 144.0;   // ±3 ms: a failing cable's edges
    const auto from = rig.history.size();
    rig.run (3.0);
    const auto failovers = rig.eventsOf (ClockEvent::Type::failover);
    INFO (rig.describeEvents());
    REQUIRE (failovers.size() == 1);
    CHECK (failovers[0].cause == ClockEvent::Cause::belowQuality);
    CHECK (failovers[0].source == rig.feeds[mtc].slot);
    CHECK (failovers[0].stability < 50);
    const auto health = rig.manager->getHealth (rig.feeds[ltc].slot);
    INFO ("noisy LTC: jitter " << health.jitterUs << " µs, stability " << health.stability << "; MTC stability "
                               << rig.manager->getHealth (rig.feeds[mtc].slot).stability);
    CHECK (health.jitterUs > 1000.0);
    CHECK (health.stability == 0);
    CHECK_FALSE (health.healthy);
    CHECK (rig.manager->getHealth (rig.feeds[mtc].slot).stability >= 50);
    CHECK (rig.history.back().activeSource == rig.feeds[mtc].slot);
    CHECK (rig.maxStep (from) < 4.0 * sampleSeconds);   // the noisy line's own wobble before the switch
}

TEST_CASE ("ClockManager: an unavailable PTP source and a removed LTC source fail over in the same block", "[clock]")
{
    Rig rig;
    const auto ptp = rig.add (ClockSourceKind::ptp, "PTP", Rig::ltc (50.0, 1.0, 4));
    rig.run (1.0);
    REQUIRE (rig.history.back().activeKind == ClockSourceKind::ptp);
    rig.manager->getSource (rig.feeds[ptp].slot)->setAvailable (false);   // no grandmaster
    const auto at = rig.now;
    rig.step();
    auto failovers = rig.eventsOf (ClockEvent::Type::failover);
    REQUIRE (failovers.size() == 1);
    CHECK (failovers[0].cause == ClockEvent::Cause::unavailable);
    CHECK (failovers[0].sample == at);
    CHECK (failovers[0].source == ClockManager::systemSource);
    CHECK (rig.manager->getHealth (rig.feeds[ptp].slot).state == SourceState::lost);

    const auto ltc = rig.add (ClockSourceKind::ltc, "LTC", Rig::ltc (50.0 + rig.now / rate));
    rig.run (3.0);
    REQUIRE (rig.history.back().activeSource == rig.feeds[ltc].slot);
    rig.manager->removeSource (rig.feeds[ltc].slot);
    rig.feeds[ltc].on = false;
    const auto removedAt = rig.now;
    rig.step();
    failovers = rig.eventsOf (ClockEvent::Type::failover);
    REQUIRE (failovers.size() == 2);
    CHECK (failovers[1].cause == ClockEvent::Cause::removed);
    CHECK (failovers[1].sample == removedAt);
    CHECK_FALSE (rig.manager->getHealth (rig.feeds[ltc].slot).inUse);
    CHECK (rig.manager->addSource (ClockSourceKind::mtc, "reused") == rig.feeds[ltc].slot);   // the slot is free again

    // A source removed before the audio thread ever saw it is freed too.
    const auto brief = rig.manager->addSource (ClockSourceKind::mtc, "brief");
    rig.manager->removeSource (brief);
    rig.step();
    CHECK (rig.manager->addSource (ClockSourceKind::mtc, "again") == brief);
    CHECK (rig.maxStep (rig.afterFirstLock()) < sampleSeconds);
}

TEST_CASE ("ClockManager: a noise burst is dropped and a locate is followed, both counted", "[clock]")
{
    Rig rig;
    const auto ltc = rig.add (ClockSourceKind::ltc, "LTC", Rig::ltc (600.0));
    rig.run (2.0);
    // One wild frame: publish it by hand between the real ones.
    ClockObservation wild;
    wild.sample = rig.now - 10;
    wild.frames = 25.0 * 900.0;
    rig.manager->getSource (rig.feeds[ltc].slot)->publish (wild);
    const auto from = rig.history.size();
    rig.run (1.0);
    auto health = rig.manager->getHealth (rig.feeds[ltc].slot);
    CHECK (health.outliers == 1);
    CHECK (health.discontinuities == 0);
    CHECK (rig.maxStep (from) < sampleSeconds);

    // The desk locates to 700 s.
    auto& signal = rig.feeds[ltc].signal;
    signal.jumpTo (rig.now, 700.0);
    rig.run (1.0);
    health = rig.manager->getHealth (rig.feeds[ltc].slot);
    CHECK (health.discontinuities == 1);
    const auto jumps = rig.eventsOf (ClockEvent::Type::discontinuity);
    REQUIRE (jumps.size() == 1);
    CHECK (std::abs (jumps[0].deltaSeconds - (700.0 - (600.0 + 3.0))) < 0.05);
    CHECK (std::abs (rig.history.back().seconds - signal.truthAt ((double) rig.history.back().sample)) < 20.0e-6);
    CHECK (rig.history.back().activeSource == rig.feeds[ltc].slot);   // a locate, not a failure
    CHECK (rig.history.back().failovers == 0);
    CHECK (health.stability < 80);   // two incidents in the last 10 s
}

TEST_CASE ("ClockManager: the priority list decides, and the operator's relocate ends a long slew at once", "[clock]")
{
    ClockSettings settings;
    settings.priority = { ClockSourceKind::mtc, ClockSourceKind::ltc, ClockSourceKind::ptp, ClockSourceKind::system };
    Rig rig (settings);
    const auto ltc = rig.add (ClockSourceKind::ltc, "LTC", Rig::ltc (10.0));
    const auto mtc = rig.add (ClockSourceKind::mtc, "MTC", Rig::mtc (10.0));
    rig.run (4.0);
    CHECK (rig.history.back().activeSource == rig.feeds[mtc].slot);

    // Back to the default order at run time: LTC, healthy for long, takes over at once.
    rig.manager->setSettings (ClockSettings {});
    rig.run (0.1);
    CHECK (rig.history.back().activeSource == rig.feeds[ltc].slot);

    // LTC is pulled, and comes back 10 s on (the playback rig was re-cued meanwhile): it takes
    // back over, the master slewing 10 s at 0.5 %... the operator relocates.
    rig.feeds[ltc].on = false;
    rig.run (1.5);
    CHECK (rig.history.back().activeSource == rig.feeds[mtc].slot);
    auto& ltcSignal = rig.feeds[ltc].signal;
    ltcSignal.jumpTo (rig.now, ltcSignal.truthAt ((double) rig.now) + 10.0);
    rig.feeds[ltc].on = true;
    rig.run (2.5);
    REQUIRE (rig.history.back().activeSource == rig.feeds[ltc].slot);
    CHECK (std::abs (rig.history.back().offsetSeconds + 10.0) < 0.01);
    CHECK (rig.maxStep (rig.afterFirstLock()) < sampleSeconds);
    rig.manager->requestRelocate();
    rig.step();
    const auto relocates = rig.eventsOf (ClockEvent::Type::relocate);
    REQUIRE (relocates.size() == 2);   // the first lock and this one
    CHECK (relocates[1].cause == ClockEvent::Cause::operatorRequest);
    CHECK (std::abs (relocates[1].deltaSeconds - 10.0) < 0.01);
    CHECK (std::abs (rig.history.back().offsetSeconds) < 1.0e-9);
    CHECK (std::abs (rig.history.back().seconds - ltcSignal.truthAt ((double) rig.history.back().sample)) < 50.0e-6);
}

TEST_CASE ("SampleClock: a MIDI arrival on the monotonic clock lands on the audio sample of its time", "[clock]")
{
    SampleClock clock;
    clock.publishBlockStart (96000, 5'000'000'000, rate);
    CHECK (clock.sampleAt (5'000'000'000) == 96000);
    CHECK (clock.sampleAt (5'001'000'000) == 96048);   // 1 ms later
    CHECK (clock.sampleAt (4'999'000'000) == 95952);
    ClockSource source;
    CHECK (source.publishAtMonotonic (5'000'500'000, 250.0, 25.0, false, false, clock));
    ClockObservation o;
    REQUIRE (source.pop (o));
    CHECK (o.sample == 96024);
    CHECK (o.frames == 250.0);
    CHECK (SampleClock::monotonicNowNs() > 0);
}

TEST_CASE ("ClockManager: sources on their own threads, the master, health and events read on others", "[clock][fifo][seqlock]")
{
    // Threads as in the app: an "audio" thread runs process() and publishes LTC and the
    // SampleClock, a "MIDI" thread publishes an MTC peer placed through the SampleClock, the
    // "message" thread reads snapshots, pops events and adds and removes a source. No sleeping:
    // each thread paces itself on the audio thread's progress. A torn snapshot would break
    // frames = seconds · fps or a health row's own consistency.
    constexpr int blocks = 6000;
    ClockSettings settings;
    settings.flywheelSeconds = 0.1;
    settings.holdSeconds = 0.3;
    auto manager = std::make_unique<ClockManager>();
    manager->prepare (rate, settings);
    SampleClock sampleClock;
    sampleClock.publishBlockStart (0, 0, rate);
    const auto ltcSlot = manager->addSource (ClockSourceKind::ltc, "LTC");
    const auto mtcSlot = manager->addSource (ClockSourceKind::mtc, "MTC");
    std::atomic<int> progress { 0 };

    std::thread audio ([&]
    {
        auto ltc = Rig::ltc (1000.0);
        for (int block = 0; block < blocks; ++block)
        {
            const auto start = (int64_t) block * blockSize;
            // The block's monotonic time: the audio clock itself (1 sample = 20833 ns), so the
            // MIDI thread's stamps are exact.
            sampleClock.publishBlockStart (start, (int64_t) std::llround ((double) start / rate * 1.0e9), rate);
            if (block > 0 && block % 1500 < 1100)
                ltc.emit (start - blockSize, start, [&] (const ClockObservation& o) { manager->getSource (ltcSlot)->publish (o); });
            manager->process (start, blockSize);
            progress.store (block + 1, std::memory_order_release);
            if (block % 16 == 15)
                std::this_thread::yield();
        }
    });
    std::thread midi ([&]
    {
        int64_t quarter = 0;
        for (int seen = 0; seen < blocks; seen = progress.load (std::memory_order_acquire))
        {
            // Every quarter frame due before the audio thread's progress, stamped on its monotonic time.
            const auto due = (int64_t) seen * blockSize;
            for (; quarter * 480 < due; ++quarter)
            {
                const auto sample = quarter * 480;
                manager->getSource (mtcSlot)->publishAtMonotonic ((int64_t) std::llround ((double) sample / rate * 1.0e9),
                                                                   (1000.0 + (double) sample / rate) * 25.0, 25.0, false,
                                                                   false, sampleClock);
            }
            std::this_thread::yield();
        }
    });

    long reads = 0, torn = 0, healthRows = 0, badRows = 0, events = 0, badEvents = 0;
    int extra = -1, lastBlock = 0;
    ClockEvent event;
    for (int seen = 0; seen < blocks; seen = progress.load (std::memory_order_acquire))
    {
        const auto m = manager->getMaster();
        ++reads;
        torn += std::abs (m.frames - m.seconds * m.fps) > 1.0e-6 || (m.activeSource == ClockManager::systemSource) != (m.activeKind == ClockSourceKind::system);
        for (int slot = 0; slot < ClockManager::maxSources; ++slot)
        {
            const auto h = manager->getHealth (slot);
            if (! h.inUse)
                continue;
            ++healthRows;
            badRows += h.locked != (h.state == SourceState::locked) || std::string (h.name).empty() || (h.healthy && ! h.locked);
        }
        while (manager->popEvent (event))
        {
            ++events;
            badEvents += event.source < ClockManager::systemSource || event.source >= ClockManager::maxSources;
        }
        if (seen / 1000 != lastBlock / 1000)
        {
            if (extra < 0)
                extra = manager->addSource (ClockSourceKind::ptp, "PTP");
            else
            {
                manager->removeSource (extra);
                extra = -1;
            }
        }
        lastBlock = seen;
        std::this_thread::yield();
    }
    audio.join();
    midi.join();
    while (manager->popEvent (event))
        ++events;
    const auto m = manager->getMaster();
    INFO (reads << " master reads, " << healthRows << " health rows, " << events << " events; failovers " << m.failovers
                << ", takeovers " << m.takeovers);
    CHECK (torn == 0);
    CHECK (badRows == 0);
    CHECK (badEvents == 0);
    CHECK (reads > 0);
    CHECK (events > 0);
    CHECK (m.everLocked);
    CHECK (m.failovers >= 1);   // LTC pauses for 0.4 s of every 4 s
}

TEST_CASE ("ClockManager: a device restart (prepare without settings) keeps the operator's settings, and applies ones set while stopped", "[clock]")
{
    ClockSettings mtcFirst;
    mtcFirst.priority = { ClockSourceKind::mtc, ClockSourceKind::ltc, ClockSourceKind::ptp, ClockSourceKind::system };
    Rig rig (mtcFirst);
    const auto ltc = rig.add (ClockSourceKind::ltc, "LTC", Rig::ltc (10.0));
    const auto mtc = rig.add (ClockSourceKind::mtc, "MTC", Rig::mtc (10.0));
    rig.run (4.0);
    REQUIRE (rig.history.back().activeSource == rig.feeds[mtc].slot);

    rig.manager->prepare (rate);   // the device restarts: with the defaults LTC would lead
    rig.run (4.0);
    CHECK (rig.history.back().activeSource == rig.feeds[mtc].slot);

    // Set while the audio is stopped (nothing pops the queue), then the device starts.
    REQUIRE (rig.manager->setSettings (ClockSettings {}));
    rig.manager->prepare (rate);
    rig.run (4.0);
    CHECK (rig.history.back().activeSource == rig.feeds[ltc].slot);
}
