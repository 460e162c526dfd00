// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/SessionDocument.h"
#include "PackagePanel.h"
#include "MediaFolderPanel.h"
#include "RelinkPanel.h"
#include "UI/FileBrowserWindow.h"
#include "UI/MainComponent.h"
#include "UI/MainMenu.h"
#include "UI/NewSessionWindow.h"
#include "UI/PreferencesWindow.h"

namespace cuegrid
{

/** The app's File menu and its keys: New (Ctrl+N), Open (Ctrl+O), Open Recent, Save As
    (Ctrl+Shift+S), Import Audio (Ctrl+I), Media Folder, Preferences (Ctrl+,); the recovery
    question after a crash; the autosave timer. Every question is asked in the main window's
    bar and every choice made in an ordinary window: nothing here is modal, and the show
    keeps running (and its keys keep working) whatever is open. Replacing the session asks
    first (clips playing, unsaved changes) through MainComponent::requestReplaceSession.
    Message thread. */
class FileCommands final : public juce::KeyListener, private juce::Timer
{
public:
    FileCommands (SessionDocument& document, MainComponent& main);
    ~FileCommands() override;

    /** The menu bar's model, for the main window. */
    juce::MenuBarModel& getMenu() noexcept { return menu; }

    /** After the window is up: with a recovery offer from the start-up open, asks in the bar
        whether to recover (button "recover") or keep the saved file ("openSaved"). */
    void askAboutRecovery (const RecoveryOffer& offer);

    /** After a session was put in place (start-up, open, new, recovery): the main window
        rebuilds from it, and a session recovered and not saved counts as unsaved. */
    void sessionInstalled();

    void openSession();
    void openSessionAt (const juce::String& path);
    void newSession();
    void saveAs();
    void importAudio();
    void chooseMediaFolder();
    /** File > Export ▸ …, File > Import Package…: the packages panel (PackagePanel). */
    void exportAs (ExportKind kind);
    void importPackage();
    /** File > Relink Missing Media… and a warning button's menu: the relink panel (RelinkPanel). */
    void relinkMedia();
    void openPreferences();

    bool keyPressed (const juce::KeyPress& key, juce::Component*) override;

    /** After Preferences were saved: applies them to the OSC server and the debounce; "" or
        the problem (a port in use). Set by the app. */
    std::function<std::string (const Preferences&)> onPreferencesSaved;
    /** The OSC server's state in words, for the Preferences window, and whether it is a problem. */
    std::function<std::pair<std::string, bool>()> describeControl;

private:
    void timerCallback() override;   // autosave, once a second
    juce::File sessionsFolder() const;

    SessionDocument& document;
    MainComponent& main;
    // Made on first use: a window made before the main one would open behind it.
    FileBrowserWindow& browser();
    NewSessionWindow& newSessionWindow();
    PreferencesWindow& preferencesWindow();
    std::unique_ptr<FileBrowserWindow> browserWindow;
    std::unique_ptr<NewSessionWindow> newWindow;
    std::unique_ptr<PreferencesWindow> preferences;
    std::unique_ptr<MediaFolderPanel> mediaFolderPanel;   // File > Media Folder... (move, copy, keep)
    std::unique_ptr<PackagePanel> packagePanel;           // File > Export, Import Package (made on first use)
    std::unique_ptr<RelinkPanel> relinkPanel;             // File > Relink Missing Media... (made on first use)
    PackagePanel& packages();
    MainMenu menu;
    std::string lastAutosaveFailure;   // reported once
    bool oscProblemShown = false;      // the status bar shows an OSC port problem from Preferences
};

} // namespace cuegrid
