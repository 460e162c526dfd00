// CueGrid — GPL-3.0-or-later
// `timecode monitor --master-trace FILE`: the master timeline at every audio block, for tests
// that must see each block (a failover "within one block", "no jump" between two blocks), which
// the monitor's once-a-second lines cannot show. docs/cli.md, "timecode monitor".
#pragma once

#include "Clock/ClockJson.h"
#include "Clock/ClockManager.h"
#include "Engine/EngineDeviceCallback.h"
#include "Engine/SpscFifo.h"

#include <atomic>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>

namespace cuegrid::cli
{

/** Wraps the engine's device callback: after each block it copies the master (the seqlock
    snapshot the block just published; its writer is this same thread, so the read never spins)
    into an SPSC FIFO of plain records. No allocation, lock or I/O on the audio thread; the
    message thread drains the FIFO into the file (drain()). A full FIFO drops the record and
    counts it, and the file's last line says how many were dropped. */
class MasterTrace final : public juce::AudioIODeviceCallback
{
public:
    MasterTrace (EngineDeviceCallback& engineCallback, const ClockManager& clockManager, const std::string& path)
        : inner (engineCallback), manager (clockManager), out (path), records (std::make_unique<Fifo>())
    {
    }

    bool isOpen() const { return out.good(); }

    // Audio thread.
    void audioDeviceIOCallbackWithContext (const float* const* inputs, int numInputs, float* const* outputs, int numOutputs,
                                           int numFrames, const juce::AudioIODeviceCallbackContext& context) override
    {
        inner.audioDeviceIOCallbackWithContext (inputs, numInputs, outputs, numOutputs, numFrames, context);
        const auto master = manager.getMaster();
        Record record { master.sample, numFrames, master.seconds, master.lineSeconds, master.speed, master.slew,
                        master.offsetSeconds, master.activeSource, master.state, master.failovers, master.takeovers };
        if (! records->push (record))
            dropped.fetch_add (1, std::memory_order_relaxed);
    }

    void audioDeviceAboutToStart (juce::AudioIODevice* device) override { inner.audioDeviceAboutToStart (device); }
    void audioDeviceStopped() override { inner.audioDeviceStopped(); }
    void audioDeviceError (const juce::String& message) override { inner.audioDeviceError (message); }

    /** Message thread: writes every record queued so far, one NDJSON line each: `sample` (block
        start, audio samples), `frames` (block length), `seconds` (master timecode seconds at the
        block start, the time of day), `lineSeconds` (the same on the master's line, not wrapped at
        midnight: what steps are measured on), `speed`, `slew` (the part of speed that corrects towards the source),
        `offsetMs` (master − its source), `source`, `state`, `failovers`, `takeovers`. Call it at least every 0.3 s (the FIFO holds 8192 blocks: 21 s at 128 samples). */
    void drain()
    {
        Record r;
        while (records->pop (r))
        {
            nlohmann::ordered_json line;
            line["sample"] = r.sample;
            line["frames"] = r.frames;
            line["seconds"] = r.seconds;   // full double precision: steps between blocks are checked to the µs
            line["lineSeconds"] = r.lineSeconds;
            line["speed"] = r.speed;
            line["slew"] = r.slew;
            line["offsetMs"] = r.offsetSeconds * 1000.0;
            line["source"] = clockSourceName (manager, r.activeSource);
            line["state"] = masterStateName (r.state);
            line["failovers"] = r.failovers;
            line["takeovers"] = r.takeovers;
            out << line.dump() << "\n";
            ++written;
        }
    }

    /** Message thread, after the device stopped: the rest, and a last line with the counts. */
    void finish()
    {
        drain();
        out << nlohmann::ordered_json { { "blocks", written }, { "dropped", dropped.load() } }.dump() << "\n";
        out.flush();
    }

private:
    /** One block's master. Plain data. */
    struct Record
    {
        int64_t sample;
        int frames;
        double seconds, lineSeconds, speed, slew, offsetSeconds;
        int activeSource;
        MasterState state;
        uint32_t failovers, takeovers;
    };
    using Fifo = SpscFifo<Record, 8192>;

    EngineDeviceCallback& inner;
    const ClockManager& manager;
    std::ofstream out;                      // message thread
    std::unique_ptr<Fifo> records;          // producer: audio thread; consumer: message thread
    std::atomic<uint32_t> dropped { 0 };    // writer: audio thread; reader: message thread
    uint64_t written = 0;                   // message thread
};

} // namespace cuegrid::cli
