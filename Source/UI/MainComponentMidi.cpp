// CueGrid — GPL-3.0-or-later
// MainComponent's MIDI learn: the inspector's and the faders' Learn MIDI, the waiting target
// (an amber frame with "Move a control…" and a Cancel in the confirm bar), the mappings window.
#include "MainComponent.h"

namespace cuegrid
{

void MainComponent::setUpMidiLearn()
{
    midiLearn.onNotice = [this] (const juce::String& text) { showNotice (text); };
    midiLearn.onStateChanged = [this] { midiLearnChanged(); };
    inspector.onLearnMidi = [this]
    {
        const auto& id = inspector.getClipId();
        const auto waiting = midiLearn.learningTarget();
        if (waiting && ! id.empty() && waiting->clip == id)
            midiLearn.cancel ("cancelled");
        else if (! id.empty())
            midiLearn.learnClip (id);
    };
    for (int group = 0; group < groupCount; ++group)
        strips[(size_t) group]->onMenu = [this, group]
        {
            MidiTarget fader;
            fader.type = MidiTarget::Type::groupLevel;
            fader.group = group;
            showFaderMenu (fader, strips[(size_t) group]->getFader());
        };
    masterStrip.onMenu = [this]
    {
        MidiTarget fader;
        fader.type = MidiTarget::Type::masterLevel;
        showFaderMenu (fader, masterStrip.getFader());
    };
}

void MainComponent::setMidiControl (MidiControl* midi)
{
    midiLearn.setMidiControl (midi);
    midiLearnChanged();
}

void MainComponent::midiLearnChanged()
{
    // The bar is asked once per target (its text has no countdown): a new Cancel button every
    // second could swallow a click.
    const auto waiting = midiLearn.waitingText (false);
    if (waiting.isNotEmpty() && (! midiLearnAsked || waiting != midiLearnQuestion))
    {
        confirmBar.ask ("MIDI learn: " + waiting + "  (Escape cancels)", { { "midiLearnCancel", "Cancel", [this] { midiLearn.cancel ("cancelled"); } } });
        midiLearnAsked = true;
        midiLearnQuestion = waiting;
    }
    else if (waiting.isEmpty() && midiLearnAsked)
    {
        confirmBar.dismiss();
        midiLearnAsked = false;
    }
    const auto target = midiLearn.learningTarget();
    const auto& id = inspector.getClipId();
    inspector.setMidiState (midiLearn.clipMappingsText (id), target && ! id.empty() && target->clip == id);
    if (midiWindow != nullptr)
        midiWindow->getPanel().refresh();
    repaint();   // the waiting target's frame
}

void MainComponent::showFaderMenu (const MidiTarget& fader, juce::Component& target)
{
    const auto& session = controller.getSession();
    juce::PopupMenu menu;
    menu.addSectionHeader (MidiLearn::targetTitle (fader, session));
    enum { learn = 1, forget, mappings };
    juce::StringArray bound;
    for (const auto& m : session.midi.mappings)
        if (m.target == fader)
            bound.add (m.describe());
    menu.addItem (learn, "Learn MIDI", ! editor.isLocked());
    menu.addItem (forget, "Forget MIDI" + (bound.isEmpty() ? juce::String() : " (" + bound.joinIntoString (", ") + ")"),
                  ! editor.isLocked() && ! bound.isEmpty());
    menu.addSeparator();
    menu.addItem (mappings, "MIDI Mappings...");
    menu.showMenuAsync (juce::PopupMenu::Options().withTargetComponent (&target).withMinimumWidth (200).withStandardItemHeight (28),
                        [safe = juce::Component::SafePointer<MainComponent> (this), fader] (int result)
                        {
                            if (safe == nullptr)
                                return;
                            if (result == learn)
                                safe->midiLearn.learn (fader);
                            else if (result == mappings)
                                safe->openMidiMappingsWindow();
                            else if (result == forget)
                            {
                                // Every mapping of this fader, last first (indices stay valid).
                                const auto& list = safe->controller.getSession().midi.mappings;
                                for (auto i = list.size(); i-- > 0;)
                                    if (list[i].target == fader)
                                        safe->midiLearn.removeMapping (i);
                            }
                        });
    keys.attachToModal();   // Escape still stops all while the menu is open
}

void MainComponent::openMidiMappingsWindow()
{
    if (midiWindow == nullptr)
    {
        midiWindow = std::make_unique<MidiMappingsWindow> (midiLearn, [this]() -> const Session& { return controller.getSession(); },
                                                           [this] { return inspector.getClipId(); });
        keys.attach (midiWindow.get());
        addUiMapWindow ("midi", midiWindow.get(), [this] { return midiWindow->getPanel().getControls(); },
                        [this] { return midiWindow->getPanel().describeRows(); });
    }
    midiWindow->getPanel().refresh();
    midiWindow->showInFront (getScreenPosition() + juce::Point<int> (40, 120));   // over the grid, not the faders
}

void MainComponent::paintMidiLearnWaiting (juce::Graphics& g)
{
    const auto target = midiLearn.learningTarget();
    if (! target)
        return;
    std::vector<juce::Component*> shown;
    if (! target->clip.empty())
    {
        const auto clip = controller.getSession().findClip (target->clip);
        for (const auto& view : views)
            if (view->isVisible())
                for (const auto& button : view->getButtons())
                    if (clip >= 0 && button->getClipIndex() == clip)
                        shown.push_back (button.get());
    }
    else if (target->type == MidiTarget::Type::groupLevel && target->group >= 0 && target->group < (int) strips.size())
        shown.push_back (strips[(size_t) target->group].get());
    else if (target->type == MidiTarget::Type::masterLevel)
        shown.push_back (&masterStrip);
    for (auto* component : shown)
    {
        const auto area = getLocalArea (component, component->getLocalBounds()).toFloat().reduced (1.0f);
        g.setColour (juce::Colour (0xffffb020));
        g.drawRoundedRectangle (area, 6.0f, 3.0f);
        const auto lines = area.getWidth() < 130.0f ? 3 : 2;   // a narrow clip button: "Move a / control…"
        auto band = area.withSizeKeepingCentre (area.getWidth() - 6.0f, 8.0f + 15.0f * (float) lines);
        g.setColour (juce::Colours::black.withAlpha (0.75f));
        g.fillRoundedRectangle (band, 4.0f);
        g.setColour (juce::Colour (0xffffd54a));
        g.setFont (juce::Font (12.0f, juce::Font::bold));
        g.drawFittedText (juce::String::fromUTF8 ("MIDI learn\nMove a control\xe2\x80\xa6"), band.toNearestInt().reduced (2, 0),
                          juce::Justification::centred, lines, 0.7f);
    }
}

void MainComponent::writeMidiUiMap (juce::String& map)
{
    // The faders, for the tests: where each is and the level it shows (MIDI and OSC move them too).
    for (size_t group = 0; group < strips.size(); ++group)
    {
        auto& fader = dynamic_cast<juce::Slider&> (strips[group]->getFader());
        const auto centre = fader.getScreenBounds().getCentre();
        map << "fader " << groupLetter ((int) group) << " " << juce::String (fader.getValue(), 2) << " " << centre.x << " " << centre.y << "\n";
    }
    auto& master = dynamic_cast<juce::Slider&> (masterStrip.getFader());
    const auto centre = master.getScreenBounds().getCentre();
    map << "fader master " << juce::String (master.getValue(), 2) << " " << centre.x << " " << centre.y << "\n";
    const auto target = midiLearn.learningTarget();
    map << "value midiLearning " << (target ? juce::String (target->toString()) : juce::String ("none")) << "\n";
}

} // namespace cuegrid
