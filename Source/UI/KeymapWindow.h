// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/KeyMap.h"
#include "ToolWindow.h"

#include <functional>

namespace cuegrid
{

struct Session;
class ShowKeys;

/** The keymap (View > Keymap…, Ctrl+K): a table of the global actions and of the shown page's
    clips with their keys. Select a row, press "Assign key…", then press the key (captured
    before the show sees it; Escape during capture cancels, Backspace clears the key). Conflicts
    (a key twice in a scope, a page key shadowing a global one) are listed under the table and
    the row is marked. Global keys are saved in preferences.json (onGlobalKeymapChanged), the
    clips' keys in the session (onSessionHotkeysChanged). Not modal. Message thread. */
class KeymapPanel final : public ToolPanel, private juce::TableListBoxModel
{
public:
    KeymapPanel (ShowKeys& keys, std::function<const Session&()> session, std::function<int()> shownPage);
    ~KeymapPanel() override;

    std::function<void (const GlobalKeymap&)> onGlobalKeymapChanged;
    std::function<void (const SessionHotkeys&)> onSessionHotkeysChanged;

    /** Reads the keymap, the session's clips and the page shown again. */
    void refresh();

    void resized() override;

private:
    struct Row
    {
        std::optional<KeyAction> action;   // a global action, else a clip
        std::string clip, label;
        int page = -1;                     // the clip key's scope: a page, or -1 = every page
    };

    int getNumRows() override { return (int) rows.size(); }
    void paintRowBackground (juce::Graphics&, int row, int width, int height, bool selected) override;
    void paintCell (juce::Graphics&, int row, int column, int width, int height, bool selected) override;
    void cellClicked (int row, int column, const juce::MouseEvent&) override;

    KeyChord chordOf (const Row&) const;
    bool gateOf (const Row&) const;
    void assign (const Row&, const KeyChord&, std::optional<bool> gate = std::nullopt);
    void startCapture();
    bool captured (const juce::KeyPress&);

    ShowKeys& keys;
    std::function<const Session&()> session;
    std::function<int()> shownPage;
    std::vector<Row> rows;
    std::vector<KeyConflict> conflicts;
    juce::TableListBox table { "keymap", this };
    juce::TextButton assignButton { "Assign key..." }, clearButton { "Clear" }, scopeButton { "Page / global" };
    juce::Label hint, conflictText;
    bool capturing = false;
};

class KeymapWindow final : public ToolWindow
{
public:
    KeymapWindow (ShowKeys& keys, std::function<const Session&()> session, std::function<int()> shownPage)
        : ToolWindow ("Keymap", panel = new KeymapPanel (keys, std::move (session), std::move (shownPage)), { 520, 360 })
    {
        setSize (640, 520);
    }
    KeymapPanel& getPanel() noexcept { return *panel; }

private:
    KeymapPanel* panel;   // owned by the window
};

} // namespace cuegrid
