// CueGrid — GPL-3.0-or-later
#include "MidiMappingsWindow.h"

#include "Session/SessionModel.h"

namespace cuegrid
{

namespace
{
enum Column { messageColumn = 1, channelColumn, numberColumn, targetColumn, modeColumn };

/** The targets the window's Learn offers (id in the combo box = index + 1). */
struct Choice { const char* title; const char* target; };   // target "" = the selected clip
constexpr Choice choices[] {
    { "Selected clip (note: fire, CC: level)", "" },
    { "Group A fader (CC)", "group:A" }, { "Group B fader (CC)", "group:B" },
    { "Group C fader (CC)", "group:C" }, { "Group D fader (CC)", "group:D" },
    { "Master fader (CC)", "master" },
    { "Stop All (note)", "stopAll" }, { "Fade All (note)", "fadeAll" },
    { "Pause All (note)", "pauseAll" }, { "Resume All (note)", "resumeAll" }, { "Panic (note)", "panic" },
    { "Next page (note)", "nextPage" }, { "Previous page (note)", "previousPage" },
    { "Next tab (note)", "nextTab" }, { "Previous tab (note)", "previousTab" },
    { "Show mode on/off (note)", "showMode" }, { "Show mode on (note)", "showModeOn" }, { "Show mode off (note)", "showModeOff" },
    { "Page (program change)", "page" },
};

const char* kindWord (MidiMapping::Kind kind)
{
    return kind == MidiMapping::Kind::note ? "note" : kind == MidiMapping::Kind::cc ? "cc" : "program";
}
} // namespace

MidiMappingsPanel::MidiMappingsPanel (MidiLearn& midiLearn, std::function<const Session&()> sessionGetter,
                                      std::function<std::string()> selectedClipGetter)
    : learn (midiLearn), session (std::move (sessionGetter)), selectedClip (std::move (selectedClipGetter))
{
    auto& header = table.getHeader();
    header.addColumn ("Message", messageColumn, 110);
    header.addColumn ("Channel", channelColumn, 70);
    header.addColumn ("Number", numberColumn, 70);
    header.addColumn ("Target", targetColumn, 240);
    header.addColumn ("Mode", modeColumn, 110);
    table.setColour (juce::ListBox::backgroundColourId, juce::Colour (0xff1b1d21));
    table.setRowHeight (24);
    table.setMultipleSelectionEnabled (false);
    addAndMakeVisible (table);

    deleteButton.setTooltip ("Deletes the selected mapping (also the Delete key)");
    deleteButton.onClick = [this] { deleteSelected(); };
    learnButton.setTooltip ("Then move a control on the controller (Escape or Cancel learn stops waiting)");
    learnButton.onClick = [this] { learnChosen(); };
    cancelButton.onClick = [this] { learn.cancel ("cancelled"); };
    for (auto* button : { &deleteButton, &learnButton, &cancelButton })
    {
        button->setWantsKeyboardFocus (false);
        addAndMakeVisible (*button);
    }
    for (size_t i = 0; i < std::size (choices); ++i)
        targetBox.addItem (choices[i].title, (int) i + 1);
    targetBox.setSelectedId (1, juce::dontSendNotification);
    targetBox.setWantsKeyboardFocus (false);
    addAndMakeVisible (targetBox);
    learnCaption.setText ("Learn for:", juce::dontSendNotification);
    learnCaption.setJustificationType (juce::Justification::centredRight);

    hint.setColour (juce::Label::textColourId, juce::Colours::lightgrey);
    conflictText.setColour (juce::Label::textColourId, juce::Colour (0xffffb74a));
    conflictText.setJustificationType (juce::Justification::topLeft);
    feedbackCaption.setText ("Feedback (sent to cuegrid-midi:out for a mapped clip's state, 0-127):", juce::dontSendNotification);
    feedbackCaption.setColour (juce::Label::textColourId, juce::Colours::lightgrey);
    for (auto* label : { &learnCaption, &hint, &conflictText, &feedbackCaption })
        addAndMakeVisible (*label);

    const char* names[] = { "Playing", "Paused", "Loaded", "Missing" };
    for (size_t i = 0; i < feedback.size(); ++i)
    {
        auto& field = feedback[i];
        field.name = names[i];
        field.caption.setText (names[i], juce::dontSendNotification);
        field.caption.setJustificationType (juce::Justification::centredRight);
        field.editor.setInputRestrictions (3, "0123456789");
        field.editor.setJustification (juce::Justification::centred);
        field.editor.onReturnKey = [this] { commitFeedback(); };
        field.editor.onFocusLost = [this] { commitFeedback(); };
        field.editor.onEscapeKey = [this] { refresh(); };
        addAndMakeVisible (field.caption);
        addAndMakeVisible (field.editor);
    }
    refresh();
}

void MidiMappingsPanel::refresh()
{
    const auto& show = session();
    const auto changed = rows != show.midi.mappings;
    rows = show.midi.mappings;
    conflicts = findMidiConflicts (rows);
    juce::String text;
    for (const auto& conflict : conflicts)
        text << juce::String (conflict.description) << " (all of them act)\n";
    conflictText.setText (text.isEmpty() ? juce::String ("No conflicts.") : "Conflicts:\n" + text, juce::dontSendNotification);
    conflictText.setColour (juce::Label::textColourId, text.isEmpty() ? juce::Colours::grey : juce::Colour (0xffffb74a));

    const auto waiting = learn.waitingText();
    if (waiting.isNotEmpty())
    {
        hint.setText (waiting + "  (Escape or Cancel learn stops)", juce::dontSendNotification);
        hint.setColour (juce::Label::textColourId, juce::Colour (0xffffd54a));
    }
    else
    {
        hint.setText (juce::String (rows.size()) + (rows.size() == 1 ? " mapping" : " mappings")
                          + ". Right-click a clip or a fader for Learn MIDI, or choose a target and press Learn.",
                      juce::dontSendNotification);
        hint.setColour (juce::Label::textColourId, juce::Colours::lightgrey);
    }
    const int values[] = { show.midi.feedback.playing, show.midi.feedback.paused, show.midi.feedback.loaded, show.midi.feedback.missing };
    for (size_t i = 0; i < feedback.size(); ++i)
        if (! feedback[i].editor.hasKeyboardFocus (true))
            feedback[i].editor.setText (juce::String (values[i]), juce::dontSendNotification);
    if (changed)
        table.updateContent();
    table.repaint();
    updateButtons();
}

void MidiMappingsPanel::updateButtons()
{
    const auto row = table.getSelectedRow();
    deleteButton.setEnabled (row >= 0 && row < (int) rows.size());
    cancelButton.setEnabled (learn.isLearning());
}

std::vector<std::pair<juce::String, juce::Component*>> MidiMappingsPanel::getControls()
{
    std::vector<std::pair<juce::String, juce::Component*>> controls {
        { "midiDelete", &deleteButton }, { "midiLearn", &learnButton }, { "midiCancel", &cancelButton }, { "midiTarget", &targetBox } };
    for (auto& field : feedback)
        controls.emplace_back ("midiFeedback" + field.name, &field.editor);
    return controls;
}

juce::String MidiMappingsPanel::describeRows() const
{
    juce::String lines;
    for (size_t i = 0; i < rows.size(); ++i)
    {
        const auto& m = rows[i];
        const auto cell = table.getCellPosition (targetColumn, (int) i, true);
        const auto centre = table.localAreaToGlobal (cell).getCentre();
        lines << "midirow " << (int) i << " " << kindWord (m.kind) << " " << m.channel + 1 << " "
              << (m.kind == MidiMapping::Kind::program ? juce::String ("-") : juce::String (m.number)) << " "
              << juce::String (m.target.toString()) << " " << MidiLearn::modeText (m) << " " << (inConflict ((int) i) ? 1 : 0) << " "
              << centre.x << " " << centre.y << "\n";
        const auto mode = table.localAreaToGlobal (table.getCellPosition (modeColumn, (int) i, true)).getCentre();
        lines << "midimode " << (int) i << " " << mode.x << " " << mode.y << "\n";
    }
    const auto& values = session().midi.feedback;
    lines << "value midiFeedback playing=" << values.playing << " paused=" << values.paused << " loaded=" << values.loaded
          << " missing=" << values.missing << "\n";
    return lines;
}

void MidiMappingsPanel::resized()
{
    auto area = getLocalBounds().reduced (8);
    auto buttons = area.removeFromTop (28);
    deleteButton.setBounds (buttons.removeFromLeft (80));
    buttons.removeFromLeft (16);
    learnCaption.setBounds (buttons.removeFromLeft (74));
    targetBox.setBounds (buttons.removeFromLeft (juce::jmin (270, buttons.getWidth() - 200)));
    buttons.removeFromLeft (6);
    learnButton.setBounds (buttons.removeFromLeft (70));
    buttons.removeFromLeft (6);
    cancelButton.setBounds (buttons.removeFromLeft (110));
    area.removeFromTop (4);
    hint.setBounds (area.removeFromTop (22));

    auto feedbackRow = area.removeFromBottom (28);
    feedbackCaption.setBounds (area.removeFromBottom (22));
    for (auto& field : feedback)
    {
        field.caption.setBounds (feedbackRow.removeFromLeft (66));
        feedbackRow.removeFromLeft (4);
        field.editor.setBounds (feedbackRow.removeFromLeft (52).reduced (0, 2));
        feedbackRow.removeFromLeft (8);
    }
    area.removeFromBottom (6);
    conflictText.setBounds (area.removeFromBottom (70));
    area.removeFromBottom (4);
    table.setBounds (area);
}

int MidiMappingsPanel::getNumRows()
{
    return (int) rows.size();
}

bool MidiMappingsPanel::inConflict (int row) const
{
    for (const auto& conflict : conflicts)
        for (auto index : conflict.mappings)
            if ((int) index == row)
                return true;
    return false;
}

void MidiMappingsPanel::paintRowBackground (juce::Graphics& g, int row, int, int, bool selected)
{
    auto colour = row % 2 == 0 ? juce::Colour (0xff1b1d21) : juce::Colour (0xff202328);
    if (inConflict (row))
        colour = juce::Colour (0xff4a3416);   // the same control mapped twice: amber
    g.fillAll (selected ? juce::Colour (0xff2d5f8a) : colour);
}

void MidiMappingsPanel::paintCell (juce::Graphics& g, int row, int column, int width, int height, bool)
{
    if (row < 0 || row >= (int) rows.size())
        return;
    const auto& m = rows[(size_t) row];
    juce::String text;
    auto colour = juce::Colours::white;
    switch (column)
    {
        case messageColumn: text = m.kind == MidiMapping::Kind::note ? "Note" : m.kind == MidiMapping::Kind::cc ? "CC" : "Program change"; break;
        case channelColumn: text = juce::String (m.channel + 1); break;
        case numberColumn:  text = m.kind == MidiMapping::Kind::program ? juce::String::fromUTF8 ("\xe2\x80\x93") : juce::String (m.number); break;
        case targetColumn:
            text = MidiLearn::targetTitle (m.target, session());
            if (! m.target.clip.empty() && session().findClip (m.target.clip) < 0)
                colour = juce::Colour (0xffff8a80);   // the clip is gone: the mapping does nothing
            break;
        case modeColumn:
            text = MidiLearn::modeText (m);
            colour = juce::Colour (0xff8cc4ff);       // a click changes it
            break;
        default: break;
    }
    g.setColour (colour);
    g.setFont (14.0f);
    g.drawText (text, 6, 0, width - 8, height, juce::Justification::centredLeft, true);
}

void MidiMappingsPanel::cellClicked (int row, int column, const juce::MouseEvent&)
{
    // A click in the Mode column: a clip note cycles fire → gate → toggle, a CC absolute ↔ relative.
    if (column != modeColumn || row < 0 || row >= (int) rows.size())
        return;
    auto m = rows[(size_t) row];
    using T = MidiTarget::Type;
    if (m.kind == MidiMapping::Kind::cc)
        m.mode = m.mode == MidiMapping::CcMode::relative ? MidiMapping::CcMode::absolute : MidiMapping::CcMode::relative;
    else if (m.kind == MidiMapping::Kind::note && m.target.type == T::clipFire && ! m.gate)
        m.gate = true;
    else if (m.kind == MidiMapping::Kind::note && m.target.type == T::clipFire)
    {
        m.gate = false;
        m.target.type = T::clipToggle;
    }
    else if (m.kind == MidiMapping::Kind::note && m.target.type == T::clipToggle)
        m.target.type = T::clipFire;
    else
        return;
    learn.replaceMapping ((size_t) row, m);
    refresh();
}

void MidiMappingsPanel::deleteKeyPressed (int)
{
    deleteSelected();
}

void MidiMappingsPanel::deleteSelected()
{
    const auto row = table.getSelectedRow();
    if (row < 0 || row >= (int) rows.size())
        return;
    if (learn.removeMapping ((size_t) row))
    {
        refresh();
        table.selectRow (juce::jmin (row, (int) rows.size() - 1));
    }
}

void MidiMappingsPanel::learnChosen()
{
    const auto index = targetBox.getSelectedId() - 1;
    if (index < 0 || index >= (int) std::size (choices))
        return;
    const juce::String target (choices[(size_t) index].target);
    if (target.isEmpty())
    {
        const auto clip = selectedClip();
        if (clip.empty())
            hint.setText ("Select a clip first (click it), then Learn.", juce::dontSendNotification);
        else
            learn.learnClip (clip);
    }
    else if (const auto parsed = MidiTarget::parse (target.toStdString()))
        learn.learn (*parsed);
    refresh();
}

void MidiMappingsPanel::commitFeedback()
{
    auto values = session().midi.feedback;
    int* targets[] = { &values.playing, &values.paused, &values.loaded, &values.missing };
    for (size_t i = 0; i < feedback.size(); ++i)
        *targets[i] = juce::jlimit (0, 127, feedback[i].editor.getText().getIntValue());
    if (! (values == session().midi.feedback))
        learn.setFeedback (values);
    refresh();
}

} // namespace cuegrid
