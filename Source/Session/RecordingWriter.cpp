// CueGrid — GPL-3.0-or-later
#include "RecordingWriter.h"

#include <juce_core/juce_core.h>
#include <sndfile.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace cuegrid
{

namespace
{
    double nowSeconds() { return juce::Time::getMillisecondCounterHiRes() / 1000.0; }

    SNDFILE* handleOf (void* file) { return static_cast<SNDFILE*> (file); }

    std::string utcStamp (const juce::Time& time, const char* format)
    {
        // juce::Time::formatted is local time: format UTC by hand.
        const auto seconds = (std::time_t) (time.toMilliseconds() / 1000);
        std::tm utc {};
        gmtime_r (&seconds, &utc);
        char text[64];
        std::strftime (text, sizeof text, format, &utc);
        return text;
    }

    double rounded (double value, double scale) { return std::round (value * scale) / scale; }

    uint32_t readLe32 (const unsigned char* bytes) { return bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | ((uint32_t) bytes[3] << 24); }
    void writeLe32 (unsigned char* bytes, uint32_t value)
    {
        for (int i = 0; i < 4; ++i)
            bytes[i] = (unsigned char) (value >> (8 * i));
    }

    /** A closed RF64 take under 4 GiB becomes a plain WAV in place (EBU Tech 3306's
        compatible layout): "RF64" → "RIFF" with its real size, the ds64 chunk → a JUNK chunk,
        and the data chunk's real size. SFC_RF64_AUTO_DOWNGRADE normally did this already (the
        file starts "RIFF": true); this makes sure of it. Returns false (the file stays a valid
        RF64) if it is not laid out as expected or too large. */
    bool downgradeRf64ToWav (const std::string& path)
    {
        auto* file = std::fopen (path.c_str(), "r+b");
        if (file == nullptr)
            return false;
        bool done = false;
        unsigned char header[12];
        std::fseek (file, 0, SEEK_END);
        const auto fileSize = (int64_t) ftello (file);
        std::fseek (file, 0, SEEK_SET);
        if (std::fread (header, 1, 4, file) == 4 && std::memcmp (header, "RIFF", 4) == 0)
        {
            std::fclose (file);
            return true;
        }
        std::fseek (file, 0, SEEK_SET);
        if (fileSize < 0xFFFFFFFFLL && std::fread (header, 1, 12, file) == 12 && std::memcmp (header, "RF64", 4) == 0
            && std::memcmp (header + 8, "WAVE", 4) == 0)
        {
            // Walk the chunks up to "data"; ds64 must be among them.
            int64_t offset = 12, ds64 = -1, data = -1;
            unsigned char chunk[8];
            while (offset + 8 <= fileSize && fseeko (file, offset, SEEK_SET) == 0 && std::fread (chunk, 1, 8, file) == 8)
            {
                if (std::memcmp (chunk, "ds64", 4) == 0) ds64 = offset;
                if (std::memcmp (chunk, "data", 4) == 0) { data = offset; break; }
                offset += 8 + readLe32 (chunk + 4) + (readLe32 (chunk + 4) & 1);
            }
            if (ds64 >= 0 && data >= 0)
            {
                unsigned char value[4];
                auto put = [&] (int64_t at, const void* bytes) { return fseeko (file, at, SEEK_SET) == 0 && std::fwrite (bytes, 1, 4, file) == 4; };
                bool ok = put (0, "RIFF");
                writeLe32 (value, (uint32_t) (fileSize - 8));
                ok = ok && put (4, value) && put (ds64, "JUNK");
                writeLe32 (value, (uint32_t) (fileSize - data - 8));
                ok = ok && put (data + 4, value);
                done = ok && std::fflush (file) == 0;
            }
        }
        std::fclose (file);
        return done;
    }
} // namespace

RecordingWriter::RecordingWriter (std::array<RecordBus*, recordBusCount> busesToDrain)
    : buses (busesToDrain), buffer ((size_t) bufferFrames * 2)
{
    if (const auto* delay = std::getenv ("CUEGRID_RECORD_WRITER_DELAY_MS"))
        extraDelayMs.store (std::max (0, std::atoi (delay)));
}

RecordingWriter::~RecordingWriter()
{
    stopThread();
    closeAll();
}

void RecordingWriter::setTarget (const RecordingTarget& newTarget)
{
    const std::lock_guard<std::mutex> lock (mutex);
    target = newTarget;
}

void RecordingWriter::startThread()
{
    if (running.exchange (true))
        return;
    thread = std::thread ([this] { run(); });
}

void RecordingWriter::stopThread()
{
    if (! running.exchange (false))
        return;
    thread.join();
    drain();
}

void RecordingWriter::run()
{
    juce::Thread::setCurrentThreadName ("CueGrid recorder");
    while (running.load())
    {
        drain();
        // 20 ms: a 4 s ring is a few percent full between drains.
        std::this_thread::sleep_for (std::chrono::milliseconds (20 + extraDelayMs.load()));
    }
}

std::vector<nlohmann::ordered_json> RecordingWriter::takeReports()
{
    const std::lock_guard<std::mutex> lock (mutex);
    return std::exchange (reports, {});
}

std::string RecordingWriter::getFile (int bus) const
{
    const std::lock_guard<std::mutex> lock (mutex);
    return files[(size_t) bus];
}

void RecordingWriter::report (nlohmann::ordered_json line)
{
    const std::lock_guard<std::mutex> lock (mutex);
    reports.push_back (std::move (line));
}

int64_t RecordingWriter::drain()
{
    int64_t taken = 0;
    for (int bus = 0; bus < recordBusCount; ++bus)
        if (buses[(size_t) bus] != nullptr)
            drainBus (bus, taken);
    return taken;
}

void RecordingWriter::drainBus (int bus, int64_t& taken)
{
    auto& ring = *buses[(size_t) bus];
    auto& state = states[(size_t) bus];
    for (;;)
    {
        // Only the ring's indices are used between beginReading and endReading, never the
        // disk: a device restart (RecordBus::prepare) waits for this bracket.
        if (! ring.beginReading())
            return;
        if (ring.getGeneration() != state.generation)
        {
            ring.endReading();
            if (state.open)
                closeTake (bus, nullptr);   // the device restarted: its take ended there
            state.generation = ring.getGeneration();
            state.streamRead = 0;
            state.pending.reset();
            continue;
        }
        // The frames ready are counted before the marker is looked at: the audio thread pushes
        // a marker before the frames after it, so no frame counted here lies past an unseen one.
        const auto ready = (int64_t) ring.getFramesReady();
        if (! state.pending)
        {
            RecordMarker marker;
            if (ring.popMarker (marker))
                state.pending = marker;
        }
        if (state.pending && state.pending->position <= state.streamRead)
        {
            ring.endReading();
            const auto marker = *state.pending;
            state.pending.reset();
            if (marker.type == RecordMarker::Type::start)
                openTake (bus, marker);
            else if (marker.type == RecordMarker::Type::gap)
            {
                writeSilence (bus, marker.length);
                logGap (bus, marker.length, marker.engineTime);
            }
            else
                closeTake (bus, &marker);
            continue;
        }
        auto wanted = ready;
        if (state.pending)
            wanted = std::min (wanted, state.pending->position - state.streamRead);
        wanted = std::min<int64_t> (wanted, bufferFrames);
        if (wanted <= 0)
        {
            ring.endReading();
            break;
        }
        const auto got = ring.readFrames (buffer.data(), (int) wanted);
        ring.endReading();
        state.streamRead += got;
        taken += got;
        if (state.open)
            writeFrames (bus, buffer.data(), got);
    }

    // The header at least once a second: a crash leaves a file that plays to the last second.
    if (state.open && state.take.file != nullptr && nowSeconds() - state.take.lastHeaderUpdate >= 1.0)
    {
        sf_command (handleOf (state.take.file), SFC_UPDATE_HEADER_NOW, nullptr, 0);
        state.take.lastHeaderUpdate = nowSeconds();
    }
}

void RecordingWriter::openTake (int bus, const RecordMarker& marker)
{
    auto& state = states[(size_t) bus];
    if (state.open)
        closeTake (bus, nullptr);
    RecordingTarget where;
    {
        const std::lock_guard<std::mutex> lock (mutex);
        where = target;
    }
    state.open = true;
    state.take = {};
    state.take.engineStart = marker.engineTime;

    const bool flac = where.format.container == RecordingFormat::Container::flac;
    const auto folder = juce::File (where.folder).getChildFile ("Recordings");
    const auto now = juce::Time::getCurrentTime();
    const auto base = where.stem + " " + recordBusName (bus) + " " + utcStamp (now, "%Y-%m-%d %H-%M-%S");
    auto file = folder.getChildFile (base + (flac ? ".flac" : ".wav"));
    for (int n = 2; file.exists(); ++n)   // two takes in one second
        file = folder.getChildFile (base + " (" + std::to_string (n) + ")" + (flac ? ".flac" : ".wav"));
    state.take.path = file.getFullPathName().toStdString();
    state.take.sidecar = file.getSiblingFile (file.getFileName() + ".discontinuities.ndjson").getFullPathName().toStdString();

    SF_INFO info {};
    info.samplerate = (int) std::lround (where.sampleRate);
    info.channels = 2;
    info.format = flac ? (SF_FORMAT_FLAC | SF_FORMAT_PCM_24)
                       : (SF_FORMAT_RF64 | (where.format.sample == RecordingFormat::Sample::float32 ? SF_FORMAT_FLOAT : SF_FORMAT_PCM_24));
    SNDFILE* handle = nullptr;
    const auto created = folder.createDirectory();
    if (created.wasOk())
        handle = sf_open (state.take.path.c_str(), SFM_WRITE, &info);
    nlohmann::ordered_json line;
    line["event"] = "recordFile";   // first, as in every event log line; recordError below keeps the place
    line["bus"] = recordBusName (bus);
    line["file"] = state.take.path;
    if (handle == nullptr)
    {
        state.take.failed = true;
        line["event"] = "recordError";
        line["error"] = "cannot write " + state.take.path + ": "
                        + (created.wasOk() ? std::string (sf_strerror (nullptr)) : created.getErrorMessage().toStdString())
                        + "; this take is not recorded";
        report (std::move (line));
        return;
    }
    sf_command (handle, SFC_SET_CLIPPING, nullptr, SF_TRUE);
    sf_command (handle, SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
    if (! flac)
        sf_command (handle, SFC_RF64_AUTO_DOWNGRADE, nullptr, SF_TRUE);   // a plain WAV (RIFF + JUNK) while under 4 GiB
    const auto utc = utcStamp (now, "%Y-%m-%dT%H:%M:%SZ");
    if (flac)   // libsndfile has no strings for RF64
    {
        sf_set_string (handle, SF_STR_DATE, utc.c_str());
        sf_set_string (handle, SF_STR_SOFTWARE, "CueGrid");
    }
    sf_command (handle, SFC_UPDATE_HEADER_NOW, nullptr, 0);
    state.take.file = handle;
    state.take.lastHeaderUpdate = nowSeconds();
    {
        const std::lock_guard<std::mutex> lock (mutex);
        files[(size_t) bus] = state.take.path;
    }
    line["event"] = "recordFile";
    line["engineSample"] = marker.engineTime;
    line["utc"] = utc;
    report (std::move (line));
}

void RecordingWriter::closeTake (int bus, const RecordMarker* stop)
{
    auto& state = states[(size_t) bus];
    if (! state.open)
        return;
    auto& take = state.take;
    // A loss still open when the take stopped: silence up to the take's length.
    if (stop != nullptr && stop->length > take.frames)
    {
        const auto missing = stop->length - take.frames;
        const auto at = take.engineStart + take.frames;
        writeSilence (bus, missing);
        logGap (bus, missing, at);
    }
    nlohmann::ordered_json line;
    line["event"] = "recordClosed";
    line["bus"] = recordBusName (bus);
    line["file"] = take.path;
    line["frames"] = take.frames;
    double rate = 48000.0;
    {
        const std::lock_guard<std::mutex> lock (mutex);
        rate = target.sampleRate;
    }
    line["seconds"] = rounded ((double) take.frames / rate, 1000.0);
    if (take.file != nullptr)
    {
        if (sf_close (handleOf (take.file)) != 0)
            line["error"] = std::string ("closing failed: ") + sf_strerror (nullptr);
        take.file = nullptr;
        // RF64 while it records (any length, and a crash leaves a valid file); a plain WAV once
        // closed under 4 GiB.
        if (juce::File (take.path).hasFileExtension ("wav"))
            line["container"] = downgradeRf64ToWav (take.path) ? "WAV" : "RF64";
    }
    line["discontinuities"] = take.discontinuities;
    if (stop == nullptr)
        line["reason"] = "the audio device restarted or the writer stopped";
    state.open = false;
    report (std::move (line));
}

void RecordingWriter::closeAll()
{
    for (int bus = 0; bus < recordBusCount; ++bus)
        closeTake (bus, nullptr);
}

void RecordingWriter::writeFrames (int bus, const float* interleaved, int64_t frames)
{
    auto& take = states[(size_t) bus].take;
    take.frames += frames;
    if (take.file == nullptr || take.failed)
        return;
    const auto written = sf_writef_float (handleOf (take.file), interleaved, frames);
    framesWritten.fetch_add (written, std::memory_order_relaxed);
    if (written != frames)
    {
        // A full disk: said once; the take keeps its valid header up to what was written.
        take.failed = true;
        nlohmann::ordered_json line;
        line["event"] = "recordError";
        line["bus"] = recordBusName (bus);
        line["file"] = take.path;
        line["error"] = std::string ("write failed: ") + sf_strerror (handleOf (take.file)) + "; the rest of this take is lost";
        sf_command (handleOf (take.file), SFC_UPDATE_HEADER_NOW, nullptr, 0);
        report (std::move (line));
    }
}

void RecordingWriter::writeSilence (int bus, int64_t frames)
{
    std::vector<float> zeros ((size_t) std::min<int64_t> (frames, bufferFrames) * 2, 0.0f);
    for (int64_t done = 0; done < frames;)
    {
        const auto count = std::min<int64_t> (frames - done, bufferFrames);
        writeFrames (bus, zeros.data(), count);
        done += count;
    }
}

void RecordingWriter::logGap (int bus, int64_t frames, int64_t engineTime)
{
    auto& take = states[(size_t) bus].take;
    ++take.discontinuities;
    double rate = 48000.0;
    {
        const std::lock_guard<std::mutex> lock (mutex);
        rate = target.sampleRate;
    }
    nlohmann::ordered_json line;
    const auto position = engineTime - take.engineStart;
    line["bus"] = recordBusName (bus);
    line["positionFrames"] = position;
    line["positionSec"] = rounded ((double) position / rate, 1000000.0);
    line["lengthFrames"] = frames;
    line["lengthSec"] = rounded ((double) frames / rate, 1000000.0);
    line["engineSample"] = engineTime;
    line["loggedUtc"] = utcStamp (juce::Time::getCurrentTime(), "%Y-%m-%dT%H:%M:%SZ");
    if (auto* sidecar = std::fopen (take.sidecar.c_str(), "a"))
    {
        const auto text = line.dump() + "\n";
        std::fwrite (text.data(), 1, text.size(), sidecar);
        std::fclose (sidecar);
    }
}

} // namespace cuegrid
