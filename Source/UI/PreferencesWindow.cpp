// CueGrid — GPL-3.0-or-later
#include "PreferencesWindow.h"

#include <cstdlib>

namespace cuegrid
{

namespace
{
    struct Range
    {
        const char* name;
        int minimum, maximum;
    };
    constexpr Range autosaveRange { "Recovery point every (s)", 5, 3600 }, backupsRange { "Saved versions kept", 0, 100 },
                    pointsRange { "Recovery points kept", 1, 1000 }, mediaCacheRange { "Media cache (MiB, 0 = auto)", 0, 262144 },
                    portRange { "OSC port", 1024, 65535 }, keyDebounceRange { "Keys debounce (ms)", 0, 10000 },
                    midiDebounceRange { "MIDI debounce (ms)", 0, 10000 }, oscDebounceRange { "OSC debounce (ms)", 0, 10000 };
    const juce::Colour amber { 0xffffb74d };
}

struct PreferencesWindow::Content final : ToolPanel
{
    explicit Content (FileBrowserWindow& browserWindow) : browser (browserWindow)
    {
        for (auto* label : { &homeLabel, &autosaveLabel, &backupsLabel, &pointsLabel, &mediaCacheLabel, &homeInEffect, &message,
                             &oscHeading, &portLabel, &passcodeLabel, &oscStatus, &debounceHeading, &keyDebounceLabel,
                             &midiDebounceLabel, &oscDebounceLabel, &debounceNote })
            addAndMakeVisible (label);
        for (auto* field : { &home, &autosave, &backups, &points, &mediaCache, &port, &passcode, &keyDebounce, &midiDebounce, &oscDebounce })
            addAndMakeVisible (field);
        for (auto* field : { &autosave, &backups, &points, &port, &keyDebounce, &midiDebounce, &oscDebounce })
            field->setInputRestrictions (5, "0123456789");
        mediaCache.setInputRestrictions (6, "0123456789");
        passcode.setTextToShowWhenEmpty ("(none: no /connect needed)", juce::Colours::grey);
        for (auto* button : { &homeBrowse, &save, &cancel })
            addAndMakeVisible (button);
        for (auto* toggle : { &oscEnabled, &oscNetwork })
            addAndMakeVisible (toggle);
        oscNetwork.setTooltip ("Off: only programs on this machine (127.0.0.1) are served. On: any host that reaches this port");
        for (auto* heading : { &oscHeading, &debounceHeading })
            heading->setFont (juce::Font (15.0f, juce::Font::bold));
        debounceNote.setColour (juce::Label::textColourId, juce::Colours::lightgrey);
        debounceNote.setFont (juce::Font (13.0f));
        home.setTextToShowWhenEmpty ("(default)", juce::Colours::grey);
        homeInEffect.setColour (juce::Label::textColourId, juce::Colours::lightgrey);
        message.setColour (juce::Label::textColourId, juce::Colour (0xffffb74d));
        homeBrowse.onClick = [this]
        {
            browser.choose (FileBrowserWindow::Mode::chooseFolder, "CueGrid home", "Use this folder", juce::File (home.getText()), {},
                            [safe = juce::Component::SafePointer<Content> (this)] (const juce::Array<juce::File>& files)
                            {
                                if (safe != nullptr)
                                    safe->home.setText (files[0].getFullPathName(), true);
                            });
        };
        setSize (640, 560);
    }

