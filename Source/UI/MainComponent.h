// CueGrid — GPL-3.0-or-later
#pragma once

#include "AudioSettingsWindow.h"
#include "ClipAnalysisView.h"
#include "ClipButton.h"
#include "ClipInspector.h"
#include "GroupStrip.h"
#include "MasterStrip.h"
#include "RecordPanel.h"
#include "PageView.h"
#include "Control/MediaWatch.h"
#include "KeymapWindow.h"
#include "MidiLearn.h"
#include "MidiMappingsWindow.h"
#include "ClockWindow.h"
#include "ShowKeys.h"
#include "ShowLookAndFeel.h"
#include "Control/MediaImporter.h"
#include "Control/ShowActions.h"
#include "Control/ShowController.h"
#include "Session/SessionStore.h"

#include <juce_audio_utils/juce_audio_utils.h>

#include <array>
#include <memory>
#include <optional>
#include <vector>

namespace cuegrid
{

class MediaFactsRefresher;

/** A big transport button: a bold title and, under it, its key. Message thread. */
class TransportButton final : public juce::Button
{
public:
    TransportButton (const juce::String& title, const juce::String& key, juce::Colour colour);
    void paintButton (juce::Graphics&, bool highlighted, bool down) override;

private:
    juce::String key;
    juce::Colour colour;
};

/** A question across the top of the window with up to three answers, never modal: the show
    keeps running and every other control still works while it is up. Message thread. */
class ConfirmBar final : public juce::Component
{
public:
    struct Answer
    {
        juce::String name;     // for the UI map: "button <name> x y"
        juce::String text;
        std::function<void()> action;
    };
    ConfirmBar();
    void ask (const juce::String& question, std::vector<Answer> answers);
    void dismiss() { setVisible (false); }
    /** (name, button) of each answer shown. */
    std::vector<std::pair<juce::String, juce::Component*>> getAnswers();
    void paint (juce::Graphics&) override;
    void resized() override;

private:
    juce::Label question;
    std::vector<std::unique_ptr<juce::TextButton>> buttons;
    std::vector<juce::String> names;
};

/** The operator's main window content: one page (PageView: page selector, the page's 8 tabs,
    a tab holding playing clips shows how many, the clip grid) or two side by side (dual-page
    view, Ctrl+D or the Dual view button: each with its own page and tab, the one last
    pressed has the focus and a highlighted border), Group A–D strips, the master strip, the
    transport row (STOP ALL, FADE ALL, PAUSE ALL, RESUME ALL, PANIC) and the status bar.
    A click fires a clip (its retrigger mode decides what a click on a playing clip does),
    a right click opens its menu; Escape stops all and Shift+Escape fades all from anywhere
    in the app. Nothing here is modal. Only presentation: every action goes through the
    ShowController. Message thread. */
class MainComponent final : public juce::Component, public juce::DragAndDropContainer, private juce::Timer
{
public:
    MainComponent (ShowController& controller, juce::AudioDeviceManager& devices);
    ~MainComponent() override;

