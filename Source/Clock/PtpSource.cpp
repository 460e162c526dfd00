// CueGrid — GPL-3.0-or-later
#include "PtpSource.h"

#include <juce_core/juce_core.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <ctime>
#include <poll.h>
#include <sstream>
#include <vector>
#include <sys/wait.h>
#include <unistd.h>

namespace cuegrid
{

namespace
{
/** Runs `args` (args[0] found on PATH) and collects its stdout until it ends or `timeoutSeconds`
    pass (then it is killed). False on timeout or when it could not start. (juce::ChildProcess
    cannot read what a process wrote once it has been waited for, nor read with a timeout.) */
bool runWithTimeout (const std::vector<std::string>& args, double timeoutSeconds, std::string& output)
{
    int fds[2];
    if (pipe (fds) != 0)
        return false;
    const auto pid = fork();
    if (pid < 0)
    {
        close (fds[0]);
        close (fds[1]);
        return false;
    }
    if (pid == 0)
    {
        dup2 (fds[1], STDOUT_FILENO);
        close (fds[0]);
        close (fds[1]);
        std::vector<char*> argv;
        for (const auto& a : args)
            argv.push_back (const_cast<char*> (a.c_str()));
        argv.push_back (nullptr);
        execvp (argv[0], argv.data());
        _exit (127);
    }
    close (fds[1]);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double> (timeoutSeconds);
    bool finished = false;
    char buffer[4096];
    for (;;)
    {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds> (deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0)
            break;
        pollfd p { fds[0], POLLIN, 0 };
        const auto ready = poll (&p, 1, (int) left);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            break;
        const auto n = read (fds[0], buffer, sizeof (buffer));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
        {
            finished = true;   // EOF: it closed its stdout (ended)
            break;
        }
        output.append (buffer, (size_t) n);
    }
    close (fds[0]);
    if (! finished)
        kill (pid, SIGKILL);
    int status = 0;
    while (waitpid (pid, &status, 0) < 0 && errno == EINTR) {}
    return finished;
}
} // namespace

bool PtpStatus::healthy (int64_t maxOffsetNs) const noexcept
{
    return answered && gmPresent && std::llabs (masterOffsetNs) <= maxOffsetNs;
}

PtpStatus parsePmcTimeStatus (const std::string& output)
{
    PtpStatus status;
    std::istringstream lines (output);
    std::string line;
    while (std::getline (lines, line))
    {
        std::istringstream words (line);
        std::string key, value;
        words >> key >> value;
        if (line.find ("RESPONSE MANAGEMENT TIME_STATUS_NP") != std::string::npos)
            status.answered = true;
        else if (key == "master_offset")
            status.masterOffsetNs = std::strtoll (value.c_str(), nullptr, 10);
        else if (key == "gmPresent")
            status.gmPresent = value == "true";
        else if (key == "gmIdentity")
            status.gmIdentity = value;
    }
    return status;
}

PtpSource::PtpSource (ClockManager& m, const SampleClock& c, Settings s) : manager (m), sampleClock (c), settings (std::move (s)) {}

PtpSource::~PtpSource() { stop(); }

void PtpSource::start()
{
    stop();
    slot = manager.addSource (ClockSourceKind::ptp, "PTP");
    if (auto* source = manager.getSource (slot))
        source->setAvailable (false);   // until pmc says linuxptp is healthy
    {
        const std::lock_guard<std::mutex> guard (lock);
        stopping = false;
    }
    poller = std::thread ([this] { pollLoop(); });
    reader = std::thread ([this] { readLoop(); });
}

void PtpSource::stop()
{
    {
        const std::lock_guard<std::mutex> guard (lock);
        stopping = true;
    }
    wake.notify_all();
    if (reader.joinable()) reader.join();
    if (poller.joinable()) poller.join();
    if (slot >= 0)
        manager.removeSource (slot);
    slot = -1;
}

std::string PtpSource::describe() const
{
    const std::lock_guard<std::mutex> guard (lock);
    return status;
}

bool PtpSource::waitFor (double seconds)
{
    std::unique_lock<std::mutex> guard (lock);
    return ! wake.wait_for (guard, std::chrono::duration<double> (seconds), [this] { return stopping; });
}

void PtpSource::readLoop()
{
    auto* source = manager.getSource (slot);
    while (waitFor (settings.observeSeconds))
    {
        if (source == nullptr || ! healthyNow.load())
            continue;
        // The time of day and CLOCK_MONOTONIC read back to back (a few hundred ns apart).
        timespec day {}, mono {};
        clock_gettime (settings.tai ? CLOCK_TAI : CLOCK_REALTIME, &day);
        clock_gettime (CLOCK_MONOTONIC, &mono);
        const auto secondsOfDay = (double) (day.tv_sec % 86400) + day.tv_nsec * 1.0e-9;
        ClockObservation observation;
        observation.sample = sampleClock.sampleAt ((int64_t) mono.tv_sec * 1000000000 + mono.tv_nsec);
        observation.frames = secondsOfDay * settings.fps;
        observation.fps = settings.fps;
        observation.dropFrame = settings.dropFrame;
        source->publish (observation);
    }
}

void PtpSource::pollLoop()
{
    do
        pollOnce();
    while (waitFor (settings.pollSeconds));
}

void PtpSource::pollOnce()
{
    std::string text;
    bool healthy = false;
    const auto found = juce::File::getCurrentWorkingDirectory().getChildFile (settings.pmc).existsAsFile()
                    || [this]
                       {
                           for (const auto& dir : juce::StringArray::fromTokens (juce::SystemStats::getEnvironmentVariable ("PATH", {}), ":", {}))
                               if (juce::File::isAbsolutePath (dir) && juce::File (dir).getChildFile (settings.pmc).existsAsFile())
                                   return true;
                           return false;
                       }();
    if (! found)
        text = "PTP unavailable: no ptp4l (no pmc: linuxptp is not installed)";
    else
    {
        std::string output;
        if (! runWithTimeout ({ settings.pmc, "-u", "-b", "0", "GET TIME_STATUS_NP" }, settings.pmcTimeoutSeconds, output))
            text = "PTP unavailable: pmc did not answer within " + juce::String (settings.pmcTimeoutSeconds).toStdString() + " s";
        else
        {
            const auto answer = parsePmcTimeStatus (output);
            healthy = answer.healthy (settings.maxOffsetNs);
            if (! answer.answered)
                text = "PTP unavailable: no ptp4l";
            else if (! answer.gmPresent)
                text = "PTP unhealthy: no grandmaster";
            else
                text = std::string (healthy ? "PTP: " : "PTP unhealthy: ") + "grandmaster " + answer.gmIdentity + ", offset "
                     + std::to_string (answer.masterOffsetNs) + " ns" + (healthy ? "" : " (over " + std::to_string (settings.maxOffsetNs) + " ns)");
        }
    }
    healthyNow.store (healthy);
    if (auto* source = manager.getSource (slot))
        source->setAvailable (healthy);
    {
        const std::lock_guard<std::mutex> guard (lock);
        status = text;
    }
    ++polls;
}

} // namespace cuegrid
