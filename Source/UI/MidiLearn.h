// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/MidiControl.h"
#include "Control/SessionEditor.h"
#include "Control/ShowController.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>
#include <optional>
#include <string>

namespace cuegrid
{

/** MIDI learn as the operator does it (the clip menu's and the inspector's Learn MIDI, a
    fader's right click, the mappings window): arms MidiControl's mapper for one target, says
    what it waits for, gives up after `timeoutSeconds` or on cancel(), and keeps what was
    learned as an undoable edit of the session (SessionEditor::setMidi, "MIDI learn <target>";
    refused in Show mode, where learn does not even start). Deleting or changing a mapping and
    the feedback values are edits too. After every edit, undo or opened session the mapper
    follows the session's mappings at once.

    Event log: midiLearnArmed {target}, midiLearned {mapping, stored}, midiLearnCancelled
    {target, why}, midiMappingDeleted {mapping}. Message thread. */
class MidiLearn final : private juce::Timer
{
public:
    static constexpr double timeoutSeconds = 30.0;

    MidiLearn (ShowController& controller, SessionEditor& editor);
    ~MidiLearn() override;

    /** The app's MIDI (nullptr: none, or being destroyed; learn then says so). Takes over its
        onLearned. */
    void setMidiControl (MidiControl* midi);

    /** Arms learn for a clip: a note fires it (gate: note off stops it), a CC sets its level.
        Returns "" or why not (Show mode, no MIDI, no such clip), which also goes to onNotice. */
    juce::String learnClip (const std::string& clipId, bool gate = false);
    /** Arms learn for a fader (a CC) or a global action (a note; `page`: a program change). */
    juce::String learn (const MidiTarget& target);
    /** Stops waiting (Escape, Cancel, the timeout, Show mode); `why` goes to the event log. */
    void cancel (const juce::String& why);

    /** Learn is armed (by the operator or --midi-learn). */
    bool isLearning() const;
    /** What learn waits for (a clip learn: its fire target); nullopt when not learning. */
    std::optional<MidiTarget> learningTarget() const;
    /** "Move a control for Haunted Hum (a note fires it, a CC sets its level)… 27 s" (the
        seconds left before it gives up, when asked), "" when not learning. */
    juce::String waitingText (bool withCountdown = true) const;

    /** Edits of the session's mappings (undoable; refused in Show mode; the result's reason says why). */
    SessionEditor::Result removeMapping (size_t index);
    SessionEditor::Result replaceMapping (size_t index, const MidiMapping& changed);
    SessionEditor::Result setFeedback (const MidiFeedbackValues& values);

    /** After an edit, undo, redo or another session: the mapper takes the session's mappings. */
    void sessionChanged();

    /** "Haunted Hum (hum)", "Group A fader", "Stop All", "Page (program change)". */
    static juce::String targetTitle (const MidiTarget& target, const Session& session);
    /** A mapping's mode as the window shows it: "fire", "gate", "toggle", "absolute", "relative", "page". */
    static juce::String modeText (const MidiMapping& mapping);
    /** The clip's mappings, for the inspector ("note 36 ch 1, CC 21 ch 1"; "" for none). */
    juce::String clipMappingsText (const std::string& clipId) const;

    /** The status bar (what was learned, why learn was refused). */
    std::function<void (const juce::String&)> onNotice;
    /** Learn started, ended or its countdown moved; and after each learned mapping. */
    std::function<void()> onStateChanged;

private:
    void timerCallback() override;
    void learned (const MidiMapping& mapping);
    juce::String startLearn (const MidiTarget& shown, std::function<void (MidiMapper&)> arm);
    SessionEditor::Result edit (SessionMidi midi, const std::string& name);
    void notice (const juce::String& text) { if (onNotice) onNotice (text); }
    void stateChanged() { if (onStateChanged) onStateChanged(); }

    ShowController& controller;
    SessionEditor& editor;
    MidiControl* midi = nullptr;
    std::optional<MidiTarget> armed;   // what the operator armed (not --midi-learn)
    bool armedClip = false;            // armed is a clip learn: note or CC
    double armedAtMs = 0.0;
    int shownSeconds = -1;
};

} // namespace cuegrid