    /** Writes, after each layout and whenever a shown clip state changes, for automation and
        the GUI tests: "clip <id> <x> <y>" (screen centre of each visible clip button), "cell <row>
        <column> <x> <y>" (every cell of the shown tab, empty or not),
        "button <name> <x> <y>", "tab <index> <x> <y> <playing clips>", "state <id> <text>"
        for each visible clip that plays (ClipButton::describeState) — these of the first (left)
        page view; in dual-page view the second view's same lines follow with the prefix
        "view2 " ("view2 clip <id> <x> <y>", "view2 tab …", "view2 cell …", "view2 state …"),
        and "view <1|2> <page> <tab> <focused 0|1>" says what each view shows; "menu <x> <y> <w> <h>"
        while a pop-up menu is open, and while Audio Settings is open "window settings <x> <y>
        <w> <h>" and its routing choices as "button routing<Master|Audition|A…D> <x> <y>".
        While the clip inspector is shown: "inspector <clip id>", its controls as "button
        inspector<Audition|Loop|Solo> <x> <y>" and "field inspector<Label|Colour|Gain|LevelTrim|
        FadeIn|FadeOut|CueIn|CueOut|LoopIn|LoopOut|LoopCount|Pan|Notes|Group|FadeInCurve|
        FadeOutCurve|Retrigger> <x> <y>", what each shows as "value inspector<Name> <text>"
        (seconds for cue and loop points, ms for fades; empty: the default; also
        "value inspectorEditable yes|no", "value inspectorWaveform none|reading|ready",
        "value inspectorThumbnailsFromDisk <n>"), and the waveform's handles (knob centres) as
        "handle <cueIn|cueOut|loopIn|loopOut|fadeIn|fadeOut> <x> <y>". "title <text>" is the
        main window's title ("<session>[ *] - CueGrid") and "window main <x> <y> <w> <h>" its
        bounds (title bar included); other windows of the app added with
        addUiMapWindow follow as "window <name> <x> <y> <w> <h>" and their controls. */
    void setUiMapFile (const juce::File& path) { uiMapFile = path; }

    /** Writes the status bar's text (without the CPU figure) to `path` whenever it changes,
        for automation and the GUI tests. */
    void setStatusFile (const juce::File& path) { statusFile = path; }

    /** The one path from every input (mouse, keys, MIDI, OSC) to the show; the app sets its
        UI hooks (navigation, GO's selection). Message thread. */
    ShowActions& getShowActions() noexcept { return actions; }

    /** Shows a problem in the status bar (e.g. a session that failed to load). */
    void setProblem (const juce::String& text);

    /** A part of the status bar the app adds after the device (mirroring's "Backup: in step,
        …"): its text, and true when it is a warning (the status bar turns to the alarm colour).
        Called on every repaint of the status bar. Message thread. */
    std::function<juce::String (bool& warning)> statusExtra;

    /** Rebuilds everything from the controller's session after it was replaced (open, new,
        recovery): the undo history is cleared and the session counts as saved. */
    void sessionChanged();

    /** The session editor: every edit of the show goes through it (Ctrl+Z / Ctrl+Shift+Z
        undo and redo it; the Show mode button locks it). Saving calls markSaved(); the title
        follows hasUnsavedChanges() on its own. */
    SessionEditor& getEditor() noexcept { return editor; }

    /** What File > Export offers by default: the focused view's page and tab (0-based) and the
        inspector's clip ("" for none). */
    struct ShownScope { int page = 0, tab = 0; std::string clip; };
    ShownScope shownScope() const
    {
        const auto& view = *views[(size_t) focusedViewIndex];
        return { view.getPage(), view.getTab(), inspector.getClipId() };
    }

    /** The store that saves the open session (the app's; nullptr: saving is not possible, the
        status bar says why on Ctrl+S). Before a risky edit (a grid shrink that moves clips) a
        recovery point is written through it. */
    void setSessionStore (SessionStore* store) noexcept { sessionStore = store; }

    /** Ctrl+S: saves the session through the store (atomically, with backups) and marks the
        editor saved. Allowed in Show mode (it is not an edit). Returns "" or why not, which
        the status bar also shows. */
    juce::String saveSession();

    /** Closing or quitting (window close button, Ctrl+Q): true when the app may quit now.
        Otherwise a ConfirmBar asks, never modal: with clips playing, "Quit anyway?" first;
        with unsaved changes, Save and quit / Quit without saving / Cancel. An answer that
        quits calls onQuit. */
    bool requestQuit();
    std::function<void()> onQuit;

    /** Before something replaces the open session (File > New, Open, Open Recent): asks as
        requestQuit does, with `verb` ("Open", "New session") on the answers named close…
        (closeAnyway, closeSave, closeDiscard, closeCancel), and calls `then` once the answers
        allow it, at once when nothing needs asking. Never modal. */
    void requestReplaceSession (const juce::String& verb, std::function<void()> then);

