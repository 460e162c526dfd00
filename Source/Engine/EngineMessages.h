// CueGrid — GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <type_traits>

namespace cuegrid
{

class ClipAudio;
class ClipGainTable;

/** Number of output Clip Groups (A–D). */
inline constexpr int groupCount = 4;

/** Group index used for the Audition (PFL) bus in messages; never one of A–D. */
inline constexpr int auditionGroup = groupCount;

/** Sample time meaning "at the start of the next block the engine processes". */
inline constexpr int64_t immediately = -1;

/** A command from the control side (GUI, CLI, feeder) to the audio thread. Plain data:
    copied through an SpscFifo, never allocated. `sampleTime` is on the engine's timeline
    (samples since the engine started); the engine splits its block exactly there. */
struct EngineCommand
{
    enum class Type : uint8_t
    {
        trigger,        // clipSlot, audio, group: start (or restart) the clip
        stop,           // clipSlot: 1 ms protection fade-out of every voice of the clip
        stopGroup,      // group
        stopAll,        // every group voice and the audition voice
        setClipGain,    // clipSlot, value (dB), rampSamples
        setGroupGain,   // group, value (dB), rampSamples
        setGroupMute,   // group, value (0 or 1); always the 1 ms protection ramp
        setMasterGain,  // value (dB), rampSamples
        audition,       // clipSlot, audio: preview on the Audition bus
        stopAudition,
        setClipGains    // clipGains: every clip slot's gain at once, a step at sampleTime
    };

    Type type = Type::stopAll;
    int64_t sampleTime = immediately;
    uint64_t sequence = 0;                 // assigned by Engine::post, orders equal times
    const ClipAudio* audio = nullptr;      // trigger/audition: kept alive by the sender
    const ClipGainTable* clipGains = nullptr;  // setClipGains: kept alive by the sender
    int32_t clipSlot = -1;
    int32_t group = 0;
    int32_t rampSamples = 0;
    float value = 0.0f;
};

/** Why a voice ended. */
enum class VoiceEndReason : uint8_t { finished, stopped, retriggered, stolen, cut };

/** A report from the audio thread, drained by the control side. */
struct EngineEvent
{
    enum class Type : uint8_t
    {
        voiceStarted,     // voice, clipSlot, group, sampleTime, length (frames)
        voiceEnded,       // voice, clipSlot, group, sampleTime, reason
        commandLate,      // a command whose sampleTime had passed: lateBy (samples)
        triggerRejected,  // clipSlot: the audio's rate differs from the engine's, or no audio
        overload,         // callback took longer than its deadline: lateBy = duration in µs
        meter             // peaks: groups A–D (L, R), audition (L, R), master (L, R), linear
    };

    static constexpr int meterChannels = 2 * (groupCount + 2);

    Type type = Type::meter;
    VoiceEndReason reason = VoiceEndReason::finished;
    int16_t voice = -1;
    int32_t clipSlot = -1;
    int32_t group = -1;
    int64_t sampleTime = 0;
    int64_t length = 0;
    int64_t lateBy = 0;
    float peaks[meterChannels] {};
};

static_assert (std::is_trivially_copyable_v<EngineCommand>);
static_assert (std::is_trivially_copyable_v<EngineEvent>);

} // namespace cuegrid
