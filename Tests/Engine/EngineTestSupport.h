// CueGrid — GPL-3.0-or-later
// Helpers for the engine's sample-by-sample tests (issue 8, test 1): synthetic clips, command
// builders, an offline render that keeps every output channel and event, and the issue's
// "Exact semantics" formulas written out here, independently of Source/Engine/FadeCurve.h, so
// that a test compares the engine with the specification and not with itself.
#pragma once

#include "Engine/CommandFeeder.h"
#include "Engine/Engine.h"
#include "Engine/OfflineRenderer.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <memory>
#include <ostream>
#include <vector>

namespace cuegrid::enginetest
{

inline constexpr double rate = 48000.0;
inline constexpr int protection = 48;   // the 1 ms protection fade at 48 kHz: round(0.001 × 48000)
inline constexpr double pi = 3.14159265358979323846;
inline constexpr FadeCurve allCurves[] { FadeCurve::linear, FadeCurve::equalPower, FadeCurve::sCurve, FadeCurve::exponential };

inline const char* curveName (FadeCurve curve)
{
    switch (curve)
    {
        case FadeCurve::linear: return "linear";
        case FadeCurve::equalPower: return "equalPower";
        case FadeCurve::sCurve: return "sCurve";
        case FadeCurve::exponential: return "exponential";
    }
    return "?";
}

// ---- The formulas ------------------------------------------------------------------

/** g(x): linear x, equalPower sin(πx/2), sCurve (1 − cos πx)/2, exponential 10^(−3(1−x)), g(0) = 0. */
inline double curveGain (FadeCurve curve, double x)
{
    switch (curve)
    {
        case FadeCurve::linear: return x;
        case FadeCurve::equalPower: return std::sin (pi * x / 2.0);
        case FadeCurve::sCurve: return (1.0 - std::cos (pi * x)) / 2.0;
        case FadeCurve::exponential: return x > 0.0 ? std::pow (10.0, -3.0 * (1.0 - x)) : 0.0;
    }
    return -1.0;
}

/** The k-th sample of a fade-in of L samples: g(k/L); 0 before it starts, 1 after it. */
inline double fadeIn (FadeCurve curve, int64_t k, int64_t length)
{
    if (k < 0) return 0.0;
    return k >= length ? 1.0 : curveGain (curve, (double) k / (double) length);
}

/** The k-th sample of a fade-out of L samples: g((L−1−k)/L); 1 before it starts, 0 after it. */
inline double fadeOut (FadeCurve curve, int64_t k, int64_t length)
{
    if (k < 0) return 1.0;
    return k >= length ? 0.0 : curveGain (curve, (double) (length - 1 - k) / (double) length);
}

/** The natural-end fade: a fade-out of L samples whose last sample is the region's last. */
inline double endFade (FadeCurve curve, int64_t regionEnd, int64_t position, int64_t length)
{
    return fadeOut (curve, position - (regionEnd - length), length);
}

/** Pan law for a mono clip (gain of `side` 0 = left, 1 = right). */
inline double monoPan (double p, int side)
{
    const auto angle = (p + 1.0) * pi / 4.0;
    return (side == 0 ? std::cos (angle) : std::sin (angle)) / std::cos (pi / 4.0);
}

/** Balance for a stereo clip. */
inline double stereoBalance (double p, int side)
{
    if (side == 0) return p <= 0.0 ? 1.0 : 1.0 - p;
    return p >= 0.0 ? 1.0 : 1.0 + p;
}

/** One played sample of a voice, from the loop semantics: what it reads (loop crossfade
    applied) and whether it belongs to the last pass (the natural-end fades apply there). */
struct Read
{
    double value[2] {};
    int64_t position = 0;   // file frame read (the incoming one during a crossfade)
    bool lastPass = true;
};

/** The first `samples` reads of a voice from `start` (cue in + offset) to cue out, with a
    loop [loopIn, loopOut) played `count` times in all (0 = until stopped): reaching loop out
    with loops left it reads on at loop in, and for the first L samples after each wrap
    out = x[in+k]·(k/L) + x[out+k]·(1−k/L), with x beyond the end of the file 0.
    Stops early at cue out. */
inline std::vector<Read> readSequence (const ClipAudio& clip, int64_t start, int64_t cueOut, int64_t loopIn,
                                       int64_t loopOut, int count, int64_t crossfade, int64_t samples)
{
    auto x = [&] (int channel, int64_t frame) -> double
    { return frame < clip.getNumFrames() ? (double) clip.getChannel (channel)[frame] : 0.0; };
    const bool hasLoop = loopOut > loopIn;
    std::vector<Read> reads;
    int64_t position = start, sinceWrap = -1;
    int wraps = 0;
    auto loopsLeft = [&] { return hasLoop && (count == 0 || wraps < count - 1); };
    while ((int64_t) reads.size() < samples)
    {
        if (position == loopOut && loopsLeft())
        {
            position = loopIn;
            sinceWrap = 0;
            ++wraps;
        }
        if (position >= cueOut)
            break;
        Read read;
        read.position = position;
        read.lastPass = ! (loopsLeft() && position < loopOut);
        for (int c = 0; c < 2; ++c)
        {
            read.value[c] = x (c, position);
            if (sinceWrap >= 0 && sinceWrap < crossfade)
            {
                const auto k = (double) sinceWrap, L = (double) crossfade;
                read.value[c] = x (c, loopIn + sinceWrap) * (k / L) + x (c, loopOut + sinceWrap) * (1.0 - k / L);
            }
        }
        reads.push_back (read);
        ++position;
        if (sinceWrap >= 0)
            ++sinceWrap;
    }
    return reads;
}

// ---- Clips ---------------------------------------------------------------------------------

inline ClipAudioPtr makeClip (int64_t frames, int channels, const std::function<float (int, int64_t)>& sample)
{
    std::vector<std::vector<float>> data ((size_t) channels, std::vector<float> ((size_t) frames));
    for (int c = 0; c < channels; ++c)
        for (int64_t i = 0; i < frames; ++i)
            data[(size_t) c][(size_t) i] = sample (c, i);
    return std::make_shared<const ClipAudio> (std::move (data), rate);
}

inline ClipAudioPtr constantClip (float value, int64_t frames, int channels = 1)
{
    return makeClip (frames, channels, [value] (int, int64_t) { return value; });
}

/** A sawtooth that tells every frame of a 997-frame stretch apart (0.25 … 0.748; negative on
    the right channel), so a read from the wrong position shows. The period is prime so that
    round loop points (2000, 5000 …) do not read alike: choose loop in and out far apart in it. */
inline float rampSample (int channel, int64_t frame)
{
    return (channel == 0 ? 1.0f : -1.0f) * (0.25f + 0.0005f * (float) (frame % 997));
}

inline ClipAudioPtr rampClip (int64_t frames, int channels = 2)
{
    return makeClip (frames, channels, rampSample);
}

inline ClipAudioPtr sineClip (double frequency, double amplitude, int64_t frames, int channels = 2)
{
    return makeClip (frames, channels, [=] (int, int64_t i) { return (float) (amplitude * std::sin (2.0 * pi * frequency * (double) i / rate)); });
}

// ---- Commands ------------------------------------------------------------------------------

inline EngineCommand command (EngineCommand::Type type, int64_t time, int slot = -1, int group = 0)
{
    EngineCommand result;
    result.type = type;
    result.sampleTime = time;
    result.clipSlot = slot;
    result.group = group;
    return result;
}

inline EngineCommand trigger (int slot, const ClipAudio& audio, int64_t time, int group = 0, const VoicePlayback& playback = {})
{
    auto result = command (EngineCommand::Type::trigger, time, slot, group);
    result.audio = &audio;
    result.playback = playback;
    return result;
}

inline EngineCommand audition (const ClipAudio& audio, int64_t time, const VoicePlayback& playback = {})
{
    auto result = trigger (-1, audio, time, 0, playback);
    result.type = EngineCommand::Type::audition;
    return result;
}

inline EngineCommand stop (int slot, int64_t time, int fadeSamples = -1)
{
    auto result = command (EngineCommand::Type::stop, time, slot);
    result.fadeSamples = fadeSamples;
    return result;
}

inline EngineCommand fade (EngineCommand::Type type, int64_t time, int fadeSamples, FadeCurve curve, int group = 0)
{
    auto result = command (type, time, -1, group);
    result.fadeSamples = fadeSamples;
    result.curve = curve;
    return result;
}

inline EngineCommand setValue (EngineCommand::Type type, int64_t time, float value, int slot = -1, int group = 0, int ramp = 0)
{
    auto result = command (type, time, slot, group);
    result.value = value;
    result.rampSamples = ramp;
    return result;
}

inline EngineCommand limiter (bool enabled, float ceilingDb = -1.0f, int64_t time = 0)
{
    auto result = command (EngineCommand::Type::setLimiter, time);
    result.enabled = enabled;
    result.value = ceilingDb;
    return result;
}

inline EngineCommand routing (const OutputRouting& outputs, int64_t time = 0)
{
    auto result = command (EngineCommand::Type::setRouting, time);
    result.routing = outputs;
    return result;
}

// ---- Rendering -----------------------------------------------------------------------------

struct Rendered
{
    std::vector<std::vector<float>> out;   // [channel][frame], engine time (latency compensated)
    std::vector<EngineEvent> events;       // every event but meters
    std::vector<EngineEvent> meters;
    int latency = 0;

