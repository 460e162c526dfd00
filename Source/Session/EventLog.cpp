// CueGrid — GPL-3.0-or-later
#include "EventLog.h"

#include "Errors.h"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace cuegrid
{

namespace
{
    const char* reasonName (VoiceEndReason reason)
    {
        switch (reason)
        {
            case VoiceEndReason::finished: return "finished";
            case VoiceEndReason::stopped: return "stopped";
            case VoiceEndReason::retriggered: return "retriggered";
            case VoiceEndReason::stolen: return "stolen";
            case VoiceEndReason::cut: return "cut";
            case VoiceEndReason::choked: return "choked";
            case VoiceEndReason::panic: return "panic";
        }
        return "unknown";
    }

    nlohmann::ordered_json clipName (const Session& session, int slot)
    {
        if (slot >= 0 && (size_t) slot < session.clips.size())
            return session.clips[(size_t) slot].id;
        return nullptr;
    }

    nlohmann::ordered_json groupName (int group)
    {
        if (group == auditionGroup) return "Audition";
        if (group >= 0 && group < groupCount) return std::string (1, groupLetter (group));
        return nullptr;
    }
} // namespace

nlohmann::ordered_json describeEvent (const EngineEvent& event, const Session& session, double sampleRate)
{
    nlohmann::ordered_json line;
    auto header = [&] (const char* name)
    {
        line["event"] = name;
        line["sample"] = event.sampleTime;
        line["timeSec"] = (double) event.sampleTime / sampleRate;
    };
    switch (event.type)
    {
        case EngineEvent::Type::voiceStarted:
            header ("voiceStart");
            line["clip"] = clipName (session, event.clipSlot);
            line["group"] = groupName (event.group);
            line["voice"] = event.voice;
            line["lengthFrames"] = event.length;
            break;
        case EngineEvent::Type::voiceEnded:
            header ("voiceEnd");
            line["clip"] = clipName (session, event.clipSlot);
            line["group"] = groupName (event.group);
            line["voice"] = event.voice;
            line["reason"] = reasonName (event.reason);
            line["playedFrames"] = event.length;
            break;
        case EngineEvent::Type::commandLate:
            header ("commandLate");
            line["clip"] = clipName (session, event.clipSlot);
            line["lateBySamples"] = event.lateBy;
            break;
        case EngineEvent::Type::triggerRejected:
            header ("triggerRejected");
            line["clip"] = clipName (session, event.clipSlot);
            break;
        case EngineEvent::Type::overload:
            header ("overload");
            line["callbackMicroseconds"] = event.lateBy;
            break;
        case EngineEvent::Type::voiceFading:
            header ("voiceFading");
            line["clip"] = clipName (session, event.clipSlot);
            line["group"] = groupName (event.group);
            line["voice"] = event.voice;
            line["fadeSamples"] = event.length;
            line["fadeMs"] = std::round ((double) event.length * 1000.0 / sampleRate * 1000.0) / 1000.0;
            break;
        case EngineEvent::Type::voicePaused:
        case EngineEvent::Type::voiceResumed:
            header (event.type == EngineEvent::Type::voicePaused ? "voicePaused" : "voiceResumed");
            line["clip"] = clipName (session, event.clipSlot);
            line["group"] = groupName (event.group);
            line["voice"] = event.voice;
            break;
        case EngineEvent::Type::panic:
            header ("panic");
            // Not the count of dropped commands: it depends on how far the feeder had queued,
            // and the log must not depend on the block size or on realtime vs offline.
            break;
        case EngineEvent::Type::underrun:
            header ("underrun");
            // A streamed clip's data was late: these frames played as silence.
            line["clip"] = clipName (session, event.clipSlot);
            line["group"] = groupName (event.group);
            line["voice"] = event.voice;
            line["silentFrames"] = event.length;
            line["silentMs"] = std::round ((double) event.length * 1000.0 / sampleRate * 1000.0) / 1000.0;
            break;
        case EngineEvent::Type::recordStarted:
            header ("recordStart");
            line["bus"] = event.group == 0 ? "A" : "B";
            break;
        case EngineEvent::Type::recordStopped:
            header ("recordStop");
            line["bus"] = event.group == 0 ? "A" : "B";
            line["lengthFrames"] = event.length;
            break;
        case EngineEvent::Type::recordDiscontinuity:
            // The writer fell behind: `lengthFrames` of input were lost here and are silence
            // in the take (also in the take's .discontinuities.ndjson).
            header ("recordDiscontinuity");
            line["bus"] = event.group == 0 ? "A" : "B";
            line["positionFrames"] = event.lateBy;
            line["lengthFrames"] = event.length;
            line["lengthSec"] = std::round ((double) event.length / sampleRate * 1.0e6) / 1.0e6;
            break;
        case EngineEvent::Type::meter:
            return nullptr;
    }
    return line;
}

namespace
{
    /** A level in dB rounded to `decimals`, or null at or below `floorDb` (silence). */
    nlohmann::ordered_json roundedDb (double db, double floorDb, int decimals)
    {
        if (! std::isfinite (db) || db <= floorDb)
            return nullptr;
        const auto scale = std::pow (10.0, decimals);
        return std::round (db * scale) / scale;
    }

    nlohmann::ordered_json linearToDbfs (float linear)
    {
        return linear > 0.0f ? roundedDb (20.0 * std::log10 ((double) linear), -200.0, 2) : nullptr;
    }

    /** {"A": [L, R], …, "D": […], "Audition": […], "master": […]} in dBFS (null = silence). */
    nlohmann::ordered_json busLevels (const float (&levels)[EngineEvent::meterChannels])
    {
        nlohmann::ordered_json buses;
        for (int bus = 0; bus < groupCount + 2; ++bus)
        {
            const auto name = bus < groupCount ? std::string (1, groupLetter (bus)) : bus == groupCount ? "Audition" : "master";
            buses[name] = nlohmann::ordered_json::array ({ linearToDbfs (levels[2 * bus]), linearToDbfs (levels[2 * bus + 1]) });
        }
        return buses;
    }
} // namespace

nlohmann::ordered_json describeMeterEvent (const EngineEvent& event, double sampleRate)
{
    if (event.type != EngineEvent::Type::meter)
        return nullptr;
    nlohmann::ordered_json line;
    line["event"] = "meter";
    line["sample"] = event.sampleTime;
    line["timeSec"] = (double) event.sampleTime / sampleRate;
    line["peakDbfs"] = busLevels (event.peaks);
    line["rmsDbfs"] = busLevels (event.rms);
    line["lufsMomentary"] = roundedDb (event.lufsMomentary, -200.0, 1);
    line["lufsShortTerm"] = roundedDb (event.lufsShortTerm, -200.0, 1);
    line["limiterReductionDb"] = std::round ((double) event.gainReductionDb * 100.0) / 100.0;
    return line;
}

nlohmann::ordered_json describeXrun (int count, int64_t sampleTime, double sampleRate)
{
    nlohmann::ordered_json line;
    line["event"] = "xrun";
    line["sample"] = sampleTime;
    line["timeSec"] = (double) sampleTime / sampleRate;
    line["count"] = count;
    return line;
}

namespace
{
    /** One NDJSON line. Invalid UTF-8 (say, a file name) becomes U+FFFD instead of an exception. */
    std::string ndjsonLine (const nlohmann::ordered_json& line)
    {
        return line.dump (-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    }
}

RenderEventLog::RenderEventLog (const std::string& path) : file (path) {}

void RenderEventLog::write (const nlohmann::ordered_json& line)
{
    buffer += ndjsonLine (line);
    if (buffer.size() >= 64 * 1024)
    {
        file.write (buffer.data(), buffer.size());
        buffer.clear();
    }
}

void RenderEventLog::commit()
{
    file.write (buffer.data(), buffer.size());
    buffer.clear();
    file.commit();
}

EventLogWriter::EventLogWriter (const std::string& filePath) : path (filePath)
{
    descriptor = ::open (path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (descriptor < 0)
        throw OutputError (path + ": cannot create event log: " + std::strerror (errno));
}

EventLogWriter::~EventLogWriter()
{
    if (descriptor >= 0)
        ::close (descriptor);
}

bool EventLogWriter::tryWrite (const nlohmann::ordered_json& line, std::string& error) noexcept
{
    try
    {
        const auto text = ndjsonLine (line);
        size_t done = 0;
        while (done < text.size())
        {
            const auto written = ::write (descriptor, text.data() + done, text.size() - done);
            if (written < 0 && errno == EINTR)
                continue;
            if (written <= 0)
            {
                const auto reason = written == 0 ? std::string ("nothing written") : std::string (std::strerror (errno));
                // Cut a partial line away, so the file stays valid NDJSON; shrinking needs no space.
                if (done > 0 && ::ftruncate (descriptor, (off_t) goodSize) == 0)
                    ::lseek (descriptor, (off_t) goodSize, SEEK_SET);
                error = path + ": write failed: " + reason;
                return false;
            }
            done += (size_t) written;
        }
        goodSize += (long long) text.size();
        return true;
    }
    catch (const std::exception& e)
    {
        error = path + ": write failed: " + e.what();
        return false;
    }
}

namespace
{
    double steadySeconds() noexcept
    {
        return std::chrono::duration<double> (std::chrono::steady_clock::now().time_since_epoch()).count();
    }
}

LiveEventLog::LiveEventLog (const std::string& path, double retry) : writer (path), retrySeconds (retry)
{
}

void LiveEventLog::write (const nlohmann::ordered_json& line) noexcept
{
    if (failing && steadySeconds() - lastAttemptSeconds < retrySeconds)
    {
        ++droppedInGap;
        ++droppedTotal;
        return;
    }
    tryNow (&line);
}

void LiveEventLog::retryIfDue() noexcept
{
    if (failing && steadySeconds() - lastAttemptSeconds >= retrySeconds)
        tryNow (nullptr);
}

bool LiveEventLog::tryNow (const nlohmann::ordered_json* line) noexcept
{
    std::string error;
    if (failing)
    {
        lastAttemptSeconds = steadySeconds();
        try
        {
            nlohmann::ordered_json gap;
            gap["event"] = "eventLogGap";
            gap["dropped"] = droppedInGap;
            gap["gapSec"] = std::round ((lastAttemptSeconds - gapStartSeconds) * 10.0) / 10.0;
            gap["error"] = lastError;
            if (! writer.tryWrite (gap, error))
            {
                if (line != nullptr)
                {
                    ++droppedInGap;
                    ++droppedTotal;
                }
                lastError = error;
                return false;
            }
            report = "event log " + writer.getPath() + ": writing again; " + std::to_string (droppedInGap)
                     + " line(s) were dropped";
            failing = false;
            droppedInGap = 0;
        }
        catch (...)
        {
            return false;
        }
    }
    if (line == nullptr)
        return true;
    if (writer.tryWrite (*line, error))
        return true;
    fail (error);
    ++droppedInGap;
    ++droppedTotal;
    return false;
}

void LiveEventLog::fail (const std::string& error) noexcept
{
    try
    {
        failing = true;
        lastError = error;
        gapStartSeconds = lastAttemptSeconds = steadySeconds();
        report = "event log " + error + "; events are dropped and retried every "
                 + std::to_string ((int) std::lround (retrySeconds)) + " s (the show goes on)";
    }
    catch (...)
    {
    }
}

std::string LiveEventLog::takeReport()
{
    return std::exchange (report, {});
}

std::string LiveEventLog::getProblem() const
{
    if (! failing)
        return {};
    // The reason without the path (stderr and the gap line have it): the status bar is short.
    const auto at = lastError.rfind (": ");
    const auto reason = at == std::string::npos ? lastError : lastError.substr (at + 2);
    return "Event log not written (" + reason + "), " + std::to_string (droppedTotal) + " line(s) dropped, retrying";
}

} // namespace cuegrid
