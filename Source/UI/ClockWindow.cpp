// CueGrid — GPL-3.0-or-later
#include "ClockWindow.h"

#include "Clock/ClockJson.h"
#include "Control/ShowController.h"

#include <cmath>

namespace cuegrid
{

namespace
{
const juce::Colour textColour { 0xffe8e8e8 }, dimColour { 0xff9aa0a6 }, okColour { 0xff4caf50 },
    warnColour { 0xffffb300 }, badColour { 0xffe53935 };

/** `value` with `decimals` places (juce::String (double, 0) would print every digit), no "-0". */
juce::String fixed (double value, int decimals)
{
    const auto scale = std::pow (10.0, decimals);
    const auto rounded = std::round (value * scale) / scale;
    return decimals == 0 ? juce::String ((int64_t) rounded) : juce::String (rounded == 0.0 ? 0.0 : rounded, decimals);
}

juce::Colour stateColour (SourceState state)
{
    switch (state)
    {
        case SourceState::locked: return okColour;
        case SourceState::flywheel: return warnColour;
        case SourceState::lost: return badColour;
        case SourceState::none: break;
    }
    return dimColour;
}

juce::String fpsText (double fps, bool dropFrame)
{
    if (fps <= 0.0) return "-";
    if (fps > 29.9 && fps < 29.99) return dropFrame ? "29.97 DF" : "29.97";
    return juce::String ((int) std::lround (fps));
}

struct Column { const char* title; int width; };
const Column columns[] = { { "Source", 140 }, { "Type", 50 }, { "Format", 70 }, { "Position", 100 }, { "Delta ms", 70 },
                           { "Last msg", 74 }, { "State", 84 }, { "Drift us", 70 }, { "Jitter us", 70 },
                           { "Stability", 64 }, { "Dropouts", 64 } };
} // namespace

ClockPanel::ClockPanel (const ClockManager& m) : manager (m)
{
    for (auto* field : { &priority, &flywheel, &hold, &slew, &quality, &ltc, &ltcLatency })
    {
        field->setJustification (juce::Justification::centredLeft);
        addAndMakeVisible (*field);
    }
    for (auto* toggle : { &returnToBetter, &keepOffset, &chaseRolls })
        addAndMakeVisible (*toggle);
    addAndMakeVisible (applyButton);
    applyButton.onClick = [this] { apply(); };
    ltcLatency.setTooltip ("Samples from the LTC connector to CueGrid's input, subtracted from the decoded timecode; "
                           "auto: what the device reports (on JACK, one period even for a client connected straight in: use 0 then)");
    showPreferences ({});
}

void ClockPanel::showPreferences (const ClockPreferences& p)
{
    juce::StringArray order;
    for (auto kind : p.settings.priority)
        order.add (clockSourceKindName (kind));
    priority.setText (order.joinIntoString (", "), false);
    flywheel.setText (juce::String (p.settings.flywheelSeconds), false);
    hold.setText (juce::String (p.settings.holdSeconds), false);
    slew.setText (juce::String (p.settings.maxSlew * 100.0), false);
    quality.setText (juce::String (p.settings.qualityThreshold), false);
    ltc.setText (juce::String (p.ltcChannel), false);
    ltcLatency.setText (p.ltcLatency < 0 ? juce::String ("auto") : juce::String (p.ltcLatency), false);
    returnToBetter.setToggleState (p.settings.returnToBetter, juce::dontSendNotification);
    keepOffset.setToggleState (! p.settings.slewOffsetToZero, juce::dontSendNotification);
    chaseRolls.setToggleState (p.chaseKeepsRolling, juce::dontSendNotification);
}

void ClockPanel::apply()
{
    // Read through the same checks as preferences.json: a bad field is named and nothing changes.
    nlohmann::json json;
    json["priority"] = nlohmann::json::array();
    for (const auto& kind : juce::StringArray::fromTokens (priority.getText(), ", ", {}))
        if (kind.isNotEmpty())
            json["priority"].push_back (kind.toStdString());
    const auto number = [] (const juce::TextEditor& field) { return field.getText().trim().getDoubleValue(); };
    json["flywheelSeconds"] = number (flywheel);
    json["holdSeconds"] = number (hold);
    json["maxSlewPercent"] = number (slew);
    json["qualityThreshold"] = number (quality);
    json["ltcChannel"] = number (ltc);
    // "auto" (or empty) or whole samples; anything else goes to fromJson as typed, which names it.
    const auto latencyText = ltcLatency.getText().trim();
    if (latencyText.isEmpty() || latencyText.equalsIgnoreCase ("auto"))
        json["ltcLatency"] = "auto";
    else if (latencyText.containsOnly ("0123456789."))
        json["ltcLatency"] = latencyText.getDoubleValue();
    else
        json["ltcLatency"] = latencyText.toStdString();
    json["returnToBetter"] = returnToBetter.getToggleState();
    json["keepOffset"] = keepOffset.getToggleState();
    json["chaseKeepsRolling"] = chaseRolls.getToggleState();
    std::string problems;
    const auto prefs = ClockPreferences::fromJson (json, problems);
    if (! problems.empty())
        message = juce::String (problems);
    else
        message = onApply ? onApply (prefs) : juce::String ("not stored");
    if (message.isEmpty())
        message = "Applied";
    repaint();
}

std::vector<std::pair<juce::String, juce::Component*>> ClockPanel::getControls()
{
    return { { "clockPriority", &priority }, { "clockFlywheel", &flywheel }, { "clockHold", &hold }, { "clockSlew", &slew },
             { "clockQuality", &quality }, { "clockLtc", &ltc }, { "clockLtcLatency", &ltcLatency }, { "clockReturn", &returnToBetter },
             { "clockKeepOffset", &keepOffset }, { "clockChaseRolls", &chaseRolls }, { "clockApply", &applyButton } };
}

namespace
{
struct SettingField { const char* label; int labelWidth, fieldWidth; };
const SettingField settingFields[] = { { "Priority", 58, 170 }, { "Flywheel s", 70, 44 }, { "Hold s", 46, 44 },
                                       { "Max slew %", 76, 44 }, { "Quality", 52, 40 }, { "LTC input", 64, 36 } };
// The second row: the three toggles (420 px), "LTC latency" and its field, Apply, then the outcome.
constexpr int latencyLabelWidth = 80, latencyLabelX = 420, messageX = 420 + latencyLabelWidth + 50 + 10 + 80 + 10;
} // namespace

void ClockPanel::resized()
{
    auto area = getLocalBounds().reduced (12);
    auto second = area.removeFromBottom (26);
    auto first = area.removeFromBottom (26);
    juce::TextEditor* fields[] = { &priority, &flywheel, &hold, &slew, &quality, &ltc };
    for (size_t i = 0; i < std::size (fields); ++i)
    {
        first.removeFromLeft (settingFields[i].labelWidth);
        fields[i]->setBounds (first.removeFromLeft (settingFields[i].fieldWidth).reduced (0, 2));
        first.removeFromLeft (10);
    }
    returnToBetter.setBounds (second.removeFromLeft (150));
    keepOffset.setBounds (second.removeFromLeft (120));
    chaseRolls.setBounds (second.removeFromLeft (150));
    second.removeFromLeft (latencyLabelWidth);
    ltcLatency.setBounds (second.removeFromLeft (50).reduced (0, 2));
    second.removeFromLeft (10);
    applyButton.setBounds (second.removeFromLeft (80).reduced (0, 1));
}

void ClockPanel::update()
{
    master = manager.getMaster();
    sources.clear();
    for (int slot = 0; slot < ClockManager::maxSources; ++slot)
        if (auto health = manager.getHealth (slot); health.inUse)
            sources.emplace_back (slot, health);
    repaint();
}

void ClockPanel::addEvent (const juce::String& text)
{
    events.push_front (text);
    while (events.size() > 6)
        events.pop_back();
}

void ClockPanel::paint (juce::Graphics& g)
{
    ToolPanel::paint (g);
    auto area = getLocalBounds().reduced (12);
    const auto stateText = juce::String (masterStateName (master.state));
    const auto stateCol = master.state == MasterState::locked ? okColour : master.state == MasterState::flywheel ? warnColour : badColour;

    // The master: timecode large, then source, state and rate.
    auto top = area.removeFromTop (64);
    g.setColour (textColour);
    g.setFont (juce::Font (juce::Font::getDefaultMonospacedFontName(), 52.0f, juce::Font::bold));
    g.drawText (formatClockPosition (master.frames, master.fps, master.dropFrame), top.removeFromLeft (360), juce::Justification::centredLeft);
    g.setFont (16.0f);
    auto info = top.reduced (8, 6);
    g.drawText ("Source: " + juce::String (clockSourceName (manager, master.activeSource)) + " (" + clockSourceKindName (master.activeKind) + ")",
                info.removeFromTop (18), juce::Justification::centredLeft);
    g.setColour (stateCol);
    g.drawText ("State: " + stateText + "    " + fpsText (master.fps, master.dropFrame) + " fps", info.removeFromTop (18), juce::Justification::centredLeft);
    g.setColour (dimColour);
    g.drawText ("Failovers " + juce::String (master.failovers) + ", takeovers " + juce::String (master.takeovers) + ", offset "
                    + fixed (master.offsetSeconds * 1000.0, 2) + " ms, speed " + fixed (master.speed, 4),
                info.removeFromTop (18), juce::Justification::centredLeft);
    area.removeFromTop (10);

    // The sources.
    g.setFont (13.0f);
    auto header = area.removeFromTop (20);
    g.setColour (dimColour);
    for (const auto& c : columns)
        g.drawText (c.title, header.removeFromLeft (c.width), juce::Justification::centredLeft);
    g.drawHorizontalLine (area.getY(), (float) area.getX(), (float) area.getRight());
    if (sources.empty())
    {
        g.drawText ("No timecode source: the master free-runs on the system clock.", area.removeFromTop (22), juce::Justification::centredLeft);
    }
    for (const auto& [slot, h] : sources)
    {
        auto row = area.removeFromTop (22);
        if (h.active)
        {
            g.setColour (juce::Colour (0xff2f3a45));
            g.fillRect (row);
        }
        const bool hasLine = h.state != SourceState::none && h.fps > 0.0;
        // −1 is "never"; a stamp placed a little after the block start gives a small negative age.
        const auto ageText = h.lastMessageAgeSeconds <= -0.5 ? juce::String ("never")
                           : h.lastMessageAgeSeconds < 0.0  ? juce::String ("0 ms")
                           : h.lastMessageAgeSeconds < 10.0 ? fixed (h.lastMessageAgeSeconds * 1000.0, 0) + " ms"
                                                            : fixed (h.lastMessageAgeSeconds, 0) + " s";
        const juce::String cells[] = {
            juce::String (h.name) + (h.active ? "  *" : ""),
            clockSourceKindName (h.kind),
            fpsText (h.fps, h.dropFrame),
            hasLine ? juce::String (formatClockPosition (h.positionFrames, h.fps, h.dropFrame)) : juce::String ("--:--:--:--"),
            hasLine && master.everLocked ? fixed (sourceOffsetFromMaster (h, master) * 1000.0, 2) : juce::String ("-"),
            ageText,
            ! h.available ? juce::String ("unavailable") : juce::String (sourceStateName (h.state)),
            fixed (h.driftUs, 1),
            fixed (h.jitterUs, 1),
            juce::String (h.stability),
            juce::String (h.dropouts) };
        for (size_t i = 0; i < std::size (columns); ++i)
        {
            auto cell = row.removeFromLeft (columns[i].width);
            auto colour = textColour;
            if (i == 6) colour = h.available ? stateColour (h.state) : badColour;
            if (i == 7 && h.driftWarning) colour = warnColour;   // > 100 us
            if (i == 4 && h.differentTime) colour = badColour;   // another time than its peers
            if (i == 9) colour = h.healthy ? okColour : h.validated ? warnColour : dimColour;
            g.setColour (colour);
            g.drawText (cells[i], cell, juce::Justification::centredLeft);
        }
    }
    area.removeFromTop (12);
    g.setColour (dimColour);
    g.drawText ("Clock events", area.removeFromTop (18), juce::Justification::centredLeft);
    g.setColour (textColour);
    auto settingsArea = getLocalBounds().reduced (12).removeFromBottom (52);
    for (const auto& text : events)
        if (area.getY() + 18 <= settingsArea.getY() - 22)
            g.drawText (text, area.removeFromTop (18), juce::Justification::centredLeft);

    // The Settings rows: labels before the fields, the last Apply's outcome after the button.
    g.setColour (dimColour);
    g.drawText ("Settings (this machine)", settingsArea.getX(), settingsArea.getY() - 20, 300, 18, juce::Justification::centredLeft);
    g.drawText (ltcLatencyText, settingsArea.getX() + 200, settingsArea.getY() - 20, settingsArea.getWidth() - 200, 18,
                juce::Justification::centredLeft);
    auto first = settingsArea.removeFromTop (26);
    for (const auto& f : settingFields)
    {
        g.drawText (f.label, first.removeFromLeft (f.labelWidth), juce::Justification::centredLeft);
        first.removeFromLeft (f.fieldWidth + 10);
    }
    g.drawText ("LTC latency", settingsArea.withTrimmedLeft (latencyLabelX).withWidth (latencyLabelWidth), juce::Justification::centredLeft);
    g.setColour (message == "Applied" ? okColour : warnColour);
    g.drawText (message, settingsArea.withTrimmedLeft (messageX), juce::Justification::centredLeft);
}

juce::String ClockPanel::describe() const
{
    juce::String text;
    text << "value clockMaster " << formatClockPosition (master.frames, master.fps, master.dropFrame) << "\n"
         << "value clockSource " << clockSourceName (manager, master.activeSource) << "\n"
         << "value clockState " << masterStateName (master.state) << "\n"
         << "value clockFps " << fpsText (master.fps, master.dropFrame) << "\n";
    if (ltcLatencyValue.isNotEmpty())
        text << "value clockLtcLatency " << ltcLatencyValue << "\n";
    int row = 0;
    for (const auto& [slot, h] : sources)
    {
        const bool hasLine = h.state != SourceState::none && h.fps > 0.0;
        text << "clocksource " << row++ << " " << h.name << "|" << clockSourceKindName (h.kind) << "|"
             << (h.available ? sourceStateName (h.state) : "unavailable") << "|"
             << (hasLine ? formatClockPosition (h.positionFrames, h.fps, h.dropFrame) : std::string ("--:--:--:--")) << "|"
             << (hasLine && master.everLocked ? fixed (sourceOffsetFromMaster (h, master) * 1000.0, 2) : juce::String ("-")) << "|"
             << fixed (h.lastMessageAgeSeconds * 1000.0, 0) << "|" << fixed (h.driftUs, 1) << "|" << fixed (h.jitterUs, 1) << "|"
             << h.stability << "|" << (int) h.dropouts << "\n";
    }
    return text;
}

void ClockPanel::showLtcLatency (int channel, int64_t samples, bool fromDevice, int64_t deviceReports)
{
    const auto value = channel < 1 ? juce::String()
                                   : juce::String (samples) + (fromDevice ? " device " : " preference ") + juce::String (deviceReports);
    if (value == ltcLatencyValue)
        return;
    ltcLatencyValue = value;
    ltcLatencyText = channel < 1 ? juce::String ("No LTC input")
                   : "LTC input " + juce::String (channel) + ": " + juce::String (samples) + " samples of latency subtracted ("
                         + (fromDevice ? "auto: the device's report" : "set here; the device reports " + juce::String (deviceReports)) + ")";
    repaint();
}

ClockWindow::ClockWindow (ShowController& c, std::function<void (const juce::String&)> n) : controller (c), notice (std::move (n))
{
    startTimerHz (10);
}

ClockWindow::~ClockWindow() { stopTimer(); }

void ClockWindow::open (juce::Point<int> topLeft)
{
    if (window == nullptr)
    {
        panel = new ClockPanel (controller.getTimecode().getManager());
        panel->setSize (940, 460);
        panel->showPreferences (preferences);
        panel->onApply = [this] (const ClockPreferences& prefs) -> juce::String
        {
            const auto why = onSave ? onSave (prefs) : juce::String();
            if (why.isEmpty())
                setPreferences (prefs);
            return why;
        };
        window = std::make_unique<ToolWindow> ("Clock", panel, juce::Point<int> (600, 240));
    }
    panel->update();
    window->showInFront (topLeft);
}

void ClockWindow::setSettings (const ClockSettings& newSettings)
{
    settings = newSettings;
    controller.getTimecode().getManager().setSettings (newSettings);
}

void ClockWindow::setPreferences (const ClockPreferences& prefs)
{
    preferences = prefs;
    setSettings (prefs.settings);
    controller.setChaseKeepsRolling (prefs.chaseKeepsRolling);   // a new trigger table for the engine
    // The latency before the channel: when both change, the device reopens once, with both.
    if (const auto why = controller.setLtcInputLatency (prefs.ltcLatency); ! why.empty() && notice)
        notice ("LTC latency: " + juce::String (why));
    if (const auto why = controller.setLtcInputChannel (prefs.ltcChannel); ! why.empty() && notice)   // a change reopens the device
        notice ("LTC input " + juce::String (prefs.ltcChannel) + ": " + juce::String (why));
    if (panel != nullptr)
        panel->showPreferences (prefs);
}

void ClockWindow::timerCallback()
{
    auto& manager = controller.getTimecode().getManager();
    ClockEvent event;
    while (manager.popEvent (event))
    {
        controller.writeEventLog (clockEventJson (event, manager));
        const auto text = juce::String (describeClockEvent (event, manager));
        if (panel != nullptr)
            panel->addEvent (text);
        using T = ClockEvent::Type;
        if (notice && (event.type == T::failover || event.type == T::takeover || event.type == T::sourceLost
                       || event.type == T::peerDisagreement || event.type == T::relocate))
            notice (text);
    }
    if (window != nullptr && window->isVisible())
    {
        auto& timecode = controller.getTimecode();
        panel->showLtcLatency (timecode.getLtcInputChannel() + 1, timecode.getLtcInputLatency(), timecode.isLtcLatencyAuto(),
                               timecode.getDeviceInputLatency());
        panel->update();
    }
}

} // namespace cuegrid
