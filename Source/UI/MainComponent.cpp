// CueGrid — GPL-3.0-or-later
#include "MainComponent.h"
#include "KeyActions.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace cuegrid
{

namespace
{
    const juce::Colour windowColour (0xff17191c);
}

TransportButton::TransportButton (const juce::String& titleText, const juce::String& keyText, juce::Colour buttonColour)
    : juce::Button (titleText), key (keyText), colour (buttonColour)
{
    setWantsKeyboardFocus (false);
    setTriggeredOnMouseDown (true);  // a show action happens on press, not on release
}

void TransportButton::paintButton (juce::Graphics& g, bool highlighted, bool down)
{
    const auto bounds = getLocalBounds().toFloat().reduced (2.0f);
    auto fill = down ? colour.brighter (0.35f) : highlighted ? colour.brighter (0.15f) : colour;
    if (! isEnabled())
        fill = fill.withMultipliedSaturation (0.3f).darker (0.4f);
    g.setColour (fill);
    g.fillRoundedRectangle (bounds, 7.0f);
    g.setColour (juce::Colours::white.withAlpha (0.25f));
    g.drawRoundedRectangle (bounds.reduced (0.5f), 7.0f, 1.0f);

    auto area = getLocalBounds().reduced (6, 4);
    const auto big = getWidth() >= 200;
    g.setColour (juce::Colours::white.withAlpha (isEnabled() ? 1.0f : 0.5f));
    g.setFont (juce::Font (big ? 26.0f : 20.0f, juce::Font::bold));
    if (key.isEmpty())
    {
        g.drawFittedText (getButtonText(), area, juce::Justification::centred, 1);
        return;
    }
    auto hint = area.removeFromBottom (juce::jmax (14, area.getHeight() / 3));
    g.drawFittedText (getButtonText(), area, juce::Justification::centredBottom, 1);
    g.setColour (juce::Colours::white.withAlpha (0.75f));
    g.setFont (juce::Font (13.0f));
    g.drawFittedText (key, hint, juce::Justification::centred, 1);
}

ConfirmBar::ConfirmBar()
{
    question.setFont (juce::Font (16.0f, juce::Font::bold));
    question.setColour (juce::Label::textColourId, juce::Colours::white);
    addAndMakeVisible (question);
}

void ConfirmBar::ask (const juce::String& text, std::vector<Answer> answers)
{
    question.setText (text, juce::dontSendNotification);
    buttons.clear();
    names.clear();
    for (auto& answer : answers)
    {
        auto button = std::make_unique<juce::TextButton> (answer.text);
        button->setWantsKeyboardFocus (false);
        button->onClick = std::move (answer.action);
        addAndMakeVisible (*button);
        buttons.push_back (std::move (button));
        names.push_back (answer.name);
    }
    setVisible (true);
    toFront (false);
    resized();
}

std::vector<std::pair<juce::String, juce::Component*>> ConfirmBar::getAnswers()
{
    std::vector<std::pair<juce::String, juce::Component*>> answers;
    for (size_t i = 0; i < buttons.size(); ++i)
        answers.emplace_back (names[i], buttons[i].get());
    return answers;
}

void ConfirmBar::paint (juce::Graphics& g)
{
    g.fillAll (juce::Colour (0xff8a5a12));
    g.setColour (juce::Colours::black.withAlpha (0.4f));
    g.drawHorizontalLine (getHeight() - 1, 0.0f, (float) getWidth());
}

void ConfirmBar::resized()
{
    auto area = getLocalBounds().reduced (10, 8);
    for (auto it = buttons.rbegin(); it != buttons.rend(); ++it)
    {
        (*it)->setBounds (area.removeFromRight (juce::jmax (90, (*it)->getBestWidthForHeight (area.getHeight()) + 24)));
        area.removeFromRight (8);
    }
    question.setBounds (area);
}

bool MainComponent::requestQuit()
{
    return askBeforeClosing ("Quit", "quit", [this] { quitNow(); });
}

void MainComponent::requestReplaceSession (const juce::String& verb, std::function<void()> then)
{
    if (askBeforeClosing (verb, "close", then))
        then();
}

bool MainComponent::askBeforeClosing (const juce::String& verb, const juce::String& prefix, std::function<void()> then)
{
    // Deleted clips that still sound count too (they play on to their end).
    const auto playing = (int) controller.getActiveClips().size() + (controller.getAuditionClip() >= 0 ? 1 : 0)
                         + controller.getRetiredVoices();
    if (playing > 0)
    {
        confirmBar.ask (juce::String (playing) + (playing == 1 ? " clip is" : " clips are") + " playing. " + verb + " anyway?",
                        { { prefix + "Anyway", verb, [this, verb, prefix, then]
                            {
                                confirmBar.dismiss();
                                if (askUnsavedBeforeClosing (verb, prefix, then))
                                    then();
                            } },
                          { prefix + "Cancel", "Cancel", [this] { confirmBar.dismiss(); } } });
        return false;
    }
    return askUnsavedBeforeClosing (verb, prefix, then);
}

bool MainComponent::askUnsavedBeforeClosing (const juce::String& verb, const juce::String& prefix, std::function<void()> then)
{
    if (! editor.hasUnsavedChanges())
        return true;
    const auto lower = verb.substring (0, 1).toLowerCase() + verb.substring (1);
    confirmBar.ask ("Unsaved changes in " + juce::String::fromUTF8 (controller.getSession().name.c_str()) + ".",
                    { { prefix + "Save", "Save and " + lower, [this, then] { if (saveSession().isEmpty()) { confirmBar.dismiss(); then(); } } },
                      { prefix + "Discard", verb + " without saving", [this, then] { confirmBar.dismiss(); then(); } },
                      { prefix + "Cancel", "Cancel", [this] { confirmBar.dismiss(); } } });
    return false;
}

void MainComponent::ask (const juce::String& question, std::vector<ConfirmBar::Answer> answers)
{
    confirmBar.ask (question, std::move (answers));
}

void MainComponent::addUiMapWindow (const juce::String& name, juce::Component* window,
                                    std::function<std::vector<std::pair<juce::String, juce::Component*>>()> controls,
                                    std::function<juce::String()> lines)
{
    uiMapWindows.push_back ({ name, window, std::move (controls), std::move (lines) });
}

MainComponent::MainComponent (ShowController& showController, juce::AudioDeviceManager& deviceManager)
    : controller (showController), devices (deviceManager)
{
    juce::LookAndFeel::setDefaultLookAndFeel (&lookAndFeel);

    editor.onChange = [this] (const SessionEditor::Change& change) { sessionEdited (change); };
    // Media decoded in the background for clips just added: their buttons and analysis follow.
    controller.onMediaLoaded = [safe = juce::Component::SafePointer<MainComponent> (this)]
    {
        if (safe != nullptr)
        {
            safe->rebuildGrids();
            if (! safe->analysisWaitsForMedia)
                safe->analysisView.clipsChanged();
        }
    };
    editor.onBeforeRiskyEdit = [this] (const std::string& name)
    {
        if (sessionStore == nullptr)
            return;
        try
        {
            sessionStore->recoveryPointNow (controller.getSession(), "before " + name);
        }
        catch (const std::exception& error)
        {
            showNotice (juce::String ("no recovery point before the edit: ") + error.what());
        }
    };
    // The show's keys (ShowKeys: the keymap and the clips' hotkeys) go through ShowActions,
    // source key. Escape during a drag of a cell cancels the drag, and still stops all.
    keys.shownPage = [this] { return focusedView().getPage(); };
    keys.onCommand = [this] (const KeyCommand& command, double arrivalMs)
    {
        // While MIDI learn waits, the Stop All key (Escape) cancels it, as it cancels a key capture.
        if (command.kind == KeyCommand::Kind::action && command.action == KeyAction::stopAll && midiLearn.isLearning())
            return midiLearn.cancel ("Escape");
        if (command.kind == KeyCommand::Kind::action && command.action == KeyAction::openKeymap)
            return openKeymapWindow();
        if (command.kind == KeyCommand::Kind::action && command.action == KeyAction::showModeToggle)
            return analysisView.getShowModeButton().setToggleState (! editor.isLocked(), juce::sendNotification);   // its onClick locks the editor
        if (command.kind == KeyCommand::Kind::action && (command.action == KeyAction::stopAll || command.action == KeyAction::fadeAll || command.action == KeyAction::panic))
            cancelCellDrag();
        const auto result = actions.perform (showActionForKey (command, editor.isLocked()), ActionSource::key, arrivalMs);
        if (result.dropped && command.kind == KeyCommand::Kind::fireClip)
            keys.getKeyMap().cancelGate (command.clip);   // a debounced gate key's release must not stop the clip
        if (! result.ok)
            showNotice (juce::String ("key: ") + result.reason);
    };

    title.setFont (juce::Font (22.0f, juce::Font::bold));
    title.setColour (juce::Label::textColourId, juce::Colours::white);
    addAndMakeVisible (title);

    // The GUI's clicks go the way every other input goes (ShowActions, source mouse); a
    // refusal shows in the status bar through getActionProblem() as before.
    const auto perform = [this] (const ShowAction& action) { actions.perform (action, ActionSource::mouse); };
    // Page and tab commands (keys, MIDI, OSC) move the focused page view.
    actions.navigate = [this] (const ShowAction& action) -> std::string
    {
        using T = ShowAction::Type;
        auto& view = focusedView();
        const auto& pages = controller.getSession().pages;
        const auto target = (int) action.value;
        switch (action.type)
        {
            case T::page: case T::nextPage: case T::previousPage:
            {
                const auto page = action.type == T::page ? target : view.getPage() + (action.type == T::nextPage ? 1 : -1);
                if (page < 0 || page >= (int) pages.size())
                    return "no page " + std::to_string (page + 1);
                view.showPage (page);
                return {};
            }
            case T::tab: case T::nextTab: case T::previousTab:
            {
                const auto tab = action.type == T::tab ? target : view.getTab() + (action.type == T::nextTab ? 1 : -1);
                if (tab < 0 || tab >= Page::maxTabs)
                    return "no tab " + std::to_string (tab + 1);
                view.showTab (tab);
                return {};
            }
            case T::showMode:   // the button's onClick locks the editor and pauses analysis, as a click does
                if ((action.value != 0.0) != editor.isLocked())
                    analysisView.getShowModeButton().setToggleState (action.value != 0.0, juce::sendNotification);
                return {};
            default:
                return "not available here";
        }
    };
    actions.view = [this] { return ShowActions::View { focusedView().getPage(), focusedView().getTab(), editor.isLocked() }; };
    // GO fires the selected clip: the one the inspector shows.
    actions.selectedClip = [this] { return inspector.getClipId().empty() ? -1 : controller.getSession().findClip (inspector.getClipId()); };
    stopAllButton.onClick = [perform] { perform (ShowAction::of (ShowAction::Type::stopAll)); };
    stopAllButton.setTooltip ("Every clip and the audition stop, each with its own fade-out");
    fadeAllButton.onClick = [perform] { perform (ShowAction::of (ShowAction::Type::fadeAll, 1.0)); };
    fadeAllButton.setTooltip ("Everything fades out over 1 s (linear)");
    pauseAllButton.onClick = [perform] { perform (ShowAction::of (ShowAction::Type::pauseAll)); };
    pauseAllButton.setTooltip ("Every playing clip pauses (it resumes where it stopped)");
    resumeAllButton.onClick = [perform] { perform (ShowAction::of (ShowAction::Type::resumeAll)); };
    resumeAllButton.setTooltip ("Every paused clip resumes");
    panicButton.onClick = [perform] { perform (ShowAction::of (ShowAction::Type::panic)); };
    panicButton.setTooltip ("Every voice is cut at once (1 ms) and every queued command is dropped");
    for (auto* button : { &stopAllButton, &fadeAllButton, &pauseAllButton, &resumeAllButton, &panicButton })
        addAndMakeVisible (*button);

    auditionLabel.setFont (juce::Font (14.0f, juce::Font::bold));
    auditionLabel.setColour (juce::Label::textColourId, juce::Colour (0xff8cc4ff));
    auditionLabel.setJustificationType (juce::Justification::centredRight);
    addAndMakeVisible (auditionLabel);
    stopAuditionButton.setWantsKeyboardFocus (false);
    stopAuditionButton.onClick = [this] { controller.stopAudition(); };
    addChildComponent (stopAuditionButton);

    settingsButton.setWantsKeyboardFocus (false);
    settingsButton.onClick = [this] { openAudioSettings(); };
    addAndMakeVisible (settingsButton);

    addAndMakeVisible (analysisView);
    analysisView.onGainPanelCreated = [this] (AnalysisGainPanel& panel)
    {
        addUiMapWindow ("analysisGain", &panel, [&panel] { return panel.getControls(); }, [&panel] { return panel.getUiMapLines(); });
    };

    // The clip inspector: a side panel (I or the Inspector button), hidden at start.
    inspector.onEditResult = [this] (const SessionEditor::Result& result) { showEditResult (result); };
    addChildComponent (inspector);
    inspectorButton.setWantsKeyboardFocus (false);
    inspectorButton.setClickingTogglesState (true);
    inspectorButton.setTooltip ("Show or hide the clip inspector (I)");
    inspectorButton.onClick = [this] { setInspectorVisible (inspectorButton.getToggleState()); };
    addAndMakeVisible (inspectorButton);

    for (size_t i = 0; i < views.size(); ++i)
    {
        const auto viewIndex = (int) i;
        auto& view = *(views[i] = std::make_unique<PageView> (controller, editor, analysisView));
        // The last clip clicked or right-clicked is the one the inspector shows (fired first).
        view.onFire = [this, perform] (int clip) { perform (ShowAction::forClip (ShowAction::Type::fire, clip)); selectClip (clip); };
        view.onClipMenu = [this] (int clip, ClipButton& button) { selectClip (clip); showClipMenu (clip, button); };
        view.onEmptyCellMenu = [this] (const SessionEditor::Cell& cell, ClipButton& button) { showEmptyCellMenu (cell, button); };
        view.onTabMenu = [this, viewIndex] (int tab) { showTabMenu (viewIndex, tab); };
        view.onCellDropped = [this] (const SessionEditor::Cell& from, const SessionEditor::Cell& to, bool copy) { cellDropped (from, to, copy); };
        view.onFilesDropped = [this] (const SessionEditor::Cell& start, const juce::StringArray& files)
        {
            importFiles (files, start.page, start.tab, start.row, start.column);
        };
        view.onNotice = [this] (const juce::String& text) { showNotice (text); };
        view.onPressed = [this, viewIndex] { focusView (viewIndex); };
        addChildComponent (view);
    }
    views[0]->setVisible (true);
    views[0]->setFocused (true);
    dualViewButton.setWantsKeyboardFocus (false);
    dualViewButton.setClickingTogglesState (true);
    dualViewButton.setTooltip ("Two pages side by side, each with its own tabs (Ctrl+D)");
    dualViewButton.onClick = [this]
    {
        setDualView (dualViewButton.getToggleState());
        if (onDualViewChanged)
            onDualViewChanged (dualView);
    };
    addAndMakeVisible (dualViewButton);

    for (int group = 0; group < groupCount; ++group)
    {
        auto strip = std::make_unique<GroupStrip> (groupLetter (group));
        strip->onGainChanged = [this, group] (double db) { controller.setGroupGain (group, db); };
        strip->onMuteChanged = [this, group] (bool muted) { controller.setGroupMute (group, muted); };
        addAndMakeVisible (*strip);
        strips.push_back (std::move (strip));
    }
    masterStrip.onGainChanged = [this] (double db) { controller.setMasterGain (db); };
    addAndMakeVisible (masterStrip);
    recordPanel.onRecord = [this] (int bus, bool start) { start ? controller.recordStart (1 << bus) : controller.recordStop (1 << bus); };
    addAndMakeVisible (recordPanel);

    addChildComponent (confirmBar);
    setUpMidiLearn();

    setWantsKeyboardFocus (true);
    setSize (1280, 770);
    sessionChanged();
    startTimerHz (30);
}

MainComponent::~MainComponent()
{
    settingsWindow.reset();
    juce::PopupMenu::dismissAllActiveMenus();
    juce::LookAndFeel::setDefaultLookAndFeel (nullptr);
}

void MainComponent::sessionChanged()
{
    editor.sessionReplaced();
    keys.getKeyMap().setSessionHotkeys (controller.getSession().hotkeys);   // the show's clip keys (manifest v3)
    rebuildFromSession();
    // The analysis reads every file whole: it waits until the show's media is in, so that the
    // window, the tab on screen and the first triggers get the disk and the cores first.
    analysisView.clear();
    analysisWaitsForMedia = true;
    views[0]->showPage (0);
    views[1]->showPage (1);   // the next page, if there is one
    inspector.refresh();   // the same clip id in the new session, or nothing
    midiLearn.sessionChanged();
    midiLearnChanged();
}

void MainComponent::selectClip (int clip)
{
    const auto& clips = controller.getSession().clips;
    if (clip < 0 || clip >= (int) clips.size())
        return;
    inspector.showClip (clips[(size_t) clip].id);
    midiLearnChanged();   // the inspector's MIDI row; repaints the selection's outline (paintOverChildren)
}

std::optional<SessionEditor::Cell> MainComponent::selectedCell() const
{
    const auto& id = inspector.getClipId();
    const auto& view = *views[(size_t) focusedViewIndex];
    const auto& pages = controller.getSession().pages;
    if (id.empty() || view.getPage() >= (int) pages.size() || view.getTab() >= (int) pages[(size_t) view.getPage()].tabs.size())
        return std::nullopt;
    for (const auto& slot : pages[(size_t) view.getPage()].tabs[(size_t) view.getTab()].slots)
        if (slot.clip == id)
            return SessionEditor::Cell { view.getPage(), view.getTab(), slot.row, slot.column };
    return std::nullopt;
}

std::optional<SessionEditor::Cell> MainComponent::firstEmptyCellFrom (const SessionEditor::Cell& start) const
{
    const auto& pages = controller.getSession().pages;
    if (start.page >= (int) pages.size() || start.tab >= (int) pages[(size_t) start.page].tabs.size())
        return std::nullopt;
    const auto& tab = pages[(size_t) start.page].tabs[(size_t) start.tab];
    for (int index = start.row * tab.columns + start.column; index < tab.rows * tab.columns; ++index)
        if (const SessionEditor::Cell cell { start.page, start.tab, index / tab.columns, index % tab.columns }; editor.clipAt (cell) < 0)
            return cell;
    return std::nullopt;
}

void MainComponent::setInspectorVisible (bool shouldShow)
{
    inspectorButton.setToggleState (shouldShow, juce::dontSendNotification);
    if (inspector.isVisible() == shouldShow)
        return;
    inspector.setVisible (shouldShow);
    resized();
    repaint();
}

void MainComponent::paintOverChildren (juce::Graphics& g)
{
    paintMidiLearnWaiting (g);
    // The inspected clip's cell: an outline, so the editor sees which clip the panel shows.
    if (! inspector.isVisible())
        return;
    const auto selected = controller.getSession().findClip (inspector.getClipId());
    for (const auto& view : views)
        if (view->isVisible())
            for (const auto& button : view->getButtons())
                if (selected >= 0 && button->getClipIndex() == selected)
                {
                    g.setColour (juce::Colour (0xffffd54a));
                    g.drawRoundedRectangle (getLocalArea (button.get(), button->getLocalBounds()).toFloat().reduced (1.0f), 6.0f, 3.0f);
                }
}

void MainComponent::updateTitle()
{
    const auto& session = controller.getSession();
    shownUnsaved = editor.hasUnsavedChanges();
    const auto name = juce::String::fromUTF8 (session.name.c_str());
    const auto mark = shownUnsaved ? juce::String::fromUTF8 (" \xe2\x80\xa2") : juce::String();  // a bullet: unsaved changes
    title.setText ("CueGrid  |  " + name + mark, juce::dontSendNotification);
    if (auto* window = getTopLevelComponent(); window != nullptr && window != this)
        window->setName (name + (shownUnsaved ? " *" : "") + " - CueGrid");  // ASCII: JUCE gives X only a Latin-1 WM_NAME
}

void MainComponent::sessionEdited (const SessionEditor::Change& change)
{
    controller.sessionEdited (change);
    keys.getKeyMap().setSessionHotkeys (controller.getSession().hotkeys);   // a keymap edit, its undo, a page deleted
    if (change.clipListChanged)
        if (! analysisWaitsForMedia)
            analysisView.clipsChanged();  // analysis results are by clip id; new clips are queued
    if (change.gridChanged)
    {
        rebuildFromSession();
        for (auto& view : views)
        {
            const auto page = view->getPage(), tab = view->getTab();
            view->showPage (page);  // clamps to the pages there are
            if (tab != view->getTab() && tab < Page::maxTabs)
                view->showTab (tab);
        }
    }
    else
    {
        rebuildGrids();   // labels, colours, groups
    }
    inspector.refresh();  // an edit, undo or redo from anywhere shows in the panel
    midiLearn.sessionChanged();   // a learn, a deleted mapping, their undo: MIDI follows at once
    midiLearnChanged();
    updateTitle();
}

void MainComponent::showEditResult (const SessionEditor::Result& result)
{
    if (! result.ok)
        showNotice (juce::String::fromUTF8 (result.reason.c_str()));
}

void MainComponent::showNotice (const juce::String& text)
{
    editNotice = text;
    editNoticeSeconds = juce::Time::getMillisecondCounterHiRes() / 1000.0;
    repaint (statusArea);
}

juce::String MainComponent::saveSession()
{
    juce::String result;
    if (sessionStore == nullptr)
        result = "not saved: the session has no file it can be saved to";
    else
    {
        try
        {
            const auto saved = sessionStore->save (controller.getSession());
            editor.markSaved();
            updateTitle();
            result = "Saved " + juce::String::fromUTF8 (sessionStore->getSessionPath().c_str());
            for (const auto& warning : saved.warnings)
                result << " (" << juce::String::fromUTF8 (warning.c_str()) << ")";
            showNotice (result);
            return {};
        }
        catch (const std::exception& error)
        {
            result = "not saved: " + juce::String::fromUTF8 (error.what());
        }
    }
    showNotice (result);
    reportOnce (result);
    return result;
}

void MainComponent::rebuildFromSession()
{
    const auto& session = controller.getSession();
    updateTitle();
    for (int group = 0; group < groupCount; ++group)
        strips[(size_t) group]->setState (session.groups[(size_t) group].gainDb, session.groups[(size_t) group].muted);
    masterStrip.setGain (session.master.gainDb);
    for (auto& view : views)
        view->sessionRebuilt();
}

void MainComponent::rebuildGrids()
{
    for (auto& view : views)
        view->rebuildGrid();
}

void MainComponent::showAnalysis()
{
    for (auto& view : views)
        view->showAnalysis();
}

void MainComponent::cellDropped (const SessionEditor::Cell& from, const SessionEditor::Cell& to, bool copy)
{
    if (from == to)
        return;
    // After the drop returns: the edit rebuilds the grid, and the buttons of the drag with it.
    juce::MessageManager::callAsync ([safe = juce::Component::SafePointer<MainComponent> (this), from, to, copy]
    {
        if (safe != nullptr)
            safe->showEditResult (copy ? safe->editor.copyCell (from, to) : safe->editor.moveCell (from, to));
    });
}

std::optional<SessionEditor::Cell> MainComponent::firstEmptyCell (int page, int tab) const
{
    return PageView::firstEmptyCell (controller.getSession(), page, tab);
}

bool MainComponent::cancelCellDrag()
{
    if (! isDragAndDropActive())
        return false;
    // The drag image (a child of this container that takes keys and no clicks) cancels
    // itself on Escape; it is gone afterwards.
    for (auto* child : getChildren())
    {
        bool clicks = true, childClicks = true;
        child->getInterceptsMouseClicks (clicks, childClicks);
        if (child->getWantsKeyboardFocus() && child->isAlwaysOnTop() && ! clicks && child != &confirmBar)
        {
            child->keyPressed (juce::KeyPress (juce::KeyPress::escapeKey));
            return true;
        }
    }
    return false;
}

void MainComponent::importFiles (const juce::StringArray& paths, int page, int tab, int row, int column)
{
    const SessionEditor::Cell start { page, tab, row, column };
    if (editor.isLocked() || editor.isMediaLocked())
    {
        showEditResult (editor.importFiles ({}, start));   // refused: says why (Show mode, a media folder change)
        return;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& path : paths)
        files.emplace_back (path.toStdString());
    showNotice ("Importing " + juce::String (paths.size()) + (paths.size() == 1 ? " file" : " files") + "...");
    importer.start (std::move (files), start, controller.getSessionPath(), controller.getMediaRate(),
                    [safe = juce::Component::SafePointer<MainComponent> (this)] (MediaImporter::Outcome outcome)
                    {
                        if (safe != nullptr)
                            safe->importFinished (std::move (outcome));
                    });
}

void MainComponent::importFinished (MediaImporter::Outcome outcome)
{
    // How long the message thread is held by adding the clips (the decoding was done already).
    const auto startMs = juce::Time::getMillisecondCounterHiRes();
    for (size_t i = 0; i < outcome.files.size() && i < outcome.media.size(); ++i)
        controller.useDecodedMedia (outcome.files[i].file, std::move (outcome.media[i]));
    SessionEditor::Result done = SessionEditor::Result::refused ("no usable media file");
    if (! outcome.files.empty())
        done = editor.importFiles (outcome.files, outcome.start);
    std::vector<std::string> imported;
    if (done.ok)
        for (const auto& file : outcome.files)
            imported.push_back (file.file);
    controller.writeEventLog ({ { "event", "import" }, { "imported", imported }, { "rejected", outcome.rejected },
                                { "warnings", outcome.warnings }, { "refused", done.ok ? std::string() : done.reason },
                                { "messageThreadMs", juce::Time::getMillisecondCounterHiRes() - startMs } });

    juce::StringArray parts;
    if (done.ok)
        parts.add ("Imported " + juce::String ((int) imported.size()) + (imported.size() == 1 ? " clip" : " clips"));
    else if (! outcome.files.empty())
        parts.add ("Not imported: " + juce::String::fromUTF8 (done.reason.c_str()));
    for (const auto& rejected : outcome.rejected)
        parts.add ("not imported: " + juce::String::fromUTF8 (rejected.c_str()));
    for (const auto& warning : outcome.warnings)
        parts.add (juce::String::fromUTF8 (warning.c_str()));
    const auto text = parts.joinIntoString ("; ");
    showNotice (text);
    if (! outcome.rejected.empty() || ! done.ok)
        reportOnce (text);
}

void MainComponent::startRename (juce::Rectangle<int> area, const juce::String& text, std::function<void (const juce::String&)> commit)
{
    renameField = std::make_unique<juce::TextEditor>();
    auto& field = *renameField;
    field.setText (text, false);
    field.selectAll();
    field.setJustification (juce::Justification::centredLeft);
    field.onReturnKey = [this, commit]
    {
        const auto name = renameField->getText().trim();
        // Destroyed after the callback returns: this lambda belongs to the field.
        juce::MessageManager::callAsync ([safe = juce::Component::SafePointer<MainComponent> (this)] { if (safe) safe->renameField.reset(); });
        renameField->setVisible (false);
        if (name.isNotEmpty())
            commit (name);
    };
    field.onFocusLost = [this]
    {
        juce::MessageManager::callAsync ([safe = juce::Component::SafePointer<MainComponent> (this)] { if (safe) safe->renameField.reset(); });
    };
    addAndMakeVisible (field);
    field.setBounds (area.withSizeKeepingCentre (juce::jmax (area.getWidth(), 160), juce::jmax (area.getHeight(), 28)));
    field.grabKeyboardFocus();
}

void MainComponent::paint (juce::Graphics& g)
{
    g.fillAll (windowColour);
    g.setColour (juce::Colour (0xff101214));
    g.fillRect (transportArea);
    g.fillRect (statusArea);
    g.setColour (juce::Colours::white.withAlpha (0.08f));
    g.drawHorizontalLine (transportArea.getY(), 0.0f, (float) getWidth());
    const auto alarm = problem.isNotEmpty() || controller.isDeviceLost() || ! controller.getWriteProblem().empty()
                       || ! controller.getActionProblem().empty();
    bool extraWarning = false;
    if (statusExtra)
        statusExtra (extraWarning);
    g.setColour (alarm || extraWarning ? juce::Colour (0xffff8060) : juce::Colours::lightgrey);
    g.setFont (juce::Font (14.0f));
    g.drawText (statusText(), statusArea.reduced (10, 0), juce::Justification::centredLeft);
}

void MainComponent::resized()
{
    auto area = getLocalBounds();
    confirmBar.setBounds (area.withHeight (52));
    statusArea = area.removeFromBottom (28);
    transportArea = area.removeFromBottom (84);

    // STOP ALL and PANIC must stay whole on a narrow window: the row shrinks to fit, in proportion.
    auto transport = transportArea.reduced (8, 8);
    const std::array<std::pair<juce::Component*, int>, 5> transportButtons { { { &stopAllButton, 250 }, { &fadeAllButton, 180 },
                                                                  { &pauseAllButton, 140 }, { &resumeAllButton, 140 },
                                                                  { &panicButton, 170 } } };
    const std::array<int, 5> gapAfter { 8, 8, 8, 24, 16 };
    const auto wanted = 250 + 180 + 140 + 140 + 170 + 8 + 8 + 8 + 24 + 16;
    const auto scale = juce::jmin (1.0, (double) transport.getWidth() / (double) wanted);
    for (size_t i = 0; i < transportButtons.size(); ++i)
    {
        auto [button, width] = transportButtons[i];
        button->setBounds (transport.removeFromLeft (juce::roundToInt (width * scale)));
        transport.removeFromLeft (juce::roundToInt (gapAfter[i] * scale));
    }
    const auto auditionWidth = juce::jmin (120, transport.getWidth());
    stopAuditionButton.setBounds (transport.removeFromRight (auditionWidth).withSizeKeepingCentre (auditionWidth, 32));
    transport.removeFromRight (juce::jmin (8, transport.getWidth()));
    auditionLabel.setBounds (transport);

    auto top = area.removeFromTop (52).reduced (10, 9);
    settingsButton.setBounds (top.removeFromRight (140));
    top.removeFromRight (12);
    inspectorButton.setBounds (top.removeFromRight (100));
    top.removeFromRight (12);
    analysisView.setBounds (top.removeFromRight (420));
    top.removeFromRight (12);
    dualViewButton.setBounds (top.removeFromRight (100));
    top.removeFromRight (12);
    recordPanel.setBounds (top.removeFromRight (juce::jmin (230, top.getWidth() / 2)));
    top.removeFromRight (12);
    title.setBounds (top);

    // The strips give way to the grid on a narrow window.
    const auto inspectorWidth = inspector.isVisible() ? juce::jlimit (340, 400, getWidth() / 4) : 0;
    const auto stripWidth = juce::jlimit (62, 90, (getWidth() - 620 - inspectorWidth) / 6);
    const auto masterWidth = stripWidth >= 80 ? 166 : 150;
    auto side = area.removeFromRight (4 * stripWidth + 4 + masterWidth + 8).reduced (4, 6);
    masterStrip.setBounds (side.removeFromRight (masterWidth));
    side.removeFromRight (4);
    for (auto& strip : strips)
        strip->setBounds (side.removeFromLeft (stripWidth).reduced (2, 0));
    if (inspector.isVisible())
        inspector.setBounds (area.removeFromRight (inspectorWidth));   // the grid gives way

    area.reduce (8, 0);
    if (dualView)
    {
        auto left = area.removeFromLeft ((area.getWidth() - 8) / 2);
        area.removeFromLeft (8);
        views[0]->setBounds (left);
        views[1]->setBounds (area);
    }
    else
        views[0]->setBounds (area);
    writeUiMap();
}

bool MainComponent::keyPressed (const juce::KeyPress& key)
{
    if (key.getKeyCode() == juce::KeyPress::escapeKey)
        return keys.keyPressed (key, this);
    if (key == juce::KeyPress ('i', juce::ModifierKeys::noModifiers, 0))
    {
        setInspectorVisible (! inspector.isVisible());
        return true;
    }
    if (key == juce::KeyPress ('d', juce::ModifierKeys::commandModifier, 0))
    {
        setDualView (! dualView);
        if (onDualViewChanged)
            onDualViewChanged (dualView);
        return true;
    }
    // Cut, copy and delete act on the selected clip's cell (the one the inspector shows) on the
    // tab the focused view shows; paste fills the first empty cell of that tab (from the
    // selected clip's cell on, else from the start), never replacing a clip.
    const auto command = juce::ModifierKeys::commandModifier;
    const bool cut = key == juce::KeyPress ('x', command, 0), copy = key == juce::KeyPress ('c', command, 0),
               paste = key == juce::KeyPress ('v', command, 0),
               remove = key == juce::KeyPress (juce::KeyPress::deleteKey) || key == juce::KeyPress (juce::KeyPress::backspaceKey);
    if (paste)
    {
        const auto& view = focusedView();
        if (const auto to = firstEmptyCellFrom (selectedCell().value_or (SessionEditor::Cell { view.getPage(), view.getTab(), 0, 0 })))
            showEditResult (editor.paste (*to));
        else
            showNotice ("nothing pasted: the tab on screen has no empty cell");
        return true;
    }
    if (cut || copy || remove)
    {
        const auto cell = selectedCell();
        if (! cell)
            showNotice ("select a clip on the tab on screen first (click it)");
        else if (cut)
            showEditResult (editor.cutCells ({ *cell }));
        else if (copy)
            showEditResult (editor.copyCells ({ *cell }));
        else
            showEditResult (editor.deleteCells ({ *cell }));
        return true;
    }
    if (key == juce::KeyPress ('m', juce::ModifierKeys::commandModifier | juce::ModifierKeys::shiftModifier, 0))
    {
        openMidiMappingsWindow();
        return true;
    }
    if (key == juce::KeyPress ('t', juce::ModifierKeys::commandModifier | juce::ModifierKeys::shiftModifier, 0))
    {
        openClockWindow();
        return true;
    }
    if (key == juce::KeyPress ('q', juce::ModifierKeys::commandModifier, 0))
    {
        if (requestQuit())
            quitNow();
        return true;
    }
    if (key == juce::KeyPress ('s', juce::ModifierKeys::commandModifier, 0))
    {
        saveSession();
        return true;
    }
    if (key == juce::KeyPress ('z', juce::ModifierKeys::commandModifier, 0))
    {
        showEditResult (editor.undo());  // refused in Show mode, with the reason in the status bar
        return true;
    }
    if (key == juce::KeyPress ('z', juce::ModifierKeys::commandModifier | juce::ModifierKeys::shiftModifier, 0))
    {
        showEditResult (editor.redo());
        return true;
    }
    return false;
}

void MainComponent::timerCallback()
{
    // An exception escaping a JUCE timer terminates the app: none may, mid-show.
    try
    {
        keys.attachToModal();
        // Keys need a focused component; take it only when nobody has it (Audio Settings keeps its own).
        if (juce::Component::getCurrentlyFocusedComponent() == nullptr && isShowing())
            grabKeyboardFocus();

        controller.update();
        if (analysisWaitsForMedia && controller.getMediaProgress().done)
        {
            analysisWaitsForMedia = false;
            analysisView.startForSession();
        }
        if (editor.hasUnsavedChanges() != shownUnsaved)  // a save elsewhere marked it saved
            updateTitle();
        inspector.update();
        if (analysisView.update())
            showAnalysis();
        for (auto& view : views)
            if (view->isVisible())
                view->updatePlayStates();
        updateMediaWarnings();   // MainComponentMedia.cpp: MISSING / CHANGED on the buttons

        const auto now = juce::Time::getMillisecondCounterHiRes() / 1000.0;
        const auto elapsed = lastTimerSeconds > 0 ? now - lastTimerSeconds : 0.0;
        lastTimerSeconds = now;
        const auto meters = controller.takeMeters();
        for (size_t group = 0; group < strips.size(); ++group)
        {
            for (int side = 0; side < 2; ++side)
            {
                const auto channel = group * 2 + (size_t) side;
                strips[group]->getMeter().setChannel (side, meters.peaks[channel], meters.snapshot.rms[channel],
                                                      meters.snapshot.peakHold[channel], meters.snapshot.clips[channel], elapsed);
            }
            strips[group]->setPlayingVoices (controller.getPlayingVoices ((int) group));
        }
        masterStrip.showMeters (meters, elapsed);
        for (size_t group = 0; group < strips.size(); ++group)   // MIDI and OSC move the faders too
            strips[group]->followGain (controller.getSession().groups[group].gainDb);
        masterStrip.followGain (controller.getSession().master.gainDb);
        for (int bus = 0; bus < recordBusCount; ++bus)
            recordPanel.show (bus, controller.getRecordState (bus), elapsed);
        const auto& master = controller.getSession().master;
        masterStrip.setLimiter (master.limiterEnabled, master.limiterCeilingDb, controller.getLatencySamples(), controller.getSampleRate());

        const auto auditionClip = controller.getAuditionClip();
        const auto& clips = controller.getSession().clips;
        auditionLabel.setText (auditionClip >= 0 && auditionClip < (int) clips.size()
                                   ? "AUDITION (PFL):  " + juce::String (clips[(size_t) auditionClip].label)
                                   : juce::String(),
                               juce::dontSendNotification);
        stopAuditionButton.setVisible (auditionClip >= 0);
        repaint (statusArea);

        writeUiMap();
        writeStatusFile();
    }
    catch (const std::exception& error)
    {
        reportOnce (juce::String ("unexpected error (the show goes on): ") + error.what());
    }
}

void MainComponent::openAudioSettings()
{
    if (settingsWindow == nullptr)
    {
        settingsWindow = std::make_unique<AudioSettingsWindow> (controller, devices);
        keys.attach (settingsWindow.get());
    }
    settingsWindow->open();
}

void MainComponent::openKeymapWindow()
{
    if (keymapWindow == nullptr)
    {
        keymapWindow = std::make_unique<KeymapWindow> (keys, [this]() -> const Session& { return controller.getSession(); },
                                                       [this] { return focusedView().getPage(); });
        keymapWindow->getPanel().onGlobalKeymapChanged = [this] (const GlobalKeymap& map) { if (onGlobalKeymapChanged) onGlobalKeymapChanged (map); };
        keymapWindow->getPanel().onSessionHotkeysChanged = [this] (const SessionHotkeys& hotkeys)
        {
            // An undoable edit of the session (saved with it); refused in Show mode.
            showEditResult (editor.setHotkeys (hotkeys, "Change hotkeys"));
            keys.getKeyMap().setSessionHotkeys (controller.getSession().hotkeys);
            keymapWindow->getPanel().refresh();
        };
        keys.attach (keymapWindow.get());
        addUiMapWindow ("keymap", keymapWindow.get(), [] { return std::vector<std::pair<juce::String, juce::Component*>>(); });
    }
    keymapWindow->getPanel().refresh();
    keymapWindow->showInFront (getScreenPosition() + juce::Point<int> (40, 120));
}

void MainComponent::importIntoShownTab (const juce::StringArray& paths)
{
    if (const auto to = firstEmptyCell (focusedView().getPage(), focusedView().getTab()))
        importFiles (paths, to->page, to->tab, to->row, to->column);
    else
        showNotice ("not imported: the tab on screen has no empty cell");
}

void MainComponent::setDualView (bool shouldShowTwo)
{
    dualViewButton.setToggleState (shouldShowTwo, juce::dontSendNotification);
    if (dualView == shouldShowTwo)
        return;
    dualView = shouldShowTwo;
    views[1]->setVisible (dualView);
    for (auto& view : views)
        view->setShowsFocus (dualView);
    if (! dualView)
        focusView (0);
    resized();
    repaint();
}

void MainComponent::focusView (int viewIndex)
{
    focusedViewIndex = dualView ? juce::jlimit (0, (int) views.size() - 1, viewIndex) : 0;
    for (size_t i = 0; i < views.size(); ++i)
        views[i]->setFocused ((int) i == focusedViewIndex);
}

void MainComponent::openClockWindow()
{
    const bool first = clockWindow.getWindow() == nullptr;
    clockWindow.open (getScreenPosition() + juce::Point<int> (40, 120));   // over the grid, not the faders
    if (first)
    {
        keys.attach (clockWindow.getWindow());
        addUiMapWindow ("clock", clockWindow.getWindow(), [this] { return clockWindow.getControls(); },
                        [this] { return clockWindow.describe(); });
    }
}

} // namespace cuegrid