    const std::vector<float>& left() const { return out[0]; }
    const std::vector<float>& right() const { return out[1]; }

    std::vector<EngineEvent> of (EngineEvent::Type type) const
    {
        std::vector<EngineEvent> found;
        for (const auto& event : events)
            if (event.type == type)
                found.push_back (event);
        return found;
    }
};

/** Renders `plan` (sorted by time) offline for `frames` frames of `channels` outputs in blocks
    of `blockSize`, through the same CommandFeeder and process() as `cuegrid render`.
    `onEvent` may post live commands to the engine (it runs between blocks); `beforeRender`
    runs once the engine is prepared, before the feeder posts anything. */
inline Rendered render (std::vector<EngineCommand> plan, int64_t frames, int blockSize = 128, int channels = 2,
                        const std::function<void (Engine&, const EngineEvent&)>& onEvent = {},
                        const std::function<void (Engine&)>& beforeRender = {})
{
    auto engine = std::make_unique<Engine>();
    engine->prepare (rate, blockSize);
    if (beforeRender)
        beforeRender (*engine);
    CommandFeeder feeder (std::move (plan));
    Rendered result;
    result.out.resize ((size_t) channels);
    result.latency = engine->getLatency();
    renderOffline (
        *engine, feeder, frames, blockSize, channels,
        [&] (const float* const* outputs, int numChannels, int n)
        {
            for (int c = 0; c < numChannels; ++c)
                result.out[(size_t) c].insert (result.out[(size_t) c].end(), outputs[c], outputs[c] + n);
        },
        [&] (const EngineEvent& event)
        {
            (event.type == EngineEvent::Type::meter ? result.meters : result.events).push_back (event);
            if (onEvent)
                onEvent (*engine, event);
        });
    return result;
}

/** An engine run one block at a time on two outputs, for the tests that read its voice status
    or meters between blocks (render() runs a whole plan without stopping). */
struct SteppedEngine
{
    SteppedEngine (int samplesPerBlock, const std::vector<EngineCommand>& plan)
        : blockSize (samplesPerBlock), left ((size_t) samplesPerBlock), right ((size_t) samplesPerBlock)
    {
        engine->prepare (rate, blockSize);
        for (const auto& each : plan)
            engine->post (each);
    }

