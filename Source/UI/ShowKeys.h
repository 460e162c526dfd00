// CueGrid — GPL-3.0-or-later
#pragma once

#include <juce_gui_basics/juce_gui_basics.h>

#include <algorithm>
#include <functional>
#include <vector>

namespace cuegrid
{

/** The show's keys, wherever keyboard focus is: Escape = STOP ALL, Shift+Escape = FADE ALL.
    A key goes first to the focused component's key listeners, so this listener is attached
    to every component that gets focus (a text box, a combo box, the Audio Settings window),
    to every top-level window, and (attachToModal(), from a timer) to an open pop-up menu,
    which takes keys while it is open: there, Escape closes the menu and stops all. Message
    thread. */
class ShowKeys final : public juce::KeyListener, private juce::FocusChangeListener
{
public:
    std::function<void()> onStopAll, onFadeAll;

    ShowKeys() { juce::Desktop::getInstance().addFocusChangeListener (this); }

    ~ShowKeys() override
    {
        juce::Desktop::getInstance().removeFocusChangeListener (this);
        for (auto& component : attached)
            if (component != nullptr)
                component->removeKeyListener (this);
    }

    void attach (juce::Component* component)
    {
        if (component == nullptr)
            return;
        attached.erase (std::remove_if (attached.begin(), attached.end(), [] (const auto& c) { return c == nullptr; }), attached.end());
        for (const auto& existing : attached)
            if (existing == component)
                return;
        component->addKeyListener (this);
        attached.emplace_back (component);
    }

    /** Attaches to the modal component in front (a pop-up menu), if any. */
    void attachToModal() { attach (juce::Component::getCurrentlyModalComponent()); }

    bool keyPressed (const juce::KeyPress& key, juce::Component*) override
    {
        if (key.getKeyCode() != juce::KeyPress::escapeKey)
            return false;
        const auto fade = key.getModifiers().isShiftDown();
        juce::PopupMenu::dismissAllActiveMenus();
        if (auto& action = fade ? onFadeAll : onStopAll)
            action();
        return true;
    }

private:
    void globalFocusChanged (juce::Component* focused) override { attach (focused); }

    std::vector<juce::Component::SafePointer<juce::Component>> attached;
};

} // namespace cuegrid
