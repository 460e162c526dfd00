// CueGrid — GPL-3.0-or-later
// LTC (SMPTE linear timecode) from a mono float stream, on libltc's decoder: each decoded
// frame as a POD record with its timecode, rate, direction and sample span, in a bounded
// lock-free ring. Rate detection from the frame labels (docs/clock.md, "LTC").
#pragma once

#include "LtcLineConditioner.h"
#include "Timecode.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

struct LTCDecoder;

namespace cuegrid
{

/** One decoded LTC frame. Plain data. */
struct LtcFrame
{
    /** The frame's label. Its rate is the decoder's rate when it was decoded: exact once
        `rateConfirmed`, a guess before (see LtcDecoder). */
    Timecode timecode;
    bool rateConfirmed = false;
    /** The stream's sample indices (the `position` of LtcDecoder::write) of the frame's first
        and last sample. endSample is libltc's off_end (the sample before the next frame's first
        transition was seen: 0–2 samples before the true boundary, from the signal's rise time).
        startSample is the sample after the previous frame's endSample when the frame follows on
        (within a bit cell), the stream's first sample when the frame starts within a bit cell of
        it, else endSample + 1 − the frame's length from libltc's bit periods (biphase_tics;
        libltc's off_start drifts when no sync word has come for a while). start < end in both
        directions. */
    int64_t startSample = 0, endSample = 0;
    /** The signal plays backwards (libltc's `reverse`): the frame began at endSample. */
    bool reverse = false;
    /** Not the frame after the previous one (before it, when reverse): a jump, a dropout or a
        change of direction. False for the first frame after creation or reset(). */
    bool discontinuity = false;
    /** The signal's level over the frame, dBFS (libltc's estimate from 8-bit samples). */
    float volumeDb = 0.0f;
};

/** Decodes LTC from one mono channel of float samples.

    Threads: the constructor and destructor allocate (libltc's ltc_decoder_create callocs its
    queue; the ring is a vector): create and destroy off the audio thread. After that, write()
    and flush() run on one producer thread (the audio callback, or a thread draining a handoff
    of its samples), read() on one consumer thread (the same or another); both are lock-free and
    never allocate: ltc_decoder_write converts through a fixed 1024-sample stack buffer into
    libltc's fixed ring, ltc_decoder_read memcpys out of it (libltc 1.3.2 src/ltc.c), and
    frames go into this class's preallocated ring. The getters are atomic, any thread.

    Rate detection: the drop-frame flag (bit 10) set means 29.97 drop-frame at once. Otherwise
    the rate is confirmed when the frame label wraps to 00 as the second changes (after label 23:
    24 fps, 24: 25 fps, 29: 30 fps), so within one second of signal, in either direction; until
    then it is a guess from the highest label seen and the frame's length in samples. A label
    at or above a confirmed rate (a source that changed rate) unconfirms it. 30-label non-drop
    timecode is reported as 30 fps, or 29.97 non-drop after setNonDropThirtyIsNtsc (true):
    the signal cannot tell them apart (Ardour has the same "29.97/30" toggle).

    Frames that cannot be timecode (a BCD digit above 9, a label outside 23:59:59:29, a
    skipped drop-frame label, a length outside 24 fps −10 % … 30 fps +10 %) are rejected and
    counted, not reported: noise must not make frames. */
class LtcDecoder
{
public:
    /** `sampleRate`: Hz of the stream (8000 … 384000). `capacity`: frames the ring holds
        before write() drops new ones (counted in getStats().dropped); 64 is 2 s at 30 fps.
        Allocates; throws std::bad_alloc. */
    explicit LtcDecoder (double sampleRate, int capacity = 64);
    ~LtcDecoder();

    LtcDecoder (const LtcDecoder&) = delete;
    LtcDecoder& operator= (const LtcDecoder&) = delete;

    /** Producer thread, before the stream starts: report 30-label non-drop timecode as 29.97
        non-drop. */
    void setNonDropThirtyIsNtsc (bool ntsc) noexcept { nonDropThirtyIsNtsc = ntsc; }

