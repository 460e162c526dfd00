// CueGrid — GPL-3.0-or-later
#include "NewSessionWindow.h"

namespace cuegrid
{

struct NewSessionWindow::Content final : ToolPanel
{
    explicit Content (FileBrowserWindow& browserWindow) : browser (browserWindow)
    {
        for (auto* label : { &sessionLabel, &mediaLabel })
            addAndMakeVisible (label);
        for (auto* button : { &sessionBrowse, &mediaBrowse, &create, &cancel })
            addAndMakeVisible (button);
        for (auto* field : { &sessionFile, &mediaFolder })
        {
            addAndMakeVisible (field);
            field->setFont (juce::Font (15.0f));
        }
        addAndMakeVisible (message);
        message.setJustificationType (juce::Justification::topLeft);
        message.setColour (juce::Label::textColourId, juce::Colour (0xffffb74d));
        sessionFile.onTextChange = [this]
        {
            if (! mediaEdited)
                mediaFolder.setText (suggestedMediaFolder (sessionFileChosen()).getFullPathName(), false);
        };
        mediaFolder.onTextChange = [this] { mediaEdited = true; };
        sessionFile.onReturnKey = mediaFolder.onReturnKey = [this] { create.triggerClick(); };
        sessionBrowse.onClick = [this]
        {
            browser.choose (FileBrowserWindow::Mode::saveFile, "New session file", "Use this file", sessionFileChosen(), "*.cuegrid",
                            [safe = juce::Component::SafePointer<Content> (this)] (const juce::Array<juce::File>& files)
                            {
                                if (safe != nullptr)
                                    safe->sessionFile.setText (files[0].withFileExtension ("cuegrid").getFullPathName(), true);
                            });
        };
        mediaBrowse.onClick = [this]
        {
            browser.choose (FileBrowserWindow::Mode::chooseFolder, "Media folder of the new session", "Use this folder",
                            juce::File (mediaFolder.getText()).getParentDirectory(), {},
                            [safe = juce::Component::SafePointer<Content> (this)] (const juce::Array<juce::File>& files)
                            {
                                if (safe != nullptr)
                                    safe->mediaFolder.setText (files[0].getFullPathName(), true);
                            });
        };
        setSize (720, 230);
    }

    juce::File sessionFileChosen() const
    {
        auto text = sessionFile.getText().trim();
        if (text.isNotEmpty() && ! text.endsWithIgnoreCase (".cuegrid"))
            text << ".cuegrid";
        return juce::File::getCurrentWorkingDirectory().getChildFile (text);
    }

    void resized() override
    {
        auto area = getLocalBounds().reduced (12);
        for (auto [label, field, browse] : { std::tuple { &sessionLabel, &sessionFile, &sessionBrowse },
                                             std::tuple { &mediaLabel, &mediaFolder, &mediaBrowse } })
        {
            auto row = area.removeFromTop (30);
            label->setBounds (row.removeFromLeft (110));
            browse->setBounds (row.removeFromRight (90));
            row.removeFromRight (8);
            field->setBounds (row);
            area.removeFromTop (10);
        }
        auto buttons = area.removeFromBottom (32);
        cancel.setBounds (buttons.removeFromRight (110));
        buttons.removeFromRight (8);
        create.setBounds (buttons.removeFromRight (160));
        area.removeFromBottom (6);
        message.setBounds (area);
    }

    FileBrowserWindow& browser;
    juce::Label sessionLabel { {}, "Session file" }, mediaLabel { {}, "Media folder" }, message;
    juce::TextEditor sessionFile, mediaFolder;
    juce::TextButton sessionBrowse { "Browse..." }, mediaBrowse { "Browse..." }, create { "Create session" }, cancel { "Cancel" };
    bool mediaEdited = false;
};

NewSessionWindow::NewSessionWindow (FileBrowserWindow& browser)
    : ToolWindow ("New session", new Content (browser), { 560, 230 })
{
    content = dynamic_cast<Content*> (getContentComponent());
    content->cancel.onClick = [this] { setVisible (false); };
    content->create.onClick = [this]
    {
        const auto session = content->sessionFileChosen();
        const auto media = content->mediaFolder.getText().trim();
        const auto problem = onCreate ? onCreate (session.getFullPathName(), media.isEmpty() ? juce::String()
                                                                                             : juce::File::getCurrentWorkingDirectory().getChildFile (media).getFullPathName())
                                      : juce::String ("cannot create sessions here");
        if (problem.isEmpty())
            setVisible (false);
        else
            content->message.setText (problem, juce::dontSendNotification);
    };
}

juce::File NewSessionWindow::suggestedMediaFolder (const juce::File& session)
{
    return session.getParentDirectory().getChildFile (session.getFileNameWithoutExtension() + " Media");
}

void NewSessionWindow::open (const juce::File& suggestedSession)
{
    content->mediaEdited = false;
    content->message.setText ("The media folder is created if it does not exist. It should be on a local disk with room for the show's audio.",
                              juce::dontSendNotification);
    content->sessionFile.setText (suggestedSession.getFullPathName(), true);
    content->mediaEdited = false;
    showInFront ({ 200, 90 });
    content->sessionFile.grabKeyboardFocus();
    content->sessionFile.selectAll();
}

std::vector<std::pair<juce::String, juce::Component*>> NewSessionWindow::getControls()
{
    return { { "newSessionFile", &content->sessionFile }, { "newMediaFolder", &content->mediaFolder },
             { "newSessionBrowse", &content->sessionBrowse }, { "newMediaBrowse", &content->mediaBrowse },
             { "newCreate", &content->create }, { "newCancel", &content->cancel } };
}

} // namespace cuegrid
