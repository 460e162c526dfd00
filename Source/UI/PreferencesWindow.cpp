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
                    pointsRange { "Recovery points kept", 1, 1000 }, mediaCacheRange { "Media cache (MiB, 0 = auto)", 0, 262144 };
}

struct PreferencesWindow::Content final : ToolPanel
{
    explicit Content (FileBrowserWindow& browserWindow) : browser (browserWindow)
    {
        for (auto* label : { &homeLabel, &autosaveLabel, &backupsLabel, &pointsLabel, &mediaCacheLabel, &homeInEffect, &message })
            addAndMakeVisible (label);
        for (auto* field : { &home, &autosave, &backups, &points, &mediaCache })
            addAndMakeVisible (field);
        for (auto* field : { &autosave, &backups, &points })
            field->setInputRestrictions (5, "0123456789");
        mediaCache.setInputRestrictions (6, "0123456789");
        for (auto* button : { &homeBrowse, &save, &cancel })
            addAndMakeVisible (button);
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
        setSize (640, 340);
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
        auto buttons = area.removeFromBottom (32);
        cancel.setBounds (buttons.removeFromRight (110));
        buttons.removeFromRight (8);
        save.setBounds (buttons.removeFromRight (110));
        message.setBounds (area);
    }

    FileBrowserWindow& browser;
    juce::Label homeLabel { {}, "CueGrid home" }, autosaveLabel { {}, autosaveRange.name }, backupsLabel { {}, backupsRange.name },
                pointsLabel { {}, pointsRange.name }, mediaCacheLabel { {}, mediaCacheRange.name }, homeInEffect, message;
    juce::TextEditor home, autosave, backups, points, mediaCache;
    juce::TextButton homeBrowse { "Browse..." }, save { "Save" }, cancel { "Cancel" };
    Preferences edited;
};

PreferencesWindow::PreferencesWindow (FileBrowserWindow& browser)
    : ToolWindow ("Preferences", new Content (browser), { 520, 340 })
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
                                            std::tuple { &content->mediaCache, mediaCacheRange, &changed.mediaCacheMB } })
        {
            const auto number = field->getText().getIntValue();
            if (field->getText().isEmpty() || number < range.minimum || number > range.maximum)
                problem << range.name << ": " << range.minimum << " to " << range.maximum << ". ";
            else
                *value = number;
        }
        if (problem.isEmpty() && onSave)
            problem = onSave (changed);
        if (problem.isEmpty())
            setVisible (false);
        else
            content->message.setText (problem.trim(), juce::dontSendNotification);
    };
}

void PreferencesWindow::open (const Preferences& current, const juce::String& homeInEffect)
{
    content->edited = current;
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
             { "prefBackups", &content->backups }, { "prefRecoveryPoints", &content->points }, { "prefMediaCache", &content->mediaCache }, { "prefSave", &content->save },
             { "prefCancel", &content->cancel } };
}

} // namespace cuegrid
