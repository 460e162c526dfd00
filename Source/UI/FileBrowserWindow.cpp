// CueGrid — GPL-3.0-or-later
#include "FileBrowserWindow.h"

namespace cuegrid
{

struct FileBrowserWindow::Content final : ToolPanel
{
    std::unique_ptr<juce::WildcardFileFilter> filter;
    std::unique_ptr<juce::FileBrowserComponent> browser;
    juce::TextButton ok, cancel { "Cancel" };
    juce::Label message;
    juce::TextEditor typedPath;   // a path typed in full (JUCE's own box is read-only when several files may be chosen)

    Content()
    {
        addAndMakeVisible (ok);
        addAndMakeVisible (cancel);
        addAndMakeVisible (message);
        addAndMakeVisible (typedPath);
        typedPath.setTextToShowWhenEmpty ("or type a full path here", juce::Colours::grey);
        message.setColour (juce::Label::textColourId, juce::Colour (0xffffb74d));
        setSize (760, 520);
    }

    void resized() override
    {
        auto area = getLocalBounds().reduced (10);
        auto row = area.removeFromBottom (32);
        cancel.setBounds (row.removeFromRight (110));
        row.removeFromRight (8);
        ok.setBounds (row.removeFromRight (140));
        row.removeFromRight (8);
        typedPath.setBounds (row.reduced (0, 2));
        message.setBounds (area.removeFromBottom (24));
        area.removeFromBottom (4);
        if (browser != nullptr)
            browser->setBounds (area);
    }
};

FileBrowserWindow::FileBrowserWindow()
    : ToolWindow ("Choose", new Content(), { 560, 360 })
{
    content = dynamic_cast<Content*> (getContentComponent());
    content->ok.onClick = [this] { accept(); };
    content->cancel.onClick = [this] { closeButtonPressed(); };
}

FileBrowserWindow::~FileBrowserWindow()
{
    if (content->browser != nullptr)
        content->browser->removeListener (this);
}

void FileBrowserWindow::choose (Mode newMode, const juce::String& title, const juce::String& actionName, const juce::File& initial,
                                const juce::String& patterns, std::function<void (const juce::Array<juce::File>&)> onChosen)
{
    mode = newMode;
    callback = std::move (onChosen);
    setName (title);
    content->ok.setButtonText (actionName);
    content->message.setText ({}, juce::dontSendNotification);
    content->typedPath.clear();
    content->typedPath.onReturnKey = [this] { accept(); };

    int browserFlags = 0;
    switch (mode)
    {
        case Mode::openFile:     browserFlags = juce::FileBrowserComponent::openMode | juce::FileBrowserComponent::canSelectFiles; break;
        case Mode::openFiles:    browserFlags = juce::FileBrowserComponent::openMode | juce::FileBrowserComponent::canSelectFiles
                                         | juce::FileBrowserComponent::canSelectMultipleItems; break;
        case Mode::saveFile:     browserFlags = juce::FileBrowserComponent::saveMode | juce::FileBrowserComponent::canSelectFiles; break;
        case Mode::chooseFolder: browserFlags = juce::FileBrowserComponent::saveMode | juce::FileBrowserComponent::canSelectDirectories; break;
    }
    if (content->browser != nullptr)
        content->browser->removeListener (this);
    content->filter = mode == Mode::chooseFolder || patterns.isEmpty()
                          ? nullptr
                          : std::make_unique<juce::WildcardFileFilter> (patterns, "*", "CueGrid files");
    content->browser = std::make_unique<juce::FileBrowserComponent> (browserFlags, initial, content->filter.get(), nullptr);
    content->browser->addListener (this);
    content->addAndMakeVisible (*content->browser);
    content->resized();
    showInFront ({ 160, 70 });
    content->typedPath.grabKeyboardFocus();
}

void FileBrowserWindow::accept()
{
    auto& browser = *content->browser;
    juce::Array<juce::File> chosen;
    if (const auto typed = content->typedPath.getText().trim(); typed.isNotEmpty())
        chosen.add (browser.getRoot().getChildFile (typed));   // absolute, or relative to the folder shown
    else
        for (int i = 0; i < browser.getNumSelectedFiles(); ++i)
            chosen.add (browser.getSelectedFile (i));

    juce::String problem;
    if (chosen.isEmpty())
        problem = "Choose a file or type its name";
    for (const auto& file : chosen)
    {
        if ((mode == Mode::openFile || mode == Mode::openFiles) && ! file.existsAsFile())
            problem = file.getFullPathName() + " is not a file";
        else if (mode == Mode::saveFile && file.isDirectory())
            problem = file.getFullPathName() + " is a folder";
        else if (mode == Mode::chooseFolder && file.existsAsFile())
            problem = file.getFullPathName() + " is a file, not a folder";
    }
    if (problem.isNotEmpty())
    {
        content->message.setText (problem, juce::dontSendNotification);
        return;
    }
    setVisible (false);
    if (auto done = std::exchange (callback, nullptr))
        done (chosen);
}

void FileBrowserWindow::closeButtonPressed()
{
    callback = nullptr;
    setVisible (false);
}

std::vector<std::pair<juce::String, juce::Component*>> FileBrowserWindow::getControls()
{
    std::vector<std::pair<juce::String, juce::Component*>> controls;
    controls.emplace_back ("browserFile", &content->typedPath);
    controls.emplace_back ("browserOk", &content->ok);
    controls.emplace_back ("browserCancel", &content->cancel);
    return controls;
}

} // namespace cuegrid
