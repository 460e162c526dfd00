// CueGrid — GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <type_traits>

namespace cuegrid
{

class ClipAudio;
class ClipGainTable;
class TimecodeTriggerTable;

/** Number of output Clip Groups (A–D). */
inline constexpr int groupCount = 4;

/** Group index used for the Audition (PFL) bus in messages; never one of A–D. */
inline constexpr int auditionGroup = groupCount;

/** Sample time meaning "at the start of the next block the engine processes". */
inline constexpr int64_t immediately = -1;

/** The shape of a fade. With x = k/L for the k-th of L samples of a fade-in (a fade-out
    mirrors it: its k-th sample gets g((L−1−k)/L)):
    linear g = x; equalPower g = sin(πx/2); sCurve g = (1 − cos πx)/2;
    exponential g = 10^(−3(1−x)) for x > 0 (linear in dB over 60 dB), g(0) = 0. */
enum class FadeCurve : uint8_t { linear, equalPower, sCurve, exponential };

/** What a trigger of a clip that is already playing does. */
enum class RetriggerMode : uint8_t
{
    restart,   // the old voice is cut with the 1 ms protection fade; a new voice starts
    stop,      // the playing voice fades out over its fadeOutMs; nothing new starts
    pause,     // the playing voice pauses, or resumes if paused
    layer      // another voice starts; the old one plays on
};

/** How a voice plays its clip, resolved to frames at the engine's rate by the control side
    (Session/ClipPlayback.h). Plain data carried by trigger and audition commands.
    Regions are half-open: [cueIn, cueOut), [loopIn, loopOut). */
struct VoicePlayback
{
    int64_t startFrame = 0;      // first frame read: cueIn + a Trigger's offset
    int64_t cueIn = 0;           // frames
    int64_t cueOut = -1;         // frames; -1 = the end of the file
    int64_t loopIn = 0;          // frames; used when loopOut > loopIn
    int64_t loopOut = 0;         // frames; 0 = no loop
    int32_t loopCount = 0;       // plays of the loop region: 0 = until stopped, n = n plays (n−1 wraps)
    int32_t edgeFade = -1;       // samples of the linear edge fade at start and natural end; -1 = 1 ms
    int32_t fadeIn = 0;          // samples of the user fade-in (0 = none)
    int32_t fadeOut = 0;         // samples of the user fade-out (Stop, natural end; 0 = protection fade on Stop)
    int32_t loopCrossfade = -1;  // samples of the crossfade after each loop wrap; -1 = 1 ms
    int32_t startCrossfadeAge = -1;  // chase into a loop pass (chasePlayback): startFrame is that many samples after
                                     // a wrap, inside its crossfade; -1 = none
    int32_t soloCrossfade = 0;   // samples: solo start fades in, and the group's other voices out, over this
    FadeCurve fadeInCurve = FadeCurve::linear;
    FadeCurve fadeOutCurve = FadeCurve::linear;
    FadeCurve soloCurve = FadeCurve::equalPower;
    RetriggerMode retrigger = RetriggerMode::restart;
    bool solo = false;
};

/** Device output channels (0-based) for each bus: left and right channel of the master, the
    audition bus and each group. A group with left < 0 feeds the master; one routed to its own
    channels bypasses the master (and its limiter). A bus routed past the device's channel count
    falls back: a group to the master, the audition bus to the master's channels. */
struct OutputRouting
{
    static constexpr int maxChannels = 64;
    int16_t masterLeft = 0, masterRight = 1;
    int16_t auditionLeft = 2, auditionRight = 3;
    int16_t groupLeft[groupCount] { -1, -1, -1, -1 };
    int16_t groupRight[groupCount] { -1, -1, -1, -1 };
};

/** Device input channels (0-based, of the channels the device passes to the engine) each
    record bus takes its left and right from: [0] Record A, [1] Record B. A channel < 0 or
    past the device's inputs records silence. */
struct RecordInputs
{
    int16_t left[2] { 0, 2 };
    int16_t right[2] { 1, 3 };
};

/** Bits of EngineCommand::group for recordStart / recordStop. */
inline constexpr int32_t recordBusA = 1, recordBusB = 2, recordBusBoth = 3;

/** A command from the control side (GUI, CLI, feeder) to the audio thread. Plain data:
    copied through an SpscFifo, never allocated. `sampleTime` is on the engine's timeline
    (samples since the engine started); the engine splits its block exactly there. */
struct EngineCommand
{
    enum class Type : uint8_t
    {
        trigger,        // clipSlot, audio, group, playback: start the clip (its retrigger mode decides for a playing clip)
        stop,           // clipSlot, fadeSamples: fade out every voice of the clip
        stopGroup,      // group: every voice of the group fades out with its own fadeOut
        stopAll,        // every group voice and the audition voice, each with its own fadeOut
        setClipGain,    // clipSlot, value (dB), rampSamples
        setGroupGain,   // group, value (dB), rampSamples
        setGroupMute,   // group, value (0 or 1); always the 1 ms protection ramp
        setMasterGain,  // value (dB), rampSamples
        audition,       // clipSlot (-1 for a plain media file), audio, playback: preview on the Audition bus
        stopAudition,   // the audition voice fades out with its own fadeOut
        setClipGains,   // clipGains: every clip slot's gain and pan at once, a step at sampleTime
        pause,          // clipSlot: every voice of the clip pauses (1 ms fade, then holds)
        resume,         // clipSlot: paused voices of the clip resume (1 ms fade-in)
        togglePause,    // clipSlot: resume if any voice of the clip is paused, else pause
        fadeGroup,      // group, fadeSamples, curve: every voice of the group fades out
        fadeAll,        // fadeSamples, curve: every voice, audition included, fades out
        pauseAll,       // every group voice pauses
        resumeAll,      // every paused group voice resumes
        panic,          // every voice ends with the protection fade; every queued command is dropped
        setAuditionGain,// value (dB), rampSamples
        setClipPan,     // clipSlot, value (−1 … +1), rampSamples
        setRouting,     // routing
        setChokeLimit,  // group, value (0 = free, 1–3)
        setLimiter,     // enabled, value = ceiling (dBFS, sample peak)
        recordStart,    // group = record buses (recordBusA | recordBusB): a take begins at sampleTime
        recordStop,     // group = record buses: the take ends before sampleTime
        setRecordInputs,// recordInputs
        setTimecodeTriggers // timecodeTriggers: swapped in when received (a block boundary), never scheduled
    };