    /** Processes `blocks` more blocks. */
    void process (int blocks = 1)
    {
        float* outputs[] = { left.data(), right.data() };
        for (int block = 0; block < blocks; ++block)
            engine->process (outputs, 2, blockSize);
    }

    /** Voice `index` of the voice status after the last block. */
    auto voice (size_t index = 0) const { return engine->getVoiceStatus().voices[index]; }

    const int blockSize;
    std::unique_ptr<Engine> engine = std::make_unique<Engine>();
    std::vector<float> left, right;   // the last block's outputs
};

// ---- Comparing -----------------------------------------------------------------------------

struct Comparison
{
    int64_t from = 0, to = 0, mismatches = 0, first = -1;
    double actual = 0, expected = 0, worst = 0;
};

inline std::ostream& operator<< (std::ostream& stream, const Comparison& c)
{
    stream << "samples [" << c.from << ", " << c.to << "): " << c.mismatches << " mismatches, worst error " << c.worst;
    if (c.first >= 0)
        stream << "; first at " << c.first << ": actual " << c.actual << ", expected " << c.expected;
    return stream;
}

/** Compares actual[from … to−1] with expected(n) within an absolute tolerance (the engine
    rounds each product to float; 1e-6 is a few float steps at these levels, far below the
    1/L step an off-by-one sample would make). */
template <typename Expected>
Comparison compareSamples (const std::vector<float>& actual, int64_t from, int64_t to, Expected&& expected, double tolerance = 1.0e-6)
{
    Comparison result;
    result.from = from;
    result.to = to;
    for (auto n = from; n < to; ++n)
    {
        const auto want = expected (n);
        const auto have = n < (int64_t) actual.size() ? (double) actual[(size_t) n] : std::nan ("");
        const auto error = std::abs (have - want);
        if (! (error <= tolerance))
        {
            if (result.mismatches++ == 0)
            {
                result.first = n;
                result.actual = have;
                result.expected = want;
            }
        }
        if (error > result.worst || std::isnan (error))
            result.worst = std::isnan (error) ? HUGE_VAL : error;
    }
    return result;
}

/** Index of the first sample where a and b differ (a length difference counts); -1 if none.
    Compare long renders with this rather than with ==, whose failure message prints them. */
inline int64_t firstDifference (const std::vector<float>& a, const std::vector<float>& b)
{
    const auto n = std::min (a.size(), b.size());
    for (size_t i = 0; i < n; ++i)
        if (a[i] != b[i])  // bitwise-equal floats; NaN would show as a difference
            return (int64_t) i;
    return a.size() == b.size() ? -1 : (int64_t) n;
}

/** True when actual[from … to−1] are all exactly zero. */
inline bool silent (const std::vector<float>& actual, int64_t from, int64_t to)
{
    for (auto n = from; n < to; ++n)
        if (actual[(size_t) n] != 0.0f)
            return false;
    return true;
}

inline float peakOf (const std::vector<float>& samples, int64_t from = 0, int64_t to = -1)
{
    float peak = 0.0f;
    for (auto n = from; n < (to < 0 ? (int64_t) samples.size() : to); ++n)
        peak = std::max (peak, std::abs (samples[(size_t) n]));
    return peak;
}

} // namespace cuegrid::enginetest

/** Checks a run of samples against a model; on failure prints the first mismatch. */
#define CHECK_SAMPLES(actual, from, to, ...) /* the model: a lambda, commas allowed */          \
    do                                                                                           \
    {                                                                                            \
        const auto comparison_ = ::cuegrid::enginetest::compareSamples (actual, from, to, __VA_ARGS__); \
        INFO (comparison_);                                                                      \
        CHECK (comparison_.mismatches == 0);                                                     \
    } while (false)
