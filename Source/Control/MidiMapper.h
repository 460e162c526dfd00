// CueGrid — GPL-3.0-or-later
#pragma once

#include "Session/MidiMappings.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cuegrid
{

/** One MIDI message as raw bytes (1 to 3: channel voice messages only; SysEx and realtime
    bytes are not mapped). */
struct MidiBytes
{
    std::uint8_t size = 0;
    std::uint8_t data[3] {};

    static MidiBytes make (std::uint8_t status, std::uint8_t d1, std::uint8_t d2)
    {
        MidiBytes m;
        m.data[0] = status; m.data[1] = d1; m.data[2] = d2;
        m.size = ((status & 0xf0) == 0xc0 || (status & 0xf0) == 0xd0) ? 2 : 3;
        return m;
    }
    bool operator== (const MidiBytes& o) const noexcept
    {
        return size == o.size && data[0] == o.data[0] && (size < 2 || data[1] == o.data[1]) && (size < 3 || data[2] == o.data[2]);
    }
};

/** What a mapped message asks for: the target, and for faders the level. */
struct MidiAction
{
    MidiTarget target;
    bool release = false;        // note off of a gate mapping: stop the clip
    bool relative = false;       // decibels is a step to add to the current level
    double decibels = 0.0;       // faders (absolute: the level; relative: the step)
    int page = 0;                // page target: the page asked for
};

/** Turns MIDI messages into show actions through the session's mappings, and learns new
    mappings. No UI, no I/O: the caller (MidiControl) feeds it messages from every input and
    performs what it returns. Message thread only.

    Fader curve (absolute CC): dB = 60·log10(v / 100), so 100 is 0 dB, 127 is +6.2 dB (capped
    at +6), 64 is -11.6 dB, 1 is -120 dB and 0 is off (-120). Relative CC: 0.5 dB a step. */
class MidiMapper
{
public:
    static constexpr double offDb = -120.0, maxDb = 6.0, relativeStepDb = 0.5;

    static double ccToDecibels (int value);
    /** The CC value whose level is nearest `decibels` (for fader feedback). */
    static int decibelsToCc (double decibels);
    /** Steps of a relative (two's complement) CC value: 1..63 → +1..+63, 65..127 → -63..-1, 0/64 → 0. */
    static int relativeSteps (int value);

    std::vector<MidiMapping>& getMappings() noexcept { return mappings; }
    const std::vector<MidiMapping>& getMappings() const noexcept { return mappings; }
    void setMappings (std::vector<MidiMapping> m) { mappings = std::move (m); }

    /** Arms learn: the next note on, CC or program change binds `target` (replacing any
        mapping of the same control). A fader target learns only a CC; a CC learned for a fader
        whose first value is 1-3 or 125-127 is taken as relative. */
    void armLearn (const MidiTarget& target, bool gate = false);
    /** Arms learn for a clip: a note binds `fire:clipId` (gate mode when `gate`), a CC binds
        `clipLevel:clipId` (relative from an encoder's first tick, as for faders). */
    void armLearnClip (const std::string& clipId, bool gate = false);
    /** Several targets learned in turn (the CLI/app hook `--midi-learn`). */
    void armLearnSequence (std::vector<MidiTarget> targets);
    void cancelLearn() { learnQueue.clear(); }
    bool isLearning() const noexcept { return ! learnQueue.empty(); }
    /** The target armed now (for a clip learn, its note target `fire:ID`). */
    std::optional<MidiTarget> learningTarget() const { return learnQueue.empty() ? std::nullopt : std::optional<MidiTarget> (learnQueue.front().target); }

    struct Result
    {
        std::vector<MidiAction> actions;          // to perform, in order
        std::optional<MidiMapping> learned;        // the mapping this message created
    };
    /** Maps one message. While learning, the message binds the armed target (and triggers
        nothing). Note on with velocity 0 is a note off. */
    Result handle (const MidiBytes& message);

    /** Feedback for a clip's state: one message per mapping bound to clip `clipId` (note or
        CC), with the value for `state`. */
    enum class ClipLight { empty, loaded, playing, paused, missing };
    std::vector<MidiBytes> feedbackFor (const std::string& clipId, ClipLight state) const;
    MidiFeedbackValues feedbackValues;

private:
    std::vector<MidiMapping> mappings;
    struct Armed
    {
        MidiTarget target;
        bool gate = false;
        std::optional<MidiTarget> ccTarget;   // a clip learn: what a CC binds instead
    };
    std::vector<Armed> learnQueue;   // the front is armed
    void bind (MidiMapping mapping);
};

} // namespace cuegrid
