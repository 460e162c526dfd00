// CueGrid — GPL-3.0-or-later
#include "KeymapWindow.h"

#include "Session/SessionModel.h"
#include "ShowKeys.h"

#include <set>

namespace cuegrid
{

namespace
{
enum Column { nameColumn = 1, scopeColumn, keyColumn, gateColumn };

std::vector<ClipHotkey>* scopeKeys (SessionHotkeys& hotkeys, int page)
{
    if (page < 0)
        return &hotkeys.global;
    if ((size_t) page >= hotkeys.pages.size())
        hotkeys.pages.resize ((size_t) page + 1);
    return &hotkeys.pages[(size_t) page];
}
} // namespace

KeymapPanel::KeymapPanel (ShowKeys& showKeys, std::function<const Session&()> sessionGetter, std::function<int()> pageGetter)
    : keys (showKeys), session (std::move (sessionGetter)), shownPage (std::move (pageGetter))
{
    auto& header = table.getHeader();
    header.addColumn ("Action / clip", nameColumn, 240);
    header.addColumn ("Scope", scopeColumn, 90);
    header.addColumn ("Key", keyColumn, 170);
    header.addColumn ("Gate", gateColumn, 60);
    table.setColour (juce::ListBox::backgroundColourId, juce::Colour (0xff1b1d21));
    table.setRowHeight (22);
    addAndMakeVisible (table);

    assignButton.setTooltip ("Then press the key (Escape cancels, Backspace clears)");
    assignButton.onClick = [this] { startCapture(); };
    clearButton.onClick = [this]
    {
        if (const auto row = table.getSelectedRow(); row >= 0 && row < (int) rows.size())
            assign (rows[(size_t) row], {});
    };
    scopeButton.setTooltip ("A clip's key: only while its page is shown, or on every page");
    scopeButton.onClick = [this]
    {
        const auto row = table.getSelectedRow();
        if (row < 0 || row >= (int) rows.size() || rows[(size_t) row].action)
            return;
        const auto current = rows[(size_t) row];
        const auto chord = chordOf (current);
        const auto gate = gateOf (current);
        assign (current, {});
        auto moved = current;
        moved.page = current.page < 0 ? shownPage() : -1;
        if (chord.isValid())
            assign (moved, chord, gate);
        refresh();
    };
    for (auto* button : { &assignButton, &clearButton, &scopeButton })
    {
        button->setWantsKeyboardFocus (false);
        addAndMakeVisible (*button);
    }
    hint.setColour (juce::Label::textColourId, juce::Colours::lightgrey);
    conflictText.setColour (juce::Label::textColourId, juce::Colour (0xffffb74a));
    conflictText.setJustificationType (juce::Justification::topLeft);
    addAndMakeVisible (hint);
    addAndMakeVisible (conflictText);
    setWantsKeyboardFocus (true);
    keys.capture = [this] (const juce::KeyPress& key) { return captured (key); };
    refresh();
}

KeymapPanel::~KeymapPanel() { keys.capture = nullptr; }

void KeymapPanel::refresh()
{
    rows.clear();
    for (const auto action : allKeyActions)
        rows.push_back ({ action, {}, keyActionTitle (action), -1 });

    const auto& show = session();
    const auto page = shownPage();
    std::set<std::string> listed;
    if (page >= 0 && (size_t) page < show.pages.size())
        for (const auto& tab : show.pages[(size_t) page].tabs)
            for (const auto& slot : tab.slots)
                if (listed.insert (slot.clip).second)
                {
                    const auto index = show.findClip (slot.clip);
                    const auto label = index >= 0 && ! show.clips[(size_t) index].label.empty() ? show.clips[(size_t) index].label : slot.clip;
                    Row row { std::nullopt, slot.clip, label + " (" + tab.name + ")", page };
                    for (const auto& key : keys.getKeyMap().sessionHotkeys().global)
                        if (key.clip == slot.clip)
                            row.page = -1;   // its key is session-wide
                    rows.push_back (row);
                }
    // Session-wide keys of clips on other pages.
    for (const auto& key : keys.getKeyMap().sessionHotkeys().global)
        if (listed.insert (key.clip).second)
            rows.push_back ({ std::nullopt, key.clip, key.clip, -1 });

    conflicts = keys.getKeyMap().conflicts();
    juce::String text;
    for (const auto& conflict : conflicts)
        text << conflict.description << "\n";
    conflictText.setText (text.isEmpty() ? juce::String ("No conflicts.") : "Conflicts:\n" + text, juce::dontSendNotification);
    if (! capturing)
        hint.setText ("Page " + juce::String (page + 1) + " shown. Select a row, then Assign key...", juce::dontSendNotification);
    table.updateContent();
    table.repaint();
}

void KeymapPanel::resized()
{
    auto area = getLocalBounds().reduced (8);
    auto buttons = area.removeFromTop (28);
    assignButton.setBounds (buttons.removeFromLeft (120));
    buttons.removeFromLeft (6);
    clearButton.setBounds (buttons.removeFromLeft (70));
    buttons.removeFromLeft (6);
    scopeButton.setBounds (buttons.removeFromLeft (120));
    area.removeFromTop (4);
    hint.setBounds (area.removeFromTop (22));
    conflictText.setBounds (area.removeFromBottom (90));
    table.setBounds (area);
}

KeyChord KeymapPanel::chordOf (const Row& row) const
{
    if (row.action)
        return keys.getKeyMap().globalKeymap().chordFor (*row.action);
    const auto& hotkeys = keys.getKeyMap().sessionHotkeys();
    const auto* list = row.page < 0 ? &hotkeys.global : (size_t) row.page < hotkeys.pages.size() ? &hotkeys.pages[(size_t) row.page] : nullptr;
    if (list != nullptr)
        for (const auto& key : *list)
            if (key.clip == row.clip)
                return key.chord;
    return {};
}

bool KeymapPanel::gateOf (const Row& row) const
{
    const auto& hotkeys = keys.getKeyMap().sessionHotkeys();
    const auto* list = row.page < 0 ? &hotkeys.global : (size_t) row.page < hotkeys.pages.size() ? &hotkeys.pages[(size_t) row.page] : nullptr;
    if (list != nullptr)
        for (const auto& key : *list)
            if (key.clip == row.clip)
                return key.gate;
    return false;
}

void KeymapPanel::assign (const Row& row, const KeyChord& chord, std::optional<bool> gate)
{
    auto& map = keys.getKeyMap();
    if (row.action)
    {
        auto globals = map.globalKeymap();
        globals.set (*row.action, chord);
        map.setGlobalKeymap (globals);
        if (onGlobalKeymapChanged)
            onGlobalKeymapChanged (globals);
    }
    else
    {
        auto hotkeys = map.sessionHotkeys();
        auto& list = *scopeKeys (hotkeys, row.page);
        const auto keepGate = gate.value_or (gateOf (row));
        list.erase (std::remove_if (list.begin(), list.end(), [&] (const ClipHotkey& k) { return k.clip == row.clip; }), list.end());
        if (chord.isValid())
            list.push_back ({ row.clip, chord, keepGate });
        map.setSessionHotkeys (hotkeys);
        if (onSessionHotkeysChanged)
            onSessionHotkeysChanged (hotkeys);
    }
    refresh();
}

void KeymapPanel::startCapture()
{
    const auto row = table.getSelectedRow();
    if (row < 0 || row >= (int) rows.size())
    {
        hint.setText ("Select a row first.", juce::dontSendNotification);
        return;
    }
    capturing = true;
    hint.setText ("Press the key for " + juce::String (rows[(size_t) row].label) + " (Escape cancels, Backspace clears)", juce::dontSendNotification);
    grabKeyboardFocus();
}

bool KeymapPanel::captured (const juce::KeyPress& key)
{
    if (! capturing)
        return false;
    const auto row = table.getSelectedRow();
    if (key.getKeyCode() == juce::KeyPress::escapeKey && ! key.getModifiers().isAnyModifierKeyDown())
    {
        capturing = false;
        refresh();
        return true;
    }
    if (row < 0 || row >= (int) rows.size())
        return false;
    const auto chord = key.getKeyCode() == juce::KeyPress::backspaceKey ? std::optional<KeyChord> (KeyChord {}) : ShowKeys::chordOf (key);
    if (! chord)
    {
        hint.setText ("That key cannot be used; press another (Escape cancels)", juce::dontSendNotification);
        return true;
    }
    capturing = false;
    assign (rows[(size_t) row], *chord);
    return true;
}

void KeymapPanel::paintRowBackground (juce::Graphics& g, int row, int, int, bool selected)
{
    auto colour = row % 2 == 0 ? juce::Colour (0xff1b1d21) : juce::Colour (0xff202328);
    if (row >= 0 && row < (int) rows.size())
    {
        const auto chord = chordOf (rows[(size_t) row]);
        for (const auto& conflict : conflicts)
            if (chord.isValid() && conflict.chord == chord)
                colour = juce::Colour (0xff4a3416);   // conflicting key: amber
    }
    g.fillAll (selected ? juce::Colour (0xff2d5f8a) : colour);
}

void KeymapPanel::paintCell (juce::Graphics& g, int row, int column, int width, int height, bool)
{
    if (row < 0 || row >= (int) rows.size())
        return;
    const auto& r = rows[(size_t) row];
    juce::String text;
    switch (column)
    {
        case nameColumn:  text = r.label; break;
        case scopeColumn: text = r.action ? "global" : r.page < 0 ? "all pages" : "page " + juce::String (r.page + 1); break;
        case keyColumn:   text = chordOf (r).toString(); break;
        case gateColumn:  text = r.action ? "" : gateOf (r) ? "gate" : "-"; break;
        default: break;
    }
    g.setColour (juce::Colours::white);
    g.setFont (14.0f);
    g.drawText (text, 6, 0, width - 8, height, juce::Justification::centredLeft, true);
}

void KeymapPanel::cellClicked (int row, int column, const juce::MouseEvent&)
{
    // A click in the Gate column of a clip with a key toggles gate mode.
    if (column != gateColumn || row < 0 || row >= (int) rows.size() || rows[(size_t) row].action)
        return;
    const auto r = rows[(size_t) row];
    if (const auto chord = chordOf (r); chord.isValid())
        assign (r, chord, ! gateOf (r));
}

} // namespace cuegrid
