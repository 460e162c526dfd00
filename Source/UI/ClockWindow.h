// CueGrid — GPL-3.0-or-later
// The clock panel (issue 12, "Operator's view"): the master timecode large, its source, lock
// state and rate; a table of every timecode source with its health (Ardour's transport-masters
// dialog as the model); the last clock events. And the clock's events into the event log and
// the status bar, whether the panel is open or not. docs/clock.md, "The clock panel".
#pragma once

#include "ToolWindow.h"

#include "Clock/ClockManager.h"
#include "Session/ClockPreferences.h"

#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace cuegrid
{

class ShowController;

/** The panel's content: painted from snapshots (ClockManager::getMaster, getHealth: seqlock
    reads, no locks) at ~10 Hz. Message thread. */
class ClockPanel : public ToolPanel
{
public:
    explicit ClockPanel (const ClockManager& manager);

    void update();                       // new snapshots, repaint
    void addEvent (const juce::String& text);
    void paint (juce::Graphics& g) override;
    void resized() override;

    /** The Settings row: shows `prefs`; Apply hands the edited ones to `onApply`, which stores
        and applies them and returns "" or why not (shown beside Apply). */
    void showPreferences (const ClockPreferences& prefs);
    std::function<juce::String (const ClockPreferences&)> onApply;
    /** "clockPriority", "clockFlywheel", "clockHold", "clockSlew", "clockQuality", "clockLtc",
        "clockLtcLatency", "clockReturn", "clockKeepOffset", "clockChaseRolls", "clockApply". */
    std::vector<std::pair<juce::String, juce::Component*>> getControls();
    /** UI map lines: "value clockMaster <tc>", "value clockSource <name>", "value clockState
        <state>", "value clockFps <fps>", "clocksource <row> <name>|<kind>|<state>|<position>|
        <deltaMs>|<ageMs>|<driftUs>|<jitterUs>|<stability>|<dropouts>" per source, and with an LTC
        input "value clockLtcLatency <samples in use> device|preference <device's report>". */
    juce::String describe() const;
    /** The LTC input's latency in use (EngineTimecode, since the last device start): `samples`
        subtracted, `fromDevice` (auto) or the preference, what the device reports; channel < 1: none. */
    void showLtcLatency (int channel, int64_t samples, bool fromDevice, int64_t deviceReports);

private:
    void apply();

    const ClockManager& manager;
    juce::TextEditor priority, flywheel, hold, slew, quality, ltc, ltcLatency;
    juce::ToggleButton returnToBetter { "Return to better" }, keepOffset { "Keep offset" }, chaseRolls { "Chase rolls on" };
    juce::TextButton applyButton { "Apply" };
    juce::String message;
    juce::String ltcLatencyText, ltcLatencyValue;        // the LTC input's latency in use: panel, UI map
    MasterTime master;
    std::vector<std::pair<int, SourceHealth>> sources;   // slot, health: the slots in use
    std::deque<juce::String> events;                     // newest first
};

/** Owns the panel's window and drains the clock manager's events (the one consumer): each goes
    to the event log (ClockJson) and, for failovers, takeovers, losses and disagreements, to the
    status bar through `notice`. Message thread. */
class ClockWindow : private juce::Timer
{
public:
    ClockWindow (ShowController& controller, std::function<void (const juce::String&)> notice);
    ~ClockWindow() override;

    /** Opens (or raises) the window at `topLeft`. */
    void open (juce::Point<int> topLeft);
    /** The window (nullptr until first opened), for the UI map ("window clock ..."). */
    juce::Component* getWindow() const noexcept { return window.get(); }
    juce::String describe() const { return panel != nullptr ? panel->describe() : juce::String(); }

    /** The clock manager's settings (priority, flywheel, hold, slew, quality...), applied at the
        next block; a device (re)start keeps them (ClockManager::prepare). */
    void setSettings (const ClockSettings& newSettings);

    /** This machine's clock preferences: their settings applied (setSettings) and shown in the
        panel's Settings row. */
    void setPreferences (const ClockPreferences& prefs);
    /** The panel's Apply: store the preferences (the app writes preferences.json); "" or why not. */
    std::function<juce::String (const ClockPreferences&)> onSave;
    std::vector<std::pair<juce::String, juce::Component*>> getControls()
    {
        return panel != nullptr ? panel->getControls() : std::vector<std::pair<juce::String, juce::Component*>>();
    }

private:
    void timerCallback() override;

    ShowController& controller;
    std::function<void (const juce::String&)> notice;
    std::optional<ClockSettings> settings;
    ClockPreferences preferences;
    ClockPanel* panel = nullptr;          // owned by window
    std::unique_ptr<ToolWindow> window;
};

} // namespace cuegrid