    void resized() override
    {
        auto area = getLocalBounds().reduced (12);
        auto row = area.removeFromTop (30);
        homeLabel.setBounds (row.removeFromLeft (190));
        homeBrowse.setBounds (row.removeFromRight (90));
        row.removeFromRight (8);
        home.setBounds (row);
        homeInEffect.setBounds (area.removeFromTop (24).withTrimmedLeft (190));
        area.removeFromTop (6);
        for (auto [label, field] : { std::pair { &autosaveLabel, &autosave }, std::pair { &backupsLabel, &backups },
                                     std::pair { &pointsLabel, &points }, std::pair { &mediaCacheLabel, &mediaCache } })
        {
            auto line = area.removeFromTop (28);
            label->setBounds (line.removeFromLeft (190));
            field->setBounds (line.removeFromLeft (90));
            area.removeFromTop (6);
        }

        area.removeFromTop (4);
        oscHeading.setBounds (area.removeFromTop (24));
        auto line = area.removeFromTop (28);
        oscEnabled.setBounds (line.removeFromLeft (190));
        portLabel.setBounds (line.removeFromLeft (70));
        port.setBounds (line.removeFromLeft (90));
        line.removeFromLeft (16);
        oscNetwork.setBounds (line);
        area.removeFromTop (6);
        line = area.removeFromTop (28);
        passcodeLabel.setBounds (line.removeFromLeft (190));
        passcode.setBounds (line.removeFromLeft (260));
        oscStatus.setBounds (area.removeFromTop (26).withTrimmedLeft (190));

        area.removeFromTop (4);
        debounceHeading.setBounds (area.removeFromTop (24));
        line = area.removeFromTop (28);
        for (auto [label, field] : { std::pair { &keyDebounceLabel, &keyDebounce }, std::pair { &midiDebounceLabel, &midiDebounce },
                                     std::pair { &oscDebounceLabel, &oscDebounce } })
        {
            label->setBounds (line.removeFromLeft (label == &keyDebounceLabel ? 190 : 56));
            field->setBounds (line.removeFromLeft (70));
            line.removeFromLeft (20);
        }
        debounceNote.setBounds (area.removeFromTop (24).withTrimmedLeft (190));
        auto buttons = area.removeFromBottom (32);
        cancel.setBounds (buttons.removeFromRight (110));
        buttons.removeFromRight (8);
        save.setBounds (buttons.removeFromRight (110));
        message.setBounds (area);
    }

