// CueGrid — GPL-3.0-or-later
#pragma once

#include "ClipTimecodeSection.h"
#include "InspectorText.h"
#include "WaveformView.h"
#include "Control/ShowController.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cuegrid
{

/** The clip inspector: a side panel (never modal) showing one clip's properties — label,
    colour, group, gain, level trim, fades and their curves, cue in/out, loop (in, out, count),
    retrigger, solo, pan, timecode trigger and chase (ClipTimecodeSection), notes — and its waveform, on which cue, loop and fade points are
    dragged. Times are typed and shown in seconds (cue, loop) and ms (fades); an empty field
    means "the default" (the file's start or end, the session's fade).

    Every change is one edit through the SessionEditor (a handle drag is one undo step, through
    beginGesture); a refused edit leaves the session as it was and its reason goes to
    onEditResult (the status bar). While the editor is locked (Show mode) the panel is
    read-only: fields disabled, handles not draggable; Audition still plays.

    The clip is named by id, so it stays shown while grid edits move clip indices. The owner
    calls refresh() after every edit, undo and redo (SessionEditor::onChange) and update() on
    its timer. Message thread. */
class ClipInspector final : public juce::Component
{
public:
    ClipInspector (ShowController& controller, SessionEditor& editor, ThumbnailStore& thumbnails);
    ~ClipInspector() override;

    /** Shows the clip with this id ("" or an unknown id: nothing to inspect). */
    void showClip (const std::string& id);
    const std::string& getClipId() const noexcept { return clipId; }

    /** Reloads every field and the waveform's markers from the session, except the field
        being typed in. */
    void refresh();
    /** Follows the editor's lock (Show mode) and the waveform's length once its header is read. */
    void update();

    std::function<void (const SessionEditor::Result&)> onEditResult;
    /** The Learn MIDI button: arm (or, while it waits, cancel) MIDI learn for the shown clip. */
    std::function<void()> onLearnMidi;
    /** What the MIDI row shows: the clip's mappings ("note 36 ch 1"; "" = none) and whether
        learn waits for this clip (the button then reads "Cancel learn"). */
    void setMidiState (const juce::String& mappings, bool learning);

    /** For the UI map: ("button inspector<Name>" | "field inspector<Name>", control) of every
        control, and ("inspector<Name>", shown text) of every field. */
    std::vector<std::pair<juce::String, juce::Component*>> getControls();
    std::vector<std::pair<juce::String, juce::String>> getValues();
    /** The screen position of each handle's knob shown on the waveform. */
    std::vector<std::pair<juce::String, juce::Point<int>>> getHandles() const;
    WaveformView& getWaveform() noexcept { return waveform; }

    void paint (juce::Graphics&) override;
    void resized() override;
    /** Hidden mid-drag (key I): the drag's undo step is closed (no mouse-up will come). */
    void visibilityChanged() override;

    /** Field text and numbers (InspectorText.h): "" → the default, a plain decimal number →
        its value, anything else refused; seconds shown with 3 decimals (more when finer than
        1 ms), ms whole or with their decimals. */
    static inspectorText::ParsedNumber parseNumber (const juce::String& text);
    static juce::String secondsText (double seconds);
    static juce::String msText (double ms);

private:
    struct Field
    {
        juce::String name;               // "FadeIn": "field inspectorFadeIn" in the UI map
        juce::Label caption;
        juce::TextEditor editor;
        std::function<SessionEditor::Result (const juce::String&)> commit;
        juce::String shown;              // the text refresh() put there
    };

    int clipIndex() const;
    const ClipDefinition* clip() const;
    Field& addField (const juce::String& name, const juce::String& caption,
                     std::function<SessionEditor::Result (const juce::String&)> commit);
    void commitField (Field& field);
    void report (const SessionEditor::Result& result);
    /** `edit` on the shown clip; refused when there is none. */
    SessionEditor::Result edit (const std::function<SessionEditor::Result (int)>& change);
    SessionEditor::Result editNumber (const juce::String& text, const char* what,
                                      const std::function<SessionEditor::Result (int, std::optional<double>)>& change);
    bool pastTheEnd (std::optional<double> seconds) const;
    SessionEditor::Result tooLate (std::optional<double> seconds, const char* what) const;
    void setText (Field& field, const juce::String& text, const juce::String& placeholder = {});
    void applyLock();
    void dragTo (WaveformHandle handle, double seconds);
    juce::Label& addCaption (juce::Label& label, const juce::String& text);

    ShowController& controller;
    SessionEditor& editor;
    WaveformView waveform;
    std::string clipId;
    bool locked = false;
    double shownLength = 0.0;
    std::optional<SessionEditor::Gesture> gesture;   // while a handle is dragged

    juce::Label title;
    juce::Rectangle<int> hintArea;   // the handles' legend, under the waveform
    juce::TextButton auditionButton { "Audition" };
    std::vector<std::unique_ptr<Field>> fields;
    Field *labelField, *colourField, *gainField, *trimField, *fadeInField, *fadeOutField, *cueInField, *cueOutField,
          *loopInField, *loopOutField, *loopCountField, *panField, *notesField;
    juce::Label groupCaption, retriggerCaption;
    juce::ComboBox groupBox, fadeInCurveBox, fadeOutCurveBox, retriggerBox;
    juce::ToggleButton loopButton { "Loop" }, soloButton { "Solo" };
    juce::TextButton learnMidiButton { "Learn MIDI" };
    juce::Label midiLabel;
    ClipTimecodeSection timecodeSection { editor };
};

} // namespace cuegrid