    /** A question in the bar across the top of the window (never modal; the show runs on).
        Each answer's button is in the UI map by its name. */
    void ask (const juce::String& question, std::vector<ConfirmBar::Answer> answers);
    void dismissQuestion() { confirmBar.dismiss(); }

    /** Another window of the app for the UI map: while visible, "window <name> x y w h" and
        "button <control> x y" for each of `controls()` that is showing. */
    void addUiMapWindow (const juce::String& name, juce::Component* window,
                         std::function<std::vector<std::pair<juce::String, juce::Component*>>()> controls,
                         std::function<juce::String()> lines = {});

    /** The window title and the title label: the session's name, and a dot (window title: " *") while there are
        unsaved changes. */
    void updateTitle();

    /** Imports media files into the cells of `tab` on `page` from (row, column) on, in reading
        order, filling empty cells only (SessionEditor::importFiles; one undo step). Folders
        give their audio files. Each file is checked and decoded on a background thread
        (MediaImporter), never on the message thread; the clips appear when that is done, and
        the analysis queues them. A file that is not usable media is named in the status bar
        with why, and the rest are imported. Refused in Show mode, with the reason in the
        status bar. What a drop of files from a file manager calls (a drop on a tab: that tab
        from its first empty cell), and File > Import…. Message thread. */
    void importFiles (const juce::StringArray& paths, int page, int tab, int row, int column);

    /** File > Import Audio…: importFiles into the tab on screen (the focused page view's),
        from its first empty cell; the status bar says so when the tab is full. */
    void importIntoShownTab (const juce::StringArray& paths);

    /** Dual-page view: two pages side by side (the second view starts on the next page), or
        one. A workstation's choice, not the show's: the app keeps it in the preferences
        (onDualViewChanged), not in the manifest. */
    void setDualView (bool shouldShowTwo);
    bool isDualView() const noexcept { return dualView; }
    /** Called when the operator toggles the view (Ctrl+D, the Dual view button). */
    std::function<void (bool dualView)> onDualViewChanged;

    /** The show's keys (the keymap and the clips' hotkeys): the app attaches them to its windows. */
    ShowKeys& getShowKeys() noexcept { return keys; }

    /** View > Keymap… (Ctrl+K): the non-modal keymap window. Global keys go to the app through
        onGlobalKeymapChanged (preferences.json); clip keys are an undoable SessionEditor edit. */
    void openKeymapWindow();
    std::function<void (const GlobalKeymap&)> onGlobalKeymapChanged;

    /** The app's MIDI, for learn (the clip menu, the inspector, a fader's right click, the
        mappings window); nullptr before it is destroyed. MainComponentMidi.cpp. */
    void setMidiControl (MidiControl* midi);
    /** View > MIDI Mappings… (Ctrl+Shift+M): the non-modal table of the session's mappings. */
    void openMidiMappingsWindow();
    /** View > Clock… (Ctrl+Shift+T): the non-modal clock panel (issue 12). UI map: "window clock". */
    void openClockWindow();
    ClockWindow& getClockWindow() noexcept { return clockWindow; }

    /** Runtime media warnings (MainComponentMedia.cpp, docs/media.md "Detection"): the open
        session's file (to resolve clip files) and its media facts worker (replaced files); set
        by the app. The buttons of the shown pages and of playing clips warn MISSING or CHANGED. */
    std::function<std::string()> sessionFileForMedia;
    std::function<const MediaFactsRefresher*()> mediaFactsForWarnings;
    /** File > Relink Missing Media… and the warning button's menu item; set by the app. */
    std::function<void()> openRelinkPanel;
    /** Clip id → "MISSING" or "CHANGED" with why, as the buttons show them now. */
    std::map<std::string, std::pair<juce::String, juce::String>> getMediaWarnings() const { return mediaWarnings; }
    /** After a relink: forget what the watch remembered, so relinked clips are judged afresh. */
    void resetMediaWatch();

