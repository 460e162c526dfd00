// CueGrid — GPL-3.0-or-later
#include "LtcDecoder.h"

#include <ltc.h>

#include <algorithm>
#include <cmath>
#include <new>

namespace cuegrid
{

namespace
{
    // libltc's own queue: drained after every chunk of at most chunkSize samples (under one
    // frame at 48 kHz; 5 frames at 8 kHz), so 32 never fills.
    constexpr int libltcQueueLength = 32;
    constexpr int chunkSize = 1024;

    // A frame's length (from libltc's tracked bit period) must fit 30 fps +10 % … 24 fps −10 %,
    // with 5 % more either way for the period's lag behind a change of speed.
    constexpr double shortestFrameRate = 30.0 * 1.1 * 1.05;
    constexpr double longestFrameRate = 24.0 * 0.9 / 1.05;

    unsigned char toLibltcSample (float x) noexcept
    {
        // libltc's own float entry point computes 128 + x·127 without clipping, so a sample past
        // full scale wraps around the byte (Ardour clamps the same way before writing).
        x = std::clamp (x, -1.0f, 1.0f);
        return (unsigned char) std::lrint (128.0f + x * 127.0f);
    }

    /** The label in an LTC frame's BCD fields; false when a digit is not decimal. */
    bool readLabel (const LTCFrame& f, Timecode& t) noexcept
    {
        if (f.frame_units > 9 || f.secs_units > 9 || f.mins_units > 9 || f.hours_units > 9)
            return false;
        t.frames = int (f.frame_tens) * 10 + int (f.frame_units);
        t.seconds = int (f.secs_tens) * 10 + int (f.secs_units);
        t.minutes = int (f.mins_tens) * 10 + int (f.mins_units);
        t.hours = int (f.hours_tens) * 10 + int (f.hours_units);
        return true;
    }

