// CueGrid — GPL-3.0-or-later
#include "FileCommands.h"

#include "Session/Errors.h"

#include <cstdio>

namespace cuegrid
{

namespace
{
    const juce::String audioPatterns = "*.wav;*.aif;*.aiff;*.flac;*.ogg;*.mp3;*.w64;*.rf64;*.caf";

    juce::String text (const std::string& utf8) { return juce::String::fromUTF8 (utf8.c_str()); }

    juce::String joined (const std::vector<std::string>& lines)
    {
        juce::StringArray all;
        for (const auto& line : lines)
            all.add (text (line));
        return all.joinIntoString ("; ");
    }
} // namespace

FileCommands::FileCommands (SessionDocument& sessionDocument, MainComponent& mainComponent)
    : document (sessionDocument), main (mainComponent),
      menu (MainMenu::Actions {
          [this] { newSession(); },
          [this] { openSession(); },
          [this] { main.keyPressed (juce::KeyPress ('s', juce::ModifierKeys::commandModifier, 0)); },
          [this] { saveAs(); },
          [this] { importAudio(); },
          [this] { chooseMediaFolder(); },
          [this] { openPreferences(); },
          [this] { juce::JUCEApplication::getInstance()->systemRequestedQuit(); },
          [this] { main.keyPressed (juce::KeyPress ('z', juce::ModifierKeys::commandModifier, 0)); },
          [this] { main.keyPressed (juce::KeyPress ('z', juce::ModifierKeys::commandModifier | juce::ModifierKeys::shiftModifier, 0)); },
          [this] (const juce::String& path) { openSessionAt (path); },
          [this]
          {
              juce::StringArray paths;
              for (const auto& path : document.getPreferences().recentSessions)
                  paths.add (text (path));
              return paths;
          },
          [this] { return main.getEditor().isLocked(); },
          [this] { main.keyPressed (juce::KeyPress ('d', juce::ModifierKeys::commandModifier, 0)); },
          [this] { return main.isDualView(); },
          [this] { main.openKeymapWindow(); },
          [this] { main.openMidiMappingsWindow(); },
          [this] { main.openClockWindow(); },
          [this] (int kind) { exportAs ((ExportKind) kind); },
          [this] { importPackage(); },
          [this] { relinkMedia(); } })
{
    main.openRelinkPanel = [this] { relinkMedia(); };
    main.sessionFileForMedia = [this] { return document.getPath(); };            // runtime MISSING / CHANGED on the buttons
    main.mediaFactsForWarnings = [this] { return document.getMediaFacts(); };
    startTimer (1000);
}

FileCommands::~FileCommands()
{
    stopTimer();
}

FileBrowserWindow& FileCommands::browser()
{
    if (browserWindow == nullptr)
    {
        browserWindow = std::make_unique<FileBrowserWindow>();
        main.addUiMapWindow ("browser", browserWindow.get(), [this] { return browserWindow->getControls(); });
    }
    return *browserWindow;
}

NewSessionWindow& FileCommands::newSessionWindow()
{
    if (newWindow == nullptr)
    {
        newWindow = std::make_unique<NewSessionWindow> (browser());
        main.addUiMapWindow ("newSession", newWindow.get(), [this] { return newWindow->getControls(); });
        newWindow->onCreate = [this] (const juce::String& sessionPath, const juce::String& mediaFolder) -> juce::String
        {
            try
            {
                const auto warnings = document.create (sessionPath.toStdString(), mediaFolder.toStdString());
                sessionInstalled();
                main.setProblem (warnings.empty() ? juce::String() : "Media folder: " + joined (warnings));
                return {};
            }
            catch (const std::runtime_error& error)  // InputError, OutputError: nothing was replaced
            {
                return text (error.what());
            }
        };
    }
    return *newWindow;
}

PreferencesWindow& FileCommands::preferencesWindow()
{
    if (preferences == nullptr)
    {
        preferences = std::make_unique<PreferencesWindow> (browser());
        main.addUiMapWindow ("preferences", preferences.get(), [this] { return preferences->getControls(); },
                             [this] { return preferences->getUiMapLines(); });
        preferences->onSave = [this] (const Preferences& changed) -> juce::String
        {
            try
            {
                document.setPreferences (changed);
            }
            catch (const OutputError& error)
            {
                return text (error.what());
            }
            // Applied now (OSC restarts on a new port); a port in use is said here and in the status bar.
            const auto problem = onPreferencesSaved ? onPreferencesSaved (changed) : std::string();
            if (describeControl)
                preferences->setOscStatus (text (describeControl().first), describeControl().second);
            if (! problem.empty())
                main.setProblem (text (problem));
            else if (oscProblemShown)
                main.setProblem ({});   // the port problem this window put in the status bar is solved
            oscProblemShown = ! problem.empty();
            return text (problem);
        };
        preferences->onKeyDebounce = [this] (double ms) -> juce::String
        {
            auto hotkeys = main.getEditor().getSession().hotkeys;
            hotkeys.debounceMs = ms;
            const auto result = main.getEditor().setHotkeys (std::move (hotkeys), "Change key debounce");
            return result ? juce::String() : "Keys debounce: " + text (result.reason);
        };
    }
    return *preferences;
}

juce::File FileCommands::sessionsFolder() const
{
    try
    {
        return juce::File (text (AppFolders (document.getPreferences()).sessions().string()));
    }
    catch (const OutputError&)
    {
        return juce::File::getSpecialLocation (juce::File::userHomeDirectory);
    }
}

void FileCommands::sessionInstalled()
{
    if (main.isShowing())
        main.grabKeyboardFocus();   // the window that chose the session has closed
    main.setSessionStore (document.getStore());
    main.sessionChanged();
    if (document.isRecoveredUnsaved())
        main.getEditor().markUnsaved();   // the recovered state is not in the saved file yet
    main.updateTitle();
}

void FileCommands::askAboutRecovery (const RecoveryOffer& offer)
{
    if (! offer.point)
        return;
    const auto point = *offer.point;
    const auto savedAt = offer.savedMicros > 0 ? " The saved file is from " + text (SessionDocument::localTime (offer.savedMicros)) + "." : juce::String();
    main.ask ("CueGrid did not close cleanly. A recovery point of " + text (SessionDocument::localTime (point.createdMicros))
                  + " holds changes that were not saved." + savedAt,
              { { "recover", "Recover",
                  [this, point]
                  {
                      try
                      {
                          document.recover (point);
                          sessionInstalled();
                          main.setProblem ({});
                      }
                      catch (const InputError& error)
                      {
                          main.setProblem (text (error.what()));
                      }
                      main.dismissQuestion();
                  } },
                { "openSaved", "Open saved file", [this] { main.setProblem ({}); main.dismissQuestion(); } } });
}

void FileCommands::openSession()
{
    const auto current = juce::File (text (document.getPath()));
    browser().choose (FileBrowserWindow::Mode::openFile, "Open session", "Open",
                    current.existsAsFile() ? current.getParentDirectory() : sessionsFolder(), "*.cuegrid",
                    [this] (const juce::Array<juce::File>& files) { openSessionAt (files[0].getFullPathName()); });
}

void FileCommands::openSessionAt (const juce::String& path)
{
    main.requestReplaceSession ("Open", [this, path]
    {
        try
        {
            const auto opened = document.open (path.toStdString(), SessionDocument::Recovery::ask);
            sessionInstalled();
            main.setProblem (text (opened.problem));
            if (opened.toAsk)
                askAboutRecovery (*opened.toAsk);
        }
        catch (const InputError& error)   // the open session stays as it was
        {
            main.setProblem ("Not opened: " + text (error.what()));
        }
    });
}

void FileCommands::newSession()
{
    main.requestReplaceSession ("New session", [this]
    {
        auto suggested = sessionsFolder().getChildFile ("Untitled.cuegrid");
        for (int n = 2; suggested.exists() || NewSessionWindow::suggestedMediaFolder (suggested).existsAsFile(); ++n)
            suggested = sessionsFolder().getChildFile ("Untitled " + juce::String (n) + ".cuegrid");
        newSessionWindow().open (suggested);
    });
}

void FileCommands::saveAs()
{
    const auto current = juce::File (text (document.getPath()));
    browser().choose (FileBrowserWindow::Mode::saveFile, "Save session as", "Save", current.existsAsFile() ? current : sessionsFolder(),
                    "*.cuegrid",
                    [this] (const juce::Array<juce::File>& files)
                    {
                        auto target = files[0];
                        if (! target.hasFileExtension ("cuegrid"))
                            target = target.withFileExtension ("cuegrid");
                        try
                        {
                            document.saveAs (target.getFullPathName().toStdString());
                            main.setSessionStore (document.getStore());
                            main.getEditor().markSaved();
                            main.updateTitle();
                            main.setProblem ("Saved as " + target.getFullPathName());
                        }
                        catch (const std::runtime_error& error)   // the session stays where it was
                        {
                            main.setProblem ("Not saved: " + text (error.what()));
                        }
                    });
}

void FileCommands::importAudio()
{
    if (main.getEditor().isLocked())
    {
        main.setProblem ("Show mode: importing is locked");
        return;
    }
    const auto media = text (document.getMediaFolder());
    const auto start = media.isNotEmpty() && juce::File (media).isDirectory() ? juce::File (media)
                                                                             : juce::File (text (document.getPath())).getParentDirectory();
    browser().choose (FileBrowserWindow::Mode::openFiles, "Import audio", "Import", start, audioPatterns,
                    [this] (const juce::Array<juce::File>& files)
                    {
                        juce::StringArray paths;
                        for (const auto& file : files)
                            paths.add (file.getFullPathName());
                        main.importIntoShownTab (paths);
                    });
}

void FileCommands::chooseMediaFolder()
{
    if (main.getEditor().isLocked())
    {
        main.setProblem ("Show mode: the media folder cannot change");
        return;
    }
    if (mediaFolderPanel == nullptr)
    {
        mediaFolderPanel = std::make_unique<MediaFolderPanel> (document, main, browser());
        main.addUiMapWindow ("mediafolder", mediaFolderPanel.get(), [this] { return mediaFolderPanel->getControls(); },
                             [this] { return mediaFolderPanel->getUiMapLines(); });
    }
    mediaFolderPanel->open();
}

void FileCommands::relinkMedia()
{
    if (relinkPanel == nullptr)
    {
        relinkPanel = std::make_unique<RelinkPanel> (document, main, browser());
        main.addUiMapWindow ("relink", relinkPanel.get(), [this] { return relinkPanel->getControls(); },
                             [this] { return relinkPanel->getUiMapLines(); });
    }
    relinkPanel->open();
}

PackagePanel& FileCommands::packages()
{
    if (packagePanel == nullptr)
    {
        packagePanel = std::make_unique<PackagePanel> (document, main, browser());
        packagePanel->openSession = [this] (const juce::String& path) { openSessionAt (path); };
        main.addUiMapWindow ("packages", packagePanel.get(), [this] { return packagePanel->getControls(); },
                             [this] { return packagePanel->getUiMapLines(); });
    }
    return *packagePanel;
}

void FileCommands::exportAs (ExportKind kind)
{
    packages().openExport (kind);
}

void FileCommands::importPackage()
{
    if (main.getEditor().isLocked())
    {
        main.setProblem ("Show mode: importing a package is locked");
        return;
    }
    packages().openImport();
}

void FileCommands::openPreferences()
{
    preferencesWindow().open (document.getPreferences(), text (document.getHome().string()),
                              main.getEditor().getSession().hotkeys.debounceMs);
    if (describeControl)
        preferences->setOscStatus (text (describeControl().first), describeControl().second);
}

bool FileCommands::keyPressed (const juce::KeyPress& key, juce::Component*)
{
    const auto command = juce::ModifierKeys::commandModifier;
    if (key == juce::KeyPress ('n', command, 0)) { newSession(); return true; }
    if (key == juce::KeyPress ('o', command, 0)) { openSession(); return true; }
    if (key == juce::KeyPress ('s', command | juce::ModifierKeys::shiftModifier, 0)) { saveAs(); return true; }
    if (key == juce::KeyPress ('i', command, 0)) { importAudio(); return true; }
    if (key == juce::KeyPress (',', command, 0)) { openPreferences(); return true; }
    // A key that reached the window itself (no component had keyboard focus, e.g. after one of
    // the app's windows closed): the main component's keys (Ctrl+S, Ctrl+Z, …) still work.
    return main.keyPressed (key);
}

void FileCommands::timerCallback()
{
    auto& editor = main.getEditor();
    const auto failure = document.autosaveTick (juce::Time::getMillisecondCounterHiRes() / 1000.0, editor.hasUnsavedChanges(),
                                                editor.getChangeCount());
    if (! failure.empty() && failure != lastAutosaveFailure)
    {
        std::fprintf (stderr, "CueGrid: autosave failed: %s\n", failure.c_str());
        main.setProblem ("Autosave failed: " + text (failure));
    }
    if (! failure.empty())
        lastAutosaveFailure = failure;
}

} // namespace cuegrid
