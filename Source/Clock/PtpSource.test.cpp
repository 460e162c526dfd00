// CueGrid — GPL-3.0-or-later
// PTP through pmc (issue 12), with a fake `pmc` script on PATH that answers as ptp4l would,
// healthy or not (linuxptp is not needed: the machine has no PTP hardware anyway).
#include "PtpSource.h"

#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

using namespace cuegrid;

namespace
{
constexpr double rate = 48000.0;

const char* healthyOutput = R"(sending: GET TIME_STATUS_NP
	90e2ba.fffe.9f1cb4-0 seq 0 RESPONSE MANAGEMENT TIME_STATUS_NP
		master_offset              -11
		ingress_time               1563806426520963432
		cumulativeScaledRateOffset +0.000000000
		scaledLastGmPhaseChange    0
		gmTimeBaseIndicator        0
		lastGmPhaseChange          0x0000'0000000000000000.0000
		gmPresent                  true
		gmIdentity                 001d9c.fffe.1a0e7d
)";

/** PATH set to one folder for the test's lifetime (each Catch test case runs in its own process). */
struct PathOverride
{
    explicit PathOverride (const std::string& dir) : old (std::getenv ("PATH") ? std::getenv ("PATH") : "")
    {
        setenv ("PATH", (dir + ":/usr/bin:/bin").c_str(), 1);
    }
    ~PathOverride() { setenv ("PATH", old.c_str(), 1); }
    std::string old;
};

/** Runs the manager in real time until `done` or `seconds` pass: blocks of about 128 samples
    whose start is the monotonic time elapsed (as a device's sample clock runs), paired with it
    as the engine publishes it. */
template <typename Done>
void runAudio (ClockManager& manager, SampleClock& clock, int64_t& sample, double seconds, Done&& done)
{
    static const auto zeroNs = SampleClock::monotonicNowNs();
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double> (seconds);
    while (std::chrono::steady_clock::now() < until && ! done())
    {
        const auto nowNs = SampleClock::monotonicNowNs();
        const auto next = std::max (sample + 1, (int64_t) ((double) (nowNs - zeroNs) * rate * 1.0e-9));
        clock.publishBlockStart (next, nowNs, rate);
        manager.process (next, (int) (next - sample));
        sample = next;
        std::this_thread::sleep_for (std::chrono::microseconds (2667));
    }
}
} // namespace

TEST_CASE ("PTP: pmc's TIME_STATUS_NP output is parsed", "[clock]")
{
    const auto status = parsePmcTimeStatus (healthyOutput);
    CHECK (status.answered);
    CHECK (status.gmPresent);
    CHECK (status.masterOffsetNs == -11);
    CHECK (status.gmIdentity == "001d9c.fffe.1a0e7d");
    CHECK (status.healthy (1000));
    CHECK_FALSE (status.healthy (10));
    // pmc without ptp4l prints only what it sent.
    const auto none = parsePmcTimeStatus ("sending: GET TIME_STATUS_NP\n");
    CHECK_FALSE (none.answered);
    CHECK_FALSE (none.healthy (1000));
}

TEST_CASE ("PTP: without linuxptp the source is unavailable and says no ptp4l", "[clock]")
{
    test::TemporaryFolder folder ("ptp-absent");
    PathOverride path (folder.path.string());   // /usr/bin and /bin only: linuxptp's pmc lives in /usr/sbin
    ClockManager manager;
    manager.prepare (rate);
    SampleClock clock;
    PtpSource ptp (manager, clock, PtpSource::Settings { "pmc", 0.1 });
    ptp.start();
    int64_t sample = 0;
    runAudio (manager, clock, sample, 1.0, [&] { return ptp.getPolls() >= 2; });
    CHECK (ptp.describe().rfind ("PTP unavailable: no ptp4l", 0) == 0);
    const auto health = manager.getHealth (ptp.getSlot());
    CHECK (health.inUse);
    CHECK (health.kind == ClockSourceKind::ptp);
    CHECK_FALSE (health.available);
    CHECK_FALSE (health.locked);
    ptp.stop();
}

