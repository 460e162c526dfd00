// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/KeyMap.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cuegrid
{

/** The show's keys, wherever keyboard focus is: the global keymap (Escape = STOP ALL,
    Shift+Escape = FADE ALL, …) and the clips' hotkeys, resolved by a KeyMap (scopes, conflicts,
    one fire per held key, gate release on key up, debounce).
    A key goes first to the focused component's key listeners, so this listener is attached
    to every component that gets focus (a text box, a combo box, the Audio Settings window),
    to every top-level window, and (attachToModal(), from a timer) to an open pop-up menu,
    which takes keys while it is open: there, Escape closes the menu and stops all.
    A focused text box keeps its typing and editing keys (printable characters, Backspace,
    Delete, Return, Tab, arrows, Home, End, Ctrl+A/C/V/X/Z/Y): typing a label never fires a
    clip; F-keys, Escape, PageUp/PageDown and other Ctrl chords still reach the show.
    Message thread. */
class ShowKeys final : public juce::KeyListener, private juce::FocusChangeListener, private juce::Timer
{
public:
    /** What a key asks for (a clip fire, a gate release, a global action), with its arrival time
        (juce::Time::getMillisecondCounterHiRes(), ms). Set by the app. */
    std::function<void (const KeyCommand&, double arrivalMs)> onCommand;
    /** The page shown (the focused view's), for page-scoped hotkeys. */
    std::function<int()> shownPage;

    /** While set (the keymap window's "press a key"), every key goes here first; true = taken. */
    std::function<bool (const juce::KeyPress&)> capture;

    KeyMap& getKeyMap() noexcept { return keyMap; }

    /** True when a focused text box keeps this key (see the class comment). */
    static bool keptByTextBox (const KeyChord& chord)
    {
        if (chord.isPrintable())
            return true;
        static const char* const editing[] = { "Backspace", "Delete", "Return", "Left", "Right", "Up", "Down", "Home", "End", "Insert" };
        for (const auto* name : editing)
            if (chord.key == name && ! chord.alt)
                return true;
        if (chord.key == "Tab" && ! chord.ctrl)
            return true;
        return chord.ctrl && ! chord.alt && (chord.key == "A" || chord.key == "C" || chord.key == "V" || chord.key == "X" || chord.key == "Z" || chord.key == "Y");
    }

    /** The KeyChord of a JUCE key press (nullopt for keys the keymap cannot name, e.g. the numpad). */
    static std::optional<KeyChord> chordOf (const juce::KeyPress& key)
    {
        auto chord = KeyChord::parse (key.getTextDescription().toStdString());
        if (! chord)
        {
            // Printable keys JUCE describes by their character only.
            const auto c = key.getTextCharacter();
            if (c > ' ' && c < 127)
                chord = KeyChord::parse (std::string (1, (char) c));
            if (chord)
            {
                const auto mods = key.getModifiers();
                chord->ctrl = mods.isCtrlDown();
                chord->alt = mods.isAltDown();
                chord->shift = mods.isShiftDown();
            }
        }
        return chord;
    }

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
        if (capture && capture (key))
            return true;
        const auto now = juce::Time::getMillisecondCounterHiRes();
        const auto chord = chordOf (key);
        if (! chord)
            return false;
        if (dynamic_cast<juce::TextEditor*> (juce::Component::getCurrentlyFocusedComponent()) != nullptr && keptByTextBox (*chord))
            return false;
        const auto page = shownPage ? shownPage() : 0;
        const bool repeat = heldCodes.count (chord->key) != 0;
        if (! repeat && ! keyMap.resolve (*chord, page))
            return false;   // not the show's key: the component's own handling (I, Ctrl+S …) runs
        heldCodes[chord->key] = key.getKeyCode();
        upTicks.erase (chord->key);
        if (! isTimerRunning())
            startTimer (20);
        for (const auto& command : keyMap.keyDown (*chord, page, now))
        {
            if (command.kind == KeyCommand::Kind::action
                && (command.action == KeyAction::stopAll || command.action == KeyAction::fadeAll || command.action == KeyAction::panic))
                juce::PopupMenu::dismissAllActiveMenus();
            if (onCommand)
                onCommand (command, now);
        }
        return true;   // a repeat of a show key is swallowed too
    }

    /** Key up. X auto-repeat sends a release and a press together for every repeat, so a
        release counts only when the key is still up 20 ms later, twice in a row (a gate's stop
        comes 20-40 ms after the key up); the same poll catches a release the window missed. */
    bool keyStateChanged (bool isKeyDown, juce::Component*) override
    {
        if (! isKeyDown && ! heldCodes.empty() && ! isTimerRunning())
            startTimer (20);
        return false;
    }

private:
    void globalFocusChanged (juce::Component* focused) override { attach (focused); }

    void timerCallback() override
    {
        const auto now = juce::Time::getMillisecondCounterHiRes();
        for (auto it = heldCodes.begin(); it != heldCodes.end();)
        {
            if (juce::KeyPress::isKeyCurrentlyDown (it->second))
            {
                upTicks.erase (it->first);
                ++it;
                continue;
            }
            if (++upTicks[it->first] < 2)
            {
                ++it;
                continue;
            }
            upTicks.erase (it->first);
            for (const auto& command : keyMap.keyUp (it->first))
                if (onCommand)
                    onCommand (command, now);
            it = heldCodes.erase (it);
        }
        if (heldCodes.empty())
            stopTimer();
    }

    std::vector<juce::Component::SafePointer<juce::Component>> attached;
    KeyMap keyMap;
    std::map<std::string, int> heldCodes;   // held key name → the JUCE key code to poll for its release
    std::map<std::string, int> upTicks;     // held key name → polls in a row that found it up
};

} // namespace cuegrid
