// CueGrid — GPL-3.0-or-later
// PTP as a clock-manager source (issue 12): the system clock as linuxptp (ptp4l, phc2sys)
// disciplines it, read as the time of day, with its health polled through `pmc`. When linuxptp
// is absent (the usual case) the source says so and stays unavailable. docs/clock.md, "PTP".
#pragma once

#include "ClockManager.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace cuegrid
{

/** What `pmc -u -b 0 'GET TIME_STATUS_NP'` said. Plain data. */
struct PtpStatus
{
    bool answered = false;          // ptp4l answered (a RESPONSE MANAGEMENT TIME_STATUS_NP)
    bool gmPresent = false;
    int64_t masterOffsetNs = 0;     // this clock − the grandmaster, ns (ptp4l's last measurement)
    std::string gmIdentity;

    /** ptp4l answered, a grandmaster is present and |master_offset| ≤ maxOffsetNs. */
    bool healthy (int64_t maxOffsetNs) const noexcept;
};

/** Parses pmc's text output (the TIME_STATUS_NP fields, any order). Pure. */
PtpStatus parsePmcTimeStatus (const std::string& output);

/** Reads the disciplined system clock as timecode and follows linuxptp's health.

    Threads: start()/stop()/describe() on the message thread. Two threads of its own: the reader
    publishes an observation every `observeSeconds` (CLOCK_REALTIME or CLOCK_TAI as time of day,
    placed on the audio clock through the SampleClock: both clocks read back to back) while the
    source is available; the health thread runs pmc every `pollSeconds` (killed after
    `pmcTimeoutSeconds`) and sets the source available or not. */
class PtpSource
{
public:
    struct Settings
    {
        std::string pmc = "pmc";          // found on PATH
        double pollSeconds = 1.0;
        double pmcTimeoutSeconds = 2.0;
        double observeSeconds = 0.02;     // 50 observations a second: a warm flywheel (gaps > 0.25 s relock it)
        double fps = 25.0;                // the show's rate: the time of day as frames at this rate
        bool dropFrame = false;
        bool tai = false;                 // CLOCK_TAI (ptp4l's own timescale) instead of CLOCK_REALTIME (UTC)
        int64_t maxOffsetNs = 1000;       // |master_offset| above this: unhealthy
    };

    PtpSource (ClockManager& manager, const SampleClock& clock, Settings settings);
    PtpSource (ClockManager& clockManager, const SampleClock& clock) : PtpSource (clockManager, clock, Settings()) {}
    ~PtpSource();

    /** Claims a source slot ("PTP") and starts both threads. */
    void start();
    /** Stops the threads and frees the slot. */
    void stop();

    int getSlot() const noexcept { return slot; }
    /** "PTP unavailable: no ptp4l", "PTP: grandmaster 001d9c… offset −11 ns", ... Any thread. */
    std::string describe() const;
    /** Polls so far (any thread). */
    int getPolls() const noexcept { return polls.load(); }
    bool isHealthy() const noexcept { return healthyNow.load(); }

private:
    void readLoop();
    void pollLoop();
    void pollOnce();
    bool waitFor (double seconds);   // false: stop asked

    ClockManager& manager;
    const SampleClock& sampleClock;
    Settings settings;
    int slot = -1;

    std::thread reader, poller;
    mutable std::mutex lock;            // guards stopping (with wake) and status (poll thread writes, describe reads)
    std::condition_variable wake;
    bool stopping = false;
    std::string status = "PTP: not polled yet";
    std::atomic<bool> healthyNow { false };   // writer: poll thread; readers: reader thread, any
    std::atomic<int> polls { 0 };
};

} // namespace cuegrid
