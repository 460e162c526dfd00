// CueGrid — GPL-3.0-or-later
#pragma once

#include "MidiLearn.h"
#include "ToolWindow.h"

#include <array>
#include <functional>
#include <vector>

namespace cuegrid
{

/** The MIDI mappings (View > MIDI Mappings…, Ctrl+Shift+M): a table of every mapping of the
    session — the message (note, CC, program change; channel, number), its target (a clip by
    label and id, a fader, an action) and its mode — with conflicts (one control mapped twice)
    marked amber and listed under the table. Delete (the button or the Delete key) removes the
    selected mapping; a click in the Mode column cycles a clip note's fire / gate / toggle and
    a CC's absolute / relative; "Learn" arms learn for the target chosen beside it (the
    selected clip, a group or the master fader, a global action, the page by program change).
    The feedback values the output port sends for a clip's state are edited at the bottom.
    Every change is an undoable edit of the session (refused in Show mode). Not modal.
    Message thread. */
class MidiMappingsPanel final : public ToolPanel, private juce::TableListBoxModel
{
public:
    /** `selectedClip`: the id of the clip the inspector shows ("" for none). */
    MidiMappingsPanel (MidiLearn& learn, std::function<const Session&()> session, std::function<std::string()> selectedClip);

    /** Reads the session's mappings and the learn state again. */
    void refresh();

    /** For the UI map: (name, control) of the buttons and fields, and one line per row:
        "midirow <index> <note|cc|program> <channel 1-16> <number|-> <target> <mode> <conflict 0|1> <x> <y>"
        (x y: its Target cell) and "midimode <index> <x> <y>" (its Mode cell, which a click changes);
        "value midiFeedback playing=… paused=… loaded=… missing=…". */
    std::vector<std::pair<juce::String, juce::Component*>> getControls();
    juce::String describeRows() const;

    void resized() override;

private:
    int getNumRows() override;
    void paintRowBackground (juce::Graphics&, int row, int width, int height, bool selected) override;
    void paintCell (juce::Graphics&, int row, int column, int width, int height, bool selected) override;
    void cellClicked (int row, int column, const juce::MouseEvent&) override;
    void deleteKeyPressed (int lastRowSelected) override;
    void selectedRowsChanged (int) override { updateButtons(); }

    void deleteSelected();
    void learnChosen();
    void commitFeedback();
    void updateButtons();
    bool inConflict (int row) const;

    MidiLearn& learn;
    std::function<const Session&()> session;
    std::function<std::string()> selectedClip;
    std::vector<MidiMapping> rows;       // the session's mappings when last refreshed
    std::vector<MidiConflict> conflicts;
    juce::TableListBox table { "midi", this };
    juce::TextButton deleteButton { "Delete" }, learnButton { "Learn" }, cancelButton { "Cancel learn" };
    juce::ComboBox targetBox;
    juce::Label learnCaption, hint, conflictText, feedbackCaption;
    struct FeedbackField { juce::String name; juce::Label caption; juce::TextEditor editor; };
    std::array<FeedbackField, 4> feedback;   // playing, paused, loaded, missing
};

class MidiMappingsWindow final : public ToolWindow
{
public:
    MidiMappingsWindow (MidiLearn& learn, std::function<const Session&()> session, std::function<std::string()> selectedClip)
        : ToolWindow ("MIDI Mappings", panel = new MidiMappingsPanel (learn, std::move (session), std::move (selectedClip)), { 560, 380 })
    {
        setSize (660, 520);   // beside the faders, which a fader learn needs to see
    }
    MidiMappingsPanel& getPanel() noexcept { return *panel; }

private:
    MidiMappingsPanel* panel;   // owned by the window
};

} // namespace cuegrid