    FileBrowserWindow& browser;
    juce::Label homeLabel { {}, "CueGrid home" }, autosaveLabel { {}, autosaveRange.name }, backupsLabel { {}, backupsRange.name },
                pointsLabel { {}, pointsRange.name }, mediaCacheLabel { {}, mediaCacheRange.name }, homeInEffect, message,
                oscHeading { {}, "OSC remote control" }, portLabel { {}, "Port" }, passcodeLabel { {}, "Passcode" }, oscStatus,
                debounceHeading { {}, "Minimum time between GOs (debounce)" }, keyDebounceLabel { {}, "Keys (ms)" },
                midiDebounceLabel { {}, "MIDI" }, oscDebounceLabel { {}, "OSC" },
                debounceNote { {}, "0 = off. Keys: saved with the session; MIDI, OSC: this machine" };
    juce::TextEditor home, autosave, backups, points, mediaCache, port, passcode, keyDebounce, midiDebounce, oscDebounce;
    juce::TextButton homeBrowse { "Browse..." }, save { "Save" }, cancel { "Cancel" };
    juce::ToggleButton oscEnabled { "OSC server on" }, oscNetwork { "Allow the network (not only this machine)" };
    Preferences edited;
    double editedKeyDebounceMs = 0.0;
};

PreferencesWindow::PreferencesWindow (FileBrowserWindow& browser)
    : ToolWindow ("Preferences", new Content (browser), { 600, 560 })
{
    content = dynamic_cast<Content*> (getContentComponent());
    content->cancel.onClick = [this] { setVisible (false); };
    content->save.onClick = [this]
    {
        auto changed = content->edited;
        changed.homeOverride = content->home.getText().trim().toStdString();
        juce::String problem;
        for (auto [field, range, value] : { std::tuple { &content->autosave, autosaveRange, &changed.autosaveSeconds },
                                            std::tuple { &content->backups, backupsRange, &changed.backupsKept },
                                            std::tuple { &content->points, pointsRange, &changed.recoveryPointsKept },
                                            std::tuple { &content->mediaCache, mediaCacheRange, &changed.mediaCacheMB },
                                            std::tuple { &content->port, portRange, &changed.oscPort },
                                            std::tuple { &content->midiDebounce, midiDebounceRange, &changed.midiDebounceMs },
                                            std::tuple { &content->oscDebounce, oscDebounceRange, &changed.oscDebounceMs } })
        {
            const auto number = field->getText().getIntValue();
            if (field->getText().isEmpty() || number < range.minimum || number > range.maximum)
                problem << range.name << ": " << range.minimum << " to " << range.maximum << ". ";
            else
                *value = number;
        }
        const auto keyDebounce = content->keyDebounce.getText().getIntValue();
        if (content->keyDebounce.getText().isEmpty() || keyDebounce < keyDebounceRange.minimum || keyDebounce > keyDebounceRange.maximum)
            problem << keyDebounceRange.name << ": " << keyDebounceRange.minimum << " to " << keyDebounceRange.maximum << ". ";
        changed.oscEnabled = content->oscEnabled.getToggleState();
        changed.oscNetwork = content->oscNetwork.getToggleState();
        changed.oscPasscode = content->passcode.getText().toStdString();
        if (changed.oscPasscode.size() > 256)
            problem << "Passcode: at most 256 bytes. ";
        // The session's key debounce first: refused in Show mode, and then nothing is saved.
        if (problem.isEmpty() && keyDebounce != (int) content->editedKeyDebounceMs && onKeyDebounce)
        {
            problem = onKeyDebounce ((double) keyDebounce);
            if (problem.isEmpty())
                content->editedKeyDebounceMs = keyDebounce;
        }
        if (problem.isEmpty() && onSave)
            problem = onSave (changed);
        if (problem.isEmpty())
            setVisible (false);
        else
        {
            content->edited = changed;   // saved as far as it went: a port in use leaves the window open to choose another
            content->message.setText (problem.trim(), juce::dontSendNotification);
        }
    };
}

void PreferencesWindow::setOscStatus (const juce::String& text, bool isProblem)
{
    content->oscStatus.setText (text, juce::dontSendNotification);
    content->oscStatus.setColour (juce::Label::textColourId, isProblem ? amber : juce::Colours::lightgrey);
}

void PreferencesWindow::open (const Preferences& current, const juce::String& homeInEffect, double keyDebounceMs)
{
    content->edited = current;
    content->editedKeyDebounceMs = keyDebounceMs;
    content->oscEnabled.setToggleState (current.oscEnabled, juce::dontSendNotification);
    content->oscNetwork.setToggleState (current.oscNetwork, juce::dontSendNotification);
    content->port.setText (juce::String (current.oscPort), false);
    content->passcode.setText (juce::String::fromUTF8 (current.oscPasscode.c_str()), false);
    content->keyDebounce.setText (juce::String ((int) keyDebounceMs), false);
    content->midiDebounce.setText (juce::String (current.midiDebounceMs), false);
    content->oscDebounce.setText (juce::String (current.oscDebounceMs), false);
    content->home.setText (current.homeOverride, false);
    content->autosave.setText (juce::String (current.autosaveSeconds), false);
    content->backups.setText (juce::String (current.backupsKept), false);
    content->points.setText (juce::String (current.recoveryPointsKept), false);
    content->mediaCache.setText (juce::String (current.mediaCacheMB), false);
    juce::String inEffect = "In use: " + homeInEffect;
    if (std::getenv ("CUEGRID_HOME") != nullptr)
        inEffect << " (the CUEGRID_HOME environment variable)";
    content->homeInEffect.setText (inEffect, juce::dontSendNotification);
    content->message.setText ({}, juce::dontSendNotification);
    showInFront ({ 220, 100 });
}

std::vector<std::pair<juce::String, juce::Component*>> PreferencesWindow::getControls()
{
    return { { "prefHome", &content->home }, { "prefHomeBrowse", &content->homeBrowse }, { "prefAutosave", &content->autosave },
             { "prefBackups", &content->backups }, { "prefRecoveryPoints", &content->points }, { "prefMediaCache", &content->mediaCache },
             { "prefOscEnabled", &content->oscEnabled }, { "prefOscPort", &content->port }, { "prefOscNetwork", &content->oscNetwork },
             { "prefOscPasscode", &content->passcode }, { "prefKeyDebounce", &content->keyDebounce },
             { "prefMidiDebounce", &content->midiDebounce }, { "prefOscDebounce", &content->oscDebounce },
             { "prefSave", &content->save }, { "prefCancel", &content->cancel } };
}

juce::String PreferencesWindow::getUiMapLines() const
{
    // For the GUI tests: what the window says (the OSC server's state, a refusal).
    return "text prefOscStatus " + content->oscStatus.getText() + "\ntext prefMessage " + content->message.getText() + "\n";
}

} // namespace cuegrid