    Type type = Type::stopAll;
    int64_t sampleTime = immediately;
    uint64_t sequence = 0;                 // assigned by Engine::post, orders equal times
    uint64_t feedStart = noFeed;           // CommandFeeder: sequence its plan started at (Panic cancels the feed)
    const ClipAudio* audio = nullptr;      // trigger/audition: kept alive by the sender
    const ClipGainTable* clipGains = nullptr;  // setClipGains: kept alive by the sender
    const TimecodeTriggerTable* timecodeTriggers = nullptr;  // setTimecodeTriggers: kept alive by the sender (ClipReleasePool)
    int32_t clipSlot = -1;
    int32_t group = 0;
    int32_t rampSamples = 0;
    int32_t fadeSamples = -1;              // stop: -1 = the clip's fadeOut; fadeGroup/fadeAll: length
    float value = 0.0f;
    FadeCurve curve = FadeCurve::linear;   // fadeGroup, fadeAll
    bool enabled = false;                  // setLimiter
    VoicePlayback playback {};             // trigger, audition
    OutputRouting routing {};              // setRouting
    RecordInputs recordInputs {};          // setRecordInputs

    static constexpr uint64_t noFeed = ~uint64_t (0);
};

/** Why a voice ended. */
enum class VoiceEndReason : uint8_t { finished, stopped, retriggered, stolen, cut, choked, panic };

/** A report from the audio thread, drained by the control side. */
struct EngineEvent
{
    enum class Type : uint8_t
    {
        voiceStarted,     // voice, clipSlot, group, sampleTime, length (frames of the cue region)
        voiceEnded,       // voice, clipSlot, group, sampleTime, reason, length (frames played)
        commandLate,      // a command whose sampleTime had passed: lateBy (samples)
        triggerRejected,  // clipSlot: the audio's rate differs from the engine's, or no audio
        overload,         // callback took longer than its deadline: lateBy = duration in µs
        meter,            // peaks, rms (linear), lufsMomentary, lufsShortTerm, gainReductionDb
        voiceFading,      // voice, clipSlot, group, sampleTime, length = fade samples (a stop or fade began)
        voicePaused,      // voice, clipSlot, group, sampleTime (the pause fade begins)
        voiceResumed,     // voice, clipSlot, group, sampleTime
        panic,            // sampleTime; length = queued commands dropped
        recordStarted,    // group = record bus (0 = A, 1 = B), sampleTime = the take's first sample
        recordStopped,    // group = record bus, sampleTime = the end of the take, length = its frames
        recordDiscontinuity, // group = record bus, sampleTime = first lost sample, length = frames lost,
                             // lateBy = where in the take (frames from its start)
        underrun          // voice, clipSlot, group, sampleTime = first silent sample, length = frames played as
                          // silence because a streamed clip's data was not in memory (at most one per voice per block)
    };

    static constexpr int meterChannels = 2 * (groupCount + 2);

    Type type = Type::meter;
    VoiceEndReason reason = VoiceEndReason::finished;
    int16_t voice = -1;
    int32_t clipSlot = -1;
    int32_t group = -1;
    int64_t sampleTime = 0;
    int64_t length = 0;
    int64_t wallNanos = 0;    // voiceStarted: std::chrono::steady_clock time (ns) of its first sample: the start of
                              // the callback that rendered it plus the sample's offset in the block (trigger latency)
    int64_t lateBy = 0;
    uint64_t commandSequence = 0;         // voiceStarted: the sequence (Engine::post) of the trigger that started it
    float peaks[meterChannels] {};        // meter: sample peak since the last meter event, linear
    float rms[meterChannels] {};          // meter: RMS over the last 300 ms, linear
    float lufsMomentary = -200.0f;        // meter: master, LUFS (400 ms); -200 = silence
    float lufsShortTerm = -200.0f;        // meter: master, LUFS (3 s)
    float gainReductionDb = 0.0f;         // meter: the limiter's deepest gain reduction since the last meter event (≥ 0)
};

static_assert (std::is_trivially_copyable_v<EngineCommand>);
static_assert (std::is_trivially_copyable_v<EngineEvent>);

} // namespace cuegrid