    bool isTimecodeRate (int nominal) noexcept { return nominal == 24 || nominal == 25 || nominal == 30; }
} // namespace

void LtcDecoder::LibltcDeleter::operator() (LTCDecoder* d) const noexcept { ltc_decoder_free (d); }

LtcDecoder::LtcDecoder (double rate, int capacity)
    : sampleRate (rate), conditioner (rate)
{
    // libltc's first bit period is apv/80 samples and it tells a whole bit cell from a half by
    // 3/4 of that until the period has tracked the signal. Cells run from 1/(33·80) s (30 fps
    // +10 %) to 1/(21.6·80) s (24 fps −10 %); apv for 28 fps puts 3/4 of a cell between the
    // longest half cell and the shortest whole one, so the first frame decodes at any rate.
    decoder.reset (ltc_decoder_create ((int) std::lrint (sampleRate / 28.0), libltcQueueLength));
    if (decoder == nullptr)
        throw std::bad_alloc();
    slots.resize ((size_t) std::max (1, capacity) + 1);
}

LtcDecoder::~LtcDecoder() = default;

FrameRate LtcDecoder::rateForNominal (int nominal) const noexcept
{
    if (nominal == 24) return FrameRate::fps24;
    if (nominal == 25) return FrameRate::fps25;
    return nonDropThirtyIsNtsc ? FrameRate::fps2997 : FrameRate::fps30;
}

void LtcDecoder::updateRate (const Timecode& label, bool dropFlag, double frameLength) noexcept
{
    if (dropFlag)
    {
        confirmedNominal = 30;
        currentRate.store (int (FrameRate::fps2997drop), std::memory_order_relaxed);
        rateConfirmed.store (true, std::memory_order_relaxed);
        return;
    }
    if (confirmedNominal != 0 && (label.frames >= confirmedNominal || isDropFrame (getFrameRate())))
    {
        confirmedNominal = 0;   // the source changed rate
        maxLabel = -1;
    }
    maxLabel = std::max (maxLabel, label.frames);

    // The label wraps to 00 as the second changes: the label before 00 is the last of the second.
    if (havePrevious)
    {
        int nominal = 0;
        if (label.frames == 0 && (previous.seconds + 1) % 60 == label.seconds)
            nominal = previous.frames + 1;               // forward
        else if (previous.frames == 0 && (label.seconds + 1) % 60 == previous.seconds)
            nominal = label.frames + 1;                  // reverse
        if (isTimecodeRate (nominal))
        {
            confirmedNominal = nominal;
            maxLabel = nominal - 1;
        }
    }

    int nominal = confirmedNominal;
    if (nominal == 0)
    {
        // The nearest rate to the frame's length (right at speed 1), raised above every label seen.
        const auto fps = frameLength > 0 ? sampleRate / frameLength : 25.0;
        nominal = fps < 24.5 ? 24 : (fps < 27.5 ? 25 : 30);
        if (maxLabel >= nominal)
            nominal = maxLabel >= 25 ? 30 : 25;
    }
    currentRate.store (int (rateForNominal (nominal)), std::memory_order_relaxed);
    rateConfirmed.store (confirmedNominal != 0, std::memory_order_relaxed);
}

int64_t LtcDecoder::startOf (int64_t estimate, double length) const noexcept
{
    // `estimate` is off_end + 1 − the frame's length from its bit periods; libltc's own
    // off_start is only approximate. Its off_end is the sample before the next frame's first
    // transition was seen. So a frame that follows on from the previous one (within a bit
    // cell) starts right after it, and a frame that starts within a bit cell of the stream's
    // first sample starts there, as nothing before that sample could be seen.
    const auto cell = length / 80.0;
    if (havePrevious && std::abs (double (estimate - (previousEnd + 1))) <= cell)
        return previousEnd + 1;
    if (double (estimate - firstPosition) <= cell)
        return firstPosition;
    return estimate;
}

void LtcDecoder::drainLibltc() noexcept
{
    LTCFrameExt ext;
    while (ltc_decoder_read (decoder.get(), &ext) > 0)
    {
        Timecode label;
        // The frame's length from libltc's bit period at each of its 80 bits (biphase_tics):
        // its off_start drifts when bits are shifted through without a sync word (ceil(period)
        // a bit: over 600 samples after 0.5 s of idle clock), the period does not.
        double length = 0.0;
        for (const auto tic : ext.biphase_tics)
            length += double (tic);
        if (! (length > 0.0))
            length = double (ext.off_end - ext.off_start + 1);
        const bool plausibleLength = length >= sampleRate / shortestFrameRate && length <= sampleRate / longestFrameRate;
        if (! plausibleLength || ! readLabel (ext.ltc, label))
        {
            rejectedCount.fetch_add (1, std::memory_order_relaxed);
            continue;
        }
        // Range-check the label against the widest rate before detection uses it.
        label.rate = ext.ltc.dfbit ? FrameRate::fps2997drop : FrameRate::fps30;
        if (! label.isValid())
        {
            rejectedCount.fetch_add (1, std::memory_order_relaxed);
            continue;
        }

        updateRate (label, ext.ltc.dfbit != 0, length);
        label.rate = getFrameRate();

        LtcFrame frame;
        frame.timecode = label;
        frame.rateConfirmed = isRateConfirmed();
        frame.endSample = ext.off_end;
        frame.startSample = startOf (ext.off_end + 1 - (int64_t) std::llround (length), length);
        frame.reverse = ext.reverse != 0;
        frame.volumeDb = (float) ext.volume;
        if (havePrevious)
        {
            auto before = previous;
            before.rate = label.rate;
            frame.discontinuity = ! before.isValid() || before.advancedBy (frame.reverse ? -1 : 1) != label;
        }
        previous = label;
        previousEnd = ext.off_end;
        havePrevious = true;
        lastFrameLength = length;
        lastFrameReverse = frame.reverse;
        framePeak = recentPeak;
        recentPeak = 0.0f;
        push (frame);
    }
}

void LtcDecoder::push (const LtcFrame& frame) noexcept
{
    const auto w = writeIndex.load (std::memory_order_relaxed);
    const auto next = (w + 1) % slots.size();
    if (next == readIndex.load (std::memory_order_acquire))
    {
        droppedCount.fetch_add (1, std::memory_order_relaxed);
        return;
    }
    slots[w] = frame;
    writeIndex.store (next, std::memory_order_release);
    decodedCount.fetch_add (1, std::memory_order_relaxed);
}

bool LtcDecoder::read (LtcFrame& frame) noexcept
{
    const auto r = readIndex.load (std::memory_order_relaxed);
    if (r == writeIndex.load (std::memory_order_acquire))
        return false;
    frame = slots[r];
    readIndex.store ((r + 1) % slots.size(), std::memory_order_release);
    return true;
}

void LtcDecoder::decodeBytes (const unsigned char* bytes, int count, int64_t position) noexcept
{
    // libltc takes a non-const buffer but only reads it (decode_ltc).
    ltc_decoder_write (decoder.get(), const_cast<unsigned char*> (bytes), (size_t) count, (ltc_off_t) position);
    drainLibltc();
}

double LtcDecoder::bitCell() const noexcept
{
    return lastFrameLength > 0.0 ? lastFrameLength / 80.0 : sampleRate / (28.0 * 80.0);
}

void LtcDecoder::write (const float* samples, int numSamples, int64_t position) noexcept
{
    if (firstPosition < 0)
        firstPosition = position;
    const auto cell = bitCell();
    const auto idleLevel = framePeak > 0.0f ? framePeak : 0.05f;
    const auto delay = conditioner.getDelay();
    unsigned char bytes[chunkSize];
    for (int done = 0; done < numSamples;)
    {
        const int count = std::min (chunkSize, numSamples - done);
        for (int i = 0; i < count; ++i)
        {
            const auto fed = conditioner.process (samples[done + i], cell, idleLevel);
            recentPeak = std::max (recentPeak, std::abs (fed));
            bytes[i] = toLibltcSample (fed);
        }
        // The conditioner returns each sample `delay` samples late.
        decodeBytes (bytes, count, position + done - delay);
        done += count;
    }
    if (numSamples > 0)
        nextPosition = position + numSamples;
}

void LtcDecoder::flush() noexcept
{
    if (firstPosition < 0)
        return;
    // The conditioner still holds the last samples written: let them through first.
    {
        const auto delay = conditioner.getDelay();
        unsigned char bytes[LtcLineConditioner::maxDelay];
        for (int i = 0; i < delay; ++i)
            bytes[i] = toLibltcSample (conditioner.process (0.0f, bitCell(), framePeak));
        decodeBytes (bytes, delay, nextPosition - delay);
        if (lastFrameLength <= 0.0)
            return;
    }
    const double cell = lastFrameLength / 80.0;
    const float level = std::clamp (framePeak, 0.01f, 1.0f);

    // Biphase mark, as the encoder writes it: the level flips at every cell start, and in the
    // middle of a cell that holds a 1. Forward, one flip completes the last frame's final bit.
    // Reverse, libltc reports a frame when the next frame's sync word (read backwards:
    // 1011111111111100) has arrived, so that sync word is written, then the flip that ends it.
    static constexpr unsigned char reverseSync[] = { 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0 };
    static constexpr unsigned char forwardEnd[] = { 0 };
    const auto* bits = lastFrameReverse ? reverseSync : forwardEnd;
    const int numBits = lastFrameReverse ? (int) sizeof (reverseSync) : 1;

    unsigned char bytes[chunkSize];
    int filled = 0;
    int64_t position = nextPosition;
    float value = conditioner.isHigh() ? -level : level;
    double written = 0.0, edge = 0.0;
    const auto emitUntil = [&] (double until)
    {
        for (; written < until; written += 1.0)
        {
            bytes[filled++] = toLibltcSample (value);
            if (filled == chunkSize)
            {
                decodeBytes (bytes, filled, position);
                position += filled;
                filled = 0;
            }
        }
    };
    for (int b = 0; b < numBits; ++b)
    {
        emitUntil (edge + cell / 2);
        if (bits[b] != 0)
            value = -value;
        emitUntil (edge + cell);
        edge += cell;
        value = -value;
    }
    if (lastFrameReverse)
        emitUntil (edge + cell / 2);   // the flip that ends the sync word's last bit
    if (filled > 0)
        decodeBytes (bytes, filled, position);
    nextPosition = position + filled;
}

void LtcDecoder::reset() noexcept
{
    // libltc has no reset for its bit-level state; it resynchronises within one frame.
    ltc_decoder_queue_flush (decoder.get());
    firstPosition = -1;
    havePrevious = false;
    previousEnd = -1;
    maxLabel = -1;
    confirmedNominal = 0;
    lastFrameLength = 0.0;
    recentPeak = framePeak = 0.0f;
    conditioner.reset();
    rateConfirmed.store (false, std::memory_order_relaxed);
}

LtcDecoder::Stats LtcDecoder::getStats() const noexcept
{
    return { decodedCount.load (std::memory_order_relaxed), rejectedCount.load (std::memory_order_relaxed),
             droppedCount.load (std::memory_order_relaxed) };
}

} // namespace cuegrid
