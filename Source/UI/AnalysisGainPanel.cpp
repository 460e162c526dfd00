// CueGrid — GPL-3.0-or-later
#include "AnalysisGainPanel.h"

namespace cuegrid
{

namespace
{
    juce::String decibels (double value) { return juce::String::formatted ("%+.2f", value); }
    enum Column { clipColumn = 1, groupColumn, classColumn, gainColumn, trimColumn };
}

struct AnalysisGainPanel::Content final : ToolPanel, juce::TableListBoxModel
{
    explicit Content (AnalysisGainPanel& owner) : panel (owner)
    {
        auto& header = table.getHeader();
        header.addColumn ("Clip", clipColumn, 190);
        header.addColumn ("Group", groupColumn, 80);
        header.addColumn ("Class", classColumn, 110);
        header.addColumn ("Gain old -> new (dB)", gainColumn, 170);
        header.addColumn ("Trim old -> new (dB)", trimColumn, 170);
        table.setMultipleSelectionEnabled (true);
        table.setRowHeight (22);
        table.setColour (juce::ListBox::backgroundColourId, juce::Colour (0xff1b1d21));
        table.setModel (this);
        for (int group = 0; group < 4; ++group)
        {
            auto& link = links[(size_t) group];
            link.setButtonText (juce::String ("Link ") + groupLetter (group));
            link.setTooltip (juce::String ("Gain-linked Clip Group ") + groupLetter (group)
                             + ": its analysed clips all get the group's lowest gain, so the group keeps its balance");
            link.onClick = [this] { panel.linksChanged(); };
        }
        keepBalance.setToggleState (true, juce::dontSendNotification);
        keepBalance.setTooltip ("Also set each clip's level trim to its fader offset, so the mix keeps its original balance");
        keepBalance.onClick = [this] { panel.plan(); };
        applySelected.setTooltip ("Applies the selected rows (and the rest of their linked groups) as one undoable edit");
        applyAll.setTooltip ("Applies every row as one undoable edit");
        applySelected.onClick = [this] { panel.apply (true); };
        applyAll.onClick = [this] { panel.apply (false); };
        close.onClick = [this] { panel.setVisible (false); };
        status.setJustificationType (juce::Justification::centredLeft);
        for (auto* component : std::initializer_list<juce::Component*> { &table, &keepBalance, &applySelected, &applyAll, &close, &status })
            addAndMakeVisible (component);
        for (auto& link : links)
        {
            link.setColour (juce::ToggleButton::textColourId, juce::Colours::white);
            addAndMakeVisible (link);
        }
        keepBalance.setColour (juce::ToggleButton::textColourId, juce::Colours::white);
        setSize (760, 420);
    }
    ~Content() override { table.setModel (nullptr); }

    int getNumRows() override { return (int) panel.rows.size(); }

    void paintRowBackground (juce::Graphics& g, int row, int, int, bool selected) override
    {
        g.fillAll (selected ? juce::Colour (0xff3a5a8a) : (row % 2 ? juce::Colour (0xff202328) : juce::Colour (0xff1b1d21)));
    }

    juce::String cellText (int index, int column) const
    {
        if (index < 0 || index >= (int) panel.rows.size())
            return {};
        const auto& row = panel.rows[(size_t) index];
        switch (column)
        {
            case clipColumn: return juce::String::fromUTF8 (row.label.c_str()) + " (" + juce::String::fromUTF8 (row.clipId.c_str()) + ")";
            case groupColumn: return juce::String::charToString (groupLetter (row.group)) + (row.linked ? " linked" : "");
            case classColumn: return juce::String::fromUTF8 (row.classification.c_str());
            case gainColumn: return decibels (row.oldGainDb) + " -> " + decibels (row.newGainDb);
            case trimColumn: return decibels (row.oldTrimDb) + " -> " + decibels (row.newTrimDb);
            default: return {};
        }
    }

    void paintCell (juce::Graphics& g, int index, int column, int width, int height, bool) override
    {
        const auto changes = index >= 0 && index < (int) panel.rows.size() && panel.rows[(size_t) index].changes();
        g.setColour (changes || column == clipColumn ? juce::Colours::white : juce::Colours::grey);
        g.setFont (14.0f);
        g.drawText (cellText (index, column), 4, 0, width - 8, height, juce::Justification::centredLeft, true);
    }

    void resized() override
    {
        auto area = getLocalBounds().reduced (8);
        auto bottom = area.removeFromBottom (28);
        close.setBounds (bottom.removeFromRight (80));
        bottom.removeFromRight (6);
        applyAll.setBounds (bottom.removeFromRight (110));
        bottom.removeFromRight (6);
        applySelected.setBounds (bottom.removeFromRight (140));
        status.setBounds (bottom);
        area.removeFromBottom (6);
        auto options = area.removeFromTop (26);
        for (auto& link : links)
            link.setBounds (options.removeFromLeft (80));
        keepBalance.setBounds (options.removeFromLeft (130));
        area.removeFromTop (6);
        table.setBounds (area);
    }