    /** Producer thread. Decodes `numSamples` samples; `position` is the stream's index of
        samples[0] (the caller's monotonic sample counter: each call continues where the last
        ended; after a skip, such as an xrun, call reset() first). The line is conditioned first (LtcLineConditioner:
        DC offset removed, silences replaced by an idle bit clock, which delays libltc's input
        by about one bit cell; reported positions are the input's), then clipped to ±1 and
        converted to libltc's 8-bit samples. No allocation, no lock. */
    void write (const float* samples, int numSamples, int64_t position) noexcept;

    /** Producer thread, at the end of a file: libltc reports a frame only once the signal after
        it has begun (forward: the next frame's first bit transition; reverse: the next frame's
        sync word), so the last frame of a file would be lost. flush() writes that much
        synthetic signal after the last sample written, at the last frame's level and bit rate,
        so the last frame is decoded too. It cannot make a false frame (a complete frame is
        needed before it). Not for a live stream that merely stops. */
    void flush() noexcept;

    /** Consumer thread. Takes the oldest decoded frame; false when there is none. */
    bool read (LtcFrame& frame) noexcept;

    /** Producer thread: forget the signal (libltc's state, rate detection, the previous frame),
        as after a seek or an xrun. Frames already in the ring stay for read(). */
    void reset() noexcept;

    struct Stats
    {
        int64_t decoded = 0;    // frames put in the ring
        int64_t rejected = 0;   // libltc frames that were not timecode (see the class comment)
        int64_t dropped = 0;    // frames lost because the ring was full
    };
    Stats getStats() const noexcept;

    /** The rate as known now (a guess until isRateConfirmed()). Any thread. */
    FrameRate getFrameRate() const noexcept { return FrameRate (currentRate.load (std::memory_order_relaxed)); }
    bool isRateConfirmed() const noexcept { return rateConfirmed.load (std::memory_order_relaxed); }

    double getSampleRate() const noexcept { return sampleRate; }

private:
    void decodeBytes (const unsigned char* bytes, int count, int64_t position) noexcept;
    void drainLibltc() noexcept;
    int64_t startOf (int64_t estimate, double length) const noexcept;
    void push (const LtcFrame& frame) noexcept;
    double bitCell() const noexcept;
    FrameRate rateForNominal (int nominal) const noexcept;
    void updateRate (const Timecode& label, bool dropFlag, double frameLength) noexcept;

    struct LibltcDeleter { void operator() (LTCDecoder*) const noexcept; };

    const double sampleRate;
    std::unique_ptr<LTCDecoder, LibltcDeleter> decoder;
    LtcLineConditioner conditioner;      // producer thread only

    // Producer thread only.
    bool nonDropThirtyIsNtsc = false;
    int64_t firstPosition = -1;          // stream index of the first sample since reset
    int64_t nextPosition = 0;            // stream index after the last sample written
    float recentPeak = 0.0f;             // |x| max since the last frame
    float framePeak = 0.0f;              // recentPeak at the last frame: flush's level
    double lastFrameLength = 0.0;        // samples; flush's bit rate
    bool lastFrameReverse = false;
    bool havePrevious = false;
    Timecode previous;
    int64_t previousEnd = -1;            // the previous frame's endSample
    int maxLabel = -1;                   // highest frame label since reset
    int confirmedNominal = 0;            // 24, 25 or 30 once confirmed; 0 = guessing

    // Written by the producer, read by anyone.
    std::atomic<int> currentRate { int (FrameRate::fps25) };
    std::atomic<bool> rateConfirmed { false };
    std::atomic<int64_t> decodedCount { 0 }, rejectedCount { 0 }, droppedCount { 0 };

    // Single-producer single-consumer ring: the producer writes slots[writeIndex] then
    // publishes writeIndex (release); the consumer reads slots[readIndex] then publishes
    // readIndex (release). One slot stays empty to tell full from empty.
    std::vector<LtcFrame> slots;
    std::atomic<size_t> writeIndex { 0 }, readIndex { 0 };
};

} // namespace cuegrid
