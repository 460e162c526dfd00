// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/SessionEditor.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace cuegrid
{

/** The clip inspector's timecode section (issue 12): the clip's timecode trigger, typed as
    HH:MM:SS:FF (HH:MM:SS;FF at 29.97 drop-frame; empty: no trigger), its Chase flag, and the
    show's timecode rate the labels are read at. Under them one line: the rate and the format
    expected, or, in red, why the typed text is no timecode at the show's rate (checked as it is
    typed; an invalid text is never committed and stays in the field to be corrected).

    Every change is one SessionEditor edit (setTimecode, setChase, setTimecodeFps: undoable,
    refused in Show mode); its outcome goes to onEditResult (the status bar), and the owner's
    SessionEditor::onChange re-posts the engine's trigger table (ShowController::sessionEdited).
    Message thread. */
class ClipTimecodeSection final : public juce::Component
{
public:
    explicit ClipTimecodeSection (SessionEditor& editor);

    /** Shows this clip's (by id; "" or unknown: nothing) timecode and chase, and the show's rate;
        a field being typed in keeps its text. */
    void showClip (const std::string& id);
    /** Read-only (Show mode, no clip): the controls are disabled. */
    void setEditable (bool editable);

    std::function<void (const SessionEditor::Result&)> onEditResult;

    /** Two rows: the controls, then the hint or error line. */
    static constexpr int preferredHeight (int rowHeight) { return rowHeight + 18; }

    /** For the UI map: "field inspectorTimecode", "button inspectorChase", "field inspectorTimecodeFps". */
    std::vector<std::pair<juce::String, juce::Component*>> getControls();
    /** inspectorTimecode, inspectorChase (on/off), inspectorTimecodeFps, inspectorTimecodeHint (the line under them). */
    std::vector<std::pair<juce::String, juce::String>> getValues() const;

    /** Why `text` is no timecode at `rate` ("" when it is one, or empty), with the format
        expected; `withText`: quoting the text and the rate (the status bar's message). */
    static juce::String problemWith (const juce::String& text, FrameRate rate, bool withText = true);

    void resized() override;

private:
    int clipIndex() const;
    void commitTimecode();
    void showHint();
    void report (const SessionEditor::Result& result);

    SessionEditor& editor;
    std::string clipId;
    juce::String shownText;       // the field's text as the session has it
    juce::Label caption { {}, "Timecode" }, hint;
    juce::TextEditor field;
    juce::ToggleButton chaseButton { "Chase" };
    juce::ComboBox fpsBox;
    bool editable = false;
    bool keepInvalid = false;     // the field holds a refused text to correct: refreshes keep it
};

} // namespace cuegrid