    AnalysisGainPanel& panel;
    juce::TableListBox table { "analysisGain", nullptr };
    std::array<juce::ToggleButton, 4> links;
    juce::ToggleButton keepBalance { "Keep balance" };
    juce::TextButton applySelected { "Apply to selected" }, applyAll { "Apply to all" }, close { "Close" };
    juce::Label status;
};

AnalysisGainPanel::AnalysisGainPanel (const Session& showSession, SessionEditor& sessionEditor, analysis::AnalysisConfig settings, Results source)
    : ToolWindow ("Apply analysis gain", nullptr, { 560, 260 }), session (showSession), editor (sessionEditor),
      config (std::move (settings)), results (std::move (source))
{
    content = new Content (*this);
    setContentOwned (content, true);
}

AnalysisGainPanel::~AnalysisGainPanel() = default;

void AnalysisGainPanel::open (juce::Point<int> topLeft, const std::string& path)
{
    if (path != sessionPath)
    {
        sessionPath = path;
        const auto linked = loadGainLinkedGroups (sessionPath);
        for (int group = 0; group < 4; ++group)
            content->links[(size_t) group].setToggleState (linked[(size_t) group], juce::dontSendNotification);
    }
    plan();
    showInFront (topLeft);
    startTimer (300);
}

void AnalysisGainPanel::plan()
{
    const auto byClip = results();
    AnalysisGainOptions options;
    for (int group = 0; group < 4; ++group)
        options.linkedGroups[(size_t) group] = content->links[(size_t) group].getToggleState();
    options.keepBalance = content->keepBalance.getToggleState();
    // Keep the selected clips selected across a new plan (rows are by clip id).
    std::set<std::string> selected;
    for (int i = 0; i < content->table.getNumSelectedRows(); ++i)
        if (const auto row = content->table.getSelectedRow (i); row >= 0 && row < (int) rows.size())
            selected.insert (rows[(size_t) row].clipId);
    rows = planAnalysisGain (session, byClip, config, options);
    plannedAt = editor.getChangeCount();
    plannedResults = byClip.size();
    content->table.updateContent();
    juce::SparseSet<int> reselect;
    for (size_t i = 0; i < rows.size(); ++i)
        if (selected.count (rows[i].clipId) > 0)
            reselect.addRange ({ (int) i, (int) i + 1 });
    content->table.setSelectedRows (reselect, juce::dontSendNotification);
    content->table.repaint();
    timerCallback();
}

void AnalysisGainPanel::linksChanged()
{
    std::array<bool, 4> linked {};
    for (int group = 0; group < 4; ++group)
        linked[(size_t) group] = content->links[(size_t) group].getToggleState();
    try
    {
        if (! sessionPath.empty())
            saveGainLinkedGroups (sessionPath, linked);
    }
    catch (const std::exception& error)
    {
        content->status.setText (juce::String ("Links not kept: ") + juce::String::fromUTF8 (error.what()), juce::dontSendNotification);
    }
    plan();
}

void AnalysisGainPanel::apply (bool selectedOnly)
{
    std::vector<AnalysisGainChange> chosen;
    if (selectedOnly)
    {
        std::set<std::string> selected;
        for (int i = 0; i < content->table.getNumSelectedRows(); ++i)
            if (const auto row = content->table.getSelectedRow (i); row >= 0 && row < (int) rows.size())
                selected.insert (rows[(size_t) row].clipId);
        chosen = changesForSelection (rows, selected);
    }
    else
        chosen = rows;
    const auto result = applyAnalysisGain (editor, session, chosen);
    plan();
    content->status.setText (result ? juce::String ("Applied to ") + juce::String ((int) chosen.size()) + " clip(s) (Edit > Undo takes it back)"
                                    : juce::String ("Not applied: ") + juce::String::fromUTF8 (result.reason.c_str()),
                             juce::dontSendNotification);
}

void AnalysisGainPanel::timerCallback()
{
    if (! isVisible())
    {
        stopTimer();
        return;
    }
    if (editor.getChangeCount() != plannedAt || results().size() != plannedResults)
        plan();   // an edit, an undo or new results: the old values moved
    const auto locked = editor.isLocked();
    content->applySelected.setEnabled (! locked && content->table.getNumSelectedRows() > 0);
    content->applyAll.setEnabled (! locked && ! rows.empty());
    for (auto& link : content->links)
        link.setEnabled (! locked);
    content->keepBalance.setEnabled (! locked);
    if (locked)
        content->status.setText ("Show mode: editing is locked", juce::dontSendNotification);
    else if (content->status.getText().startsWith ("Show mode"))
        content->status.setText ({}, juce::dontSendNotification);
}

std::vector<std::pair<juce::String, juce::Component*>> AnalysisGainPanel::getControls()
{
    std::vector<std::pair<juce::String, juce::Component*>> controls {
        { "analysisGainTable", &content->table }, { "analysisGainApplySelected", &content->applySelected },
        { "analysisGainApplyAll", &content->applyAll }, { "analysisGainKeepBalance", &content->keepBalance },
        { "analysisGainClose", &content->close } };
    for (int group = 0; group < 4; ++group)
        controls.push_back ({ juce::String ("analysisGainLink") + groupLetter (group), &content->links[(size_t) group] });
    return controls;
}

juce::String AnalysisGainPanel::getUiMapLines() const
{
    juce::String lines;
    lines << "text analysisGainStatus " << content->status.getText() << "\n";
    lines << "value analysisGainEnabled " << (content->applyAll.isEnabled() ? "yes" : "no") << "\n";
    for (int row = 0; row < (int) rows.size(); ++row)
    {
        // Only rows scrolled into view (below the header), at their centre on the screen.
        const auto local = content->table.getRowPosition (row, true).getCentre();
        if (local.y <= content->table.getHeaderHeight() || local.y >= content->table.getHeight())
            continue;
        const auto centre = content->table.localPointToGlobal (local);
        const auto& change = rows[(size_t) row];
        lines << "analysisGainRow " << row << " " << centre.x << " " << centre.y << " " << juce::String::fromUTF8 (change.clipId.c_str())
              << " " << juce::String::formatted ("%.2f %.2f", change.oldGainDb, change.newGainDb) << " " << (change.linked ? 1 : 0) << "\n";
    }
    return lines;
}

} // namespace cuegrid