TEST_CASE ("PTP: a healthy pmc makes a locked source on the time of day, an unhealthy one makes it unavailable", "[clock]")
{
    test::TemporaryFolder folder ("ptp-fake-pmc");
    const auto mode = folder / "mode";
    {
        std::ofstream (folder / "healthy.txt") << healthyOutput;
        std::string unhealthy = healthyOutput;
        unhealthy.replace (unhealthy.find ("gmPresent                  true"), 31, "gmPresent                  false");
        std::ofstream (folder / "unhealthy.txt") << unhealthy;
        std::ofstream (mode) << "healthy";
        std::ofstream script (folder / "pmc");
        // A pmc that checks its arguments as CueGrid must pass them, then answers per the mode file.
        script << "#!/bin/sh\n"
               << "[ \"$#:$*\" = \"4:-u -b 0 GET TIME_STATUS_NP\" ] || { echo \"bad arguments: $*\" >&2; exit 2; }\n"
               << "echo \"$$\" >> '" << (folder / "calls").string() << "'\n"
               << "m=$(cat '" << mode.string() << "')\n"
               << "[ \"$m\" = hang ] && exec sleep 30\n"
               << "cat '" << folder.path.string() << "/'\"$m\".txt\n";
    }
    std::filesystem::permissions (folder / "pmc", std::filesystem::perms::owner_all);
    PathOverride path (folder.path.string());

    ClockManager manager;
    manager.prepare (rate);
    SampleClock clock;
    PtpSource::Settings settings;
    settings.pollSeconds = 0.1;
    settings.pmcTimeoutSeconds = 0.5;
    PtpSource ptp (manager, clock, settings);
    ptp.start();
    int64_t sample = 0;
    // Locked once the flywheel has two observations; validated after its 1 s of settling.
    runAudio (manager, clock, sample, 4.0, [&] { return manager.getHealth (ptp.getSlot()).healthy; });
    const auto health = manager.getHealth (ptp.getSlot());
    INFO (ptp.describe() << "; jitter " << health.jitterUs << " us, stability " << health.stability);
    CHECK (ptp.describe() == "PTP: grandmaster 001d9c.fffe.1a0e7d, offset -11 ns");
    CHECK (health.available);
    CHECK (health.locked);
    CHECK (health.healthy);
    CHECK (health.fps == 25.0);
    // The position is the time of day (UTC) at 25 fps.
    timespec now {};
    clock_gettime (CLOCK_REALTIME, &now);
    const auto dayFrames = (double) (now.tv_sec % 86400) * 25.0 + now.tv_nsec * 25.0e-9;
    CHECK (std::abs (health.positionFrames - dayFrames) < 2.0);
    // No master yet chosen by PTP? With nothing better, the master follows it.
    runAudio (manager, clock, sample, 3.0, [&] { return manager.getMaster().activeSource == ptp.getSlot(); });
    CHECK (manager.getMaster().activeKind == ClockSourceKind::ptp);

    std::ofstream (mode) << "unhealthy";
    runAudio (manager, clock, sample, 2.0, [&] { return ! manager.getHealth (ptp.getSlot()).available; });
    CHECK (ptp.describe() == "PTP unhealthy: no grandmaster");
    CHECK_FALSE (manager.getHealth (ptp.getSlot()).available);
    CHECK (manager.getMaster().activeSource != ptp.getSlot());   // unavailable: lost at once, the master free-runs

    std::ofstream (mode) << "hang";
    runAudio (manager, clock, sample, 3.0, [&] { return ptp.describe().find ("did not answer") != std::string::npos; });
    CHECK (ptp.describe() == "PTP unavailable: pmc did not answer within 0.5 s");
    ptp.stop();
}