    void paint (juce::Graphics&) override;
    void paintOverChildren (juce::Graphics&) override;
    void resized() override;
    bool keyPressed (const juce::KeyPress&) override;
    void parentHierarchyChanged() override
    {
        keys.attach (getTopLevelComponent());
        updateTitle();
    }

private:
    void timerCallback() override;
    void rebuildFromSession();
    void sessionEdited (const SessionEditor::Change& change);
    void showEditResult (const SessionEditor::Result& result);
    void showNotice (const juce::String& text);
    void rebuildGrids();
    void showAnalysis();
    /** The clip menu of `clip`, whose button (a cell of a page view) is `target`. */
    void showClipMenu (int clip, ClipButton& target);
    /** A right click on a tab of page view `viewIndex`: rename, grid size, reorder the tab;
        add, rename, reorder, delete the page. Every item is an undoable edit, greyed out in
        Show mode. */
    void showTabMenu (int viewIndex, int tab);
    /** A right click on an empty cell: Paste here. */
    void showEmptyCellMenu (const SessionEditor::Cell& cell, ClipButton& target);
    /** The page view with the focus (the only one in single view). */
    PageView& focusedView() noexcept { return *views[(size_t) focusedViewIndex]; }
    /** The cell of the selected clip (the inspector's) on the focused view's tab, if it is there. */
    std::optional<SessionEditor::Cell> selectedCell() const;
    /** The first empty cell of `start`'s tab from `start` on, in reading order. */
    std::optional<SessionEditor::Cell> firstEmptyCellFrom (const SessionEditor::Cell& start) const;
    void focusView (int viewIndex);
    /** A cell dragged onto `to`: moves it there (swap if occupied), or copies it (`copy`). */
    void cellDropped (const SessionEditor::Cell& from, const SessionEditor::Cell& to, bool copy);
    /** The first empty cell of a tab (row by row), or nullopt when it is full. */
    std::optional<SessionEditor::Cell> firstEmptyCell (int page, int tab) const;
    /** Cancels a drag of a cell in progress (Escape); true if there was one. */
    bool cancelCellDrag();
    void importFinished (MediaImporter::Outcome outcome);
    /** An in-place text field over `area` (a tab's or the page list's bounds): Return commits
        through `commit`, losing focus cancels. Never modal. */
    void startRename (juce::Rectangle<int> area, const juce::String& text, std::function<void (const juce::String&)> commit);
    void writeUiMap();
    void openAudioSettings();
    juce::String statusText (bool withLoad = true) const;
    void writeStatusFile();
    void reportOnce (const juce::String& text);

    ShowController& controller;
    ShowActions actions { controller };   // every operator command goes through it (source mouse, key, …)
    juce::AudioDeviceManager& devices;
    ShowLookAndFeel lookAndFeel;
    ShowKeys keys;

