// CueGrid — GPL-3.0-or-later
#pragma once

#include "../Engine/RecordBus.h"

#include <nlohmann/json.hpp>

#include <array>
#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace cuegrid
{

/** How Record A/B takes are written (manifest `recording`). */
struct RecordingFormat
{
    enum class Container { wav, flac };
    enum class Sample { int24, float32 };
    Container container = Container::wav;
    Sample sample = Sample::int24;   // FLAC is always 24-bit
};

/** Where takes go: `<folder>/Recordings/<stem> <A|B> <UTC yyyy-mm-dd HH-MM-SS>.wav|.flac`. */
struct RecordingTarget
{
    std::string folder;       // the session's folder
    std::string stem;         // the session file's name without its extension
    RecordingFormat format;
    double sampleRate = 48000.0;
};

/** The Record A/B writer thread: drains the engine's record buses (their rings and markers,
    RecordBus) and writes each take to its own file with libsndfile, never touching the audio
    thread beyond the rings' lock-free indices.

    - WAV is written as RF64 that libsndfile turns back into a plain WAV when the take closes
      under 4 GiB (SFC_RF64_AUTO_DOWNGRADE), so a take of any length has a valid header; FLAC
      is 24-bit. Integer samples are clipped at full scale.
    - The header is rewritten (SFC_UPDATE_HEADER_NOW) at least once a second while a take
      runs: a crash of the app leaves a WAV that plays up to the last second written.
    - A gap (frames the ring had no room for) is written as silence of its exact length, and
      appended to the take's sidecar `<file name>.discontinuities.ndjson` (made at the first
      gap): a take's length always equals the time it ran.
    - What happened (a take's file opened or closed, a write error) is reported as NDJSON lines
      for the event log through takeReports(); the gaps themselves reach the event log as the
      engine's recordDiscontinuity events.

    Threads: the constructor, setTarget(), takeReports(), start/stopThread() on the control
    thread; drain() on the writer thread it starts (or, in tests, on the caller's thread with
    no writer thread running). The buses outlive the writer.
*/
class RecordingWriter
{
public:
    explicit RecordingWriter (std::array<RecordBus*, recordBusCount> buses);
    ~RecordingWriter();

    /** Where and how the next takes are written (a running take keeps its file). */
    void setTarget (const RecordingTarget& target);

    /** Starts / stops the writer thread. stopThread() drains once more and closes open files. */
    void startThread();
    void stopThread();

    /** Writer thread (or a test's only thread). Takes everything the buses have now; returns
        the frames taken. */
    int64_t drain();

    /** Closes every open take as it is (its header made final). Writer thread, or after
        stopThread(). */
    void closeAll();

    /** Control thread. NDJSON lines since the last call: recordFile (a take's file opened),
        recordClosed (frames, seconds, discontinuities) and recordError. */
    std::vector<nlohmann::ordered_json> takeReports();

    /** Test hook: the writer thread sleeps this much more between drains (a slow disk). Also
        set by the environment variable CUEGRID_RECORD_WRITER_DELAY_MS. Any thread. */
    void setExtraDelayMs (int milliseconds) noexcept { extraDelayMs.store (milliseconds); }

    /** Any thread. The file of the bus's running take, or its last one; "" before any. */
    std::string getFile (int bus) const;

    /** Any thread. Frames written to files so far (silence for gaps included). */
    int64_t getFramesWritten() const noexcept { return framesWritten.load (std::memory_order_relaxed); }

    static constexpr int bufferFrames = 8192;

private:
    struct Take
    {
        void* file = nullptr;      // SNDFILE*
        std::string path, sidecar;
        int64_t frames = 0;        // written so far, silence included
        int64_t engineStart = 0;
        int discontinuities = 0;
        double lastHeaderUpdate = 0.0;
        bool failed = false;       // a write error was reported: the rest of the take is dropped
    };
    struct BusState
    {
        int generation = -1;
        int64_t streamRead = 0;                // frames taken from the ring since its prepare()
        std::optional<RecordMarker> pending;   // the next marker, not reached yet
        Take take;
        bool open = false;
    };

    void drainBus (int bus, int64_t& taken);
    void openTake (int bus, const RecordMarker& marker);
    void closeTake (int bus, const RecordMarker* stop);
    void writeFrames (int bus, const float* interleaved, int64_t frames);
    void writeSilence (int bus, int64_t frames);
    void logGap (int bus, int64_t frames, int64_t engineTime);
    void report (nlohmann::ordered_json line);
    void run();

    std::array<RecordBus*, recordBusCount> buses;
    std::array<BusState, recordBusCount> states;   // writer thread only
    std::vector<float> buffer;                     // writer thread only

    mutable std::mutex mutex;                      // guards target, reports, files
    RecordingTarget target;
    std::vector<nlohmann::ordered_json> reports;
    std::array<std::string, recordBusCount> files;

    std::thread thread;
    std::atomic<bool> running { false };
    std::atomic<int> extraDelayMs { 0 };
    std::atomic<int64_t> framesWritten { 0 };
};

/** "A" or "B". */
inline const char* recordBusName (int bus) { return bus == 0 ? "A" : "B"; }

} // namespace cuegrid
