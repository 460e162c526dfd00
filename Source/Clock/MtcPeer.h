// CueGrid — GPL-3.0-or-later
// One MIDI input's MTC as a clock-manager source: its own assembler, its own slot, named after
// the input. Every MIDI input is such a peer (issue 12); docs/clock.md, "MTC peers".
#pragma once

#include "ClockManager.h"
#include "MtcAssembler.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

namespace cuegrid
{

/** The MTC of one MIDI input (an ALSA device through JUCE, or one JACK MIDI input port).

    Threads: made and destroyed on the message thread (the constructor claims a source slot of
    kind mtc, the destructor frees it: the input's thread must have stopped calling handle()
    by then). handle() runs on the input's own thread (JUCE's ALSA thread, the JACK process
    thread): no allocation, lock, I/O or exception. getters: any thread. */
class MtcPeer
{
public:
    /** `manager` may be null: MTC is then only recognised (kept away from the mappings), not
        followed. No free slot (16 sources) likewise. */
    MtcPeer (ClockManager* manager, const SampleClock* clock, const std::string& name);
    ~MtcPeer();

    MtcPeer (const MtcPeer&) = delete;
    MtcPeer& operator= (const MtcPeer&) = delete;

    /** True for a quarter frame (F1 0nnn dddd) or a full-frame SysEx (F0 7F dd 01 01 hh mm ss ff F7). */
    static bool isMtc (const uint8_t* data, size_t size) noexcept;

    /** The input's thread: one message that arrived at CLOCK_MONOTONIC `monotonicNs`. Returns
        isMtc(): true means the message is consumed (MTC never triggers a MIDI mapping). */
    bool handle (const uint8_t* data, size_t size, int64_t monotonicNs) noexcept;

    /** The JACK process thread: as handle(), with the message's JACK frame (jack_last_frame_time
        + its offset in the cycle): its audio sample is then taken by frames (SampleClock::
        sampleAtJackFrame) when the engine runs on JACK, else from `monotonicNs`. */
    bool handleAtJackFrame (const uint8_t* data, size_t size, int64_t monotonicNs, uint32_t jackFrame) noexcept;

    /** The manager's slot, −1 without one. */
    int getSlot() const noexcept { return slot; }
    const std::string& getName() const noexcept { return name; }
    /** A JACK-frame stamp further than this from the message's arrival-time stamp is not used. */
    static constexpr double maxFrameStampDisagreementSeconds = 0.02;
    /** JACK-frame stamps not used for that (any thread). */
    uint64_t getFrameStampsRejected() const noexcept { return frameStampsRejected.load (std::memory_order_relaxed); }
    /** MTC messages seen (any thread). */
    uint64_t getMessages() const noexcept { return messages.load (std::memory_order_relaxed); }
    /** Quarter frames out of order (lock lost), any thread. */
    uint64_t getSequenceErrors() const noexcept { return sequenceErrors.load (std::memory_order_relaxed); }

private:
    ClockManager* manager;
    const SampleClock* clock;
    ClockSource* source = nullptr;
    int slot = -1;
    std::string name;
    MtcAssembler assembler;                          // the input's thread only
    std::atomic<uint64_t> messages { 0 };            // writer: the input's thread; readers: any
    std::atomic<uint64_t> sequenceErrors { 0 };      // likewise
    std::atomic<uint64_t> frameStampsRejected { 0 };  // likewise: JACK-frame stamps off the arrival time by more than the bound

    bool handleStamped (const uint8_t* data, size_t size, int64_t monotonicNs, const uint32_t* jackFrame) noexcept;
};

} // namespace cuegrid