    juce::Label title;
    juce::TextButton settingsButton { "Audio Settings" };
    TransportButton stopAllButton { "STOP ALL", "Esc", juce::Colour (0xffc62828) },
                    fadeAllButton { "FADE ALL", juce::String::fromUTF8 ("\xe2\x87\xa7 Esc  \xc2\xb7  1 s"), juce::Colour (0xffd9731a) },
                    pauseAllButton { "PAUSE ALL", "", juce::Colour (0xff8a6d12) },
                    resumeAllButton { "RESUME ALL", "", juce::Colour (0xff2e7d4f) },
                    panicButton { "PANIC", "cut all, cancel queued", juce::Colour (0xff5a0f12) };
    juce::TextButton stopAuditionButton { "Stop audition" };
    juce::Label auditionLabel;
    std::vector<std::unique_ptr<GroupStrip>> strips;
    MasterStrip masterStrip;
    RecordPanel recordPanel;   // REC A / REC B in the top bar
    juce::UndoManager undoManager;   // the app's only one: session edits and Apply analysis gain
    SessionEditor editor { controller.getEditableSession(), undoManager };
    ClipAnalysisView analysisView { controller, editor };
    // The page views (views[1] only in dual-page view), after what they refer to.
    std::array<std::unique_ptr<PageView>, 2> views;
    int focusedViewIndex = 0;
    bool dualView = false;
    juce::TextButton dualViewButton { "Dual view" };
    ThumbnailStore thumbnails { ThumbnailStore::defaultFolder() };   // before the inspector, which uses it
    ClipInspector inspector { controller, editor, thumbnails };
    juce::TextButton inspectorButton { "Inspector" };
    /** The clip the inspector shows: the last one clicked, right-clicked or chosen by Inspect. */
    void selectClip (int clip);
    void setInspectorVisible (bool shouldShow);
    MediaImporter importer;
    std::unique_ptr<AudioSettingsWindow> settingsWindow;
    std::unique_ptr<KeymapWindow> keymapWindow;
    // MIDI learn (MainComponentMidi.cpp): the mappings window refers to midiLearn, so it comes after.
    MidiLearn midiLearn { controller, editor };
    std::unique_ptr<MidiMappingsWindow> midiWindow;
    ClockWindow clockWindow { controller, [this] (const juce::String& text) { showNotice (text); } };   // drains clock events always
    bool midiLearnAsked = false;       // the confirm bar shows learn's "Move a control…"
    juce::String midiLearnQuestion;    // … for this target
    void setUpMidiLearn();             // the constructor's part
    void midiLearnChanged();           // learn started, ended, counted down; an edit: bar, inspector, window
    void showFaderMenu (const MidiTarget& fader, juce::Component& target);
    void paintMidiLearnWaiting (juce::Graphics&);
    void writeMidiUiMap (juce::String& map);
    std::unique_ptr<juce::TextEditor> renameField;
    ConfirmBar confirmBar;
    bool askBeforeClosing (const juce::String& verb, const juce::String& prefix, std::function<void()> then);
    bool askUnsavedBeforeClosing (const juce::String& verb, const juce::String& prefix, std::function<void()> then);
    struct UiMapWindow
    {
        juce::String name;
        juce::Component::SafePointer<juce::Component> window;
        std::function<std::vector<std::pair<juce::String, juce::Component*>>()> controls;
        std::function<juce::String()> lines;   // more UI map lines while it is visible (rows)
    };
    std::vector<UiMapWindow> uiMapWindows;
    void quitNow() { confirmBar.dismiss(); if (onQuit) onQuit(); }
    juce::TooltipWindow tooltips { this, 600 };
    juce::Rectangle<int> statusArea, transportArea;
    juce::String problem;
    SessionStore* sessionStore = nullptr;
    juce::String editNotice;          // why an edit or undo was refused, a save: shown for 5 s
    double editNoticeSeconds = 0.0;
    bool shownUnsaved = false;
    bool analysisWaitsForMedia = false;   // a session was opened: its analysis starts once its media is in

    juce::File uiMapFile, statusFile;
    juce::String lastStatus, lastReport, lastUiMap;
    double lastTimerSeconds = 0.0;

    // Runtime media warnings (MainComponentMedia.cpp): message thread, but the watch's poll thread.
    void updateMediaWarnings();
    MediaWatch mediaWatch;
    double lastMediaWatchSeconds = 0.0;
    uint64_t shownWatchGeneration = ~uint64_t (0);
    const MediaFactsRefresher* readFacts = nullptr;                          // whose checks `replaced` holds
    std::map<std::string, juce::String> replaced;                           // clip id → what the database says changed
    std::map<std::string, std::pair<std::string, std::string>> recordedHashes;   // clip id → (file, content hash) of readFacts: MediaWatch tells a touch by it
    std::map<std::string, std::pair<juce::String, juce::String>> mediaWarnings;   // what the buttons show
};

} // namespace cuegrid
