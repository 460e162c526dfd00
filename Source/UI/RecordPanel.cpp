// CueGrid — GPL-3.0-or-later
#include "RecordPanel.h"

namespace cuegrid
{

namespace
{
    juce::String elapsedText (double seconds)
    {
        const auto total = (int) seconds;
        const auto hours = total / 3600, minutes = (total / 60) % 60, secs = total % 60;
        return hours > 0 ? juce::String::formatted ("%d:%02d:%02d", hours, minutes, secs)
                         : juce::String::formatted ("%02d:%02d", minutes, secs);
    }
}

RecordPanel::RecordPanel()
{
    for (int bus = 0; bus < 2; ++bus)
    {
        auto& b = buses[(size_t) bus];
        b.button.setButtonText (bus == 0 ? "REC A" : "REC B");
        b.button.setTooltip (juce::String ("Record ") + (bus == 0 ? "A" : "B")
                             + ": start or stop a take of its input pair (Audio Settings) into the session's Recordings folder");
        b.button.onClick = [this, bus] { if (onRecord) onRecord (bus, ! buses[(size_t) bus].recording); };
        b.time.setText ("--:--", juce::dontSendNotification);
        b.time.setJustificationType (juce::Justification::centredLeft);
        b.time.setFont (juce::Font (13.0f));
        b.meter.setTooltip ("Input level of the record bus (left, right)");
        addAndMakeVisible (b.button);
        addAndMakeVisible (b.meter);
        addAndMakeVisible (b.time);
    }
}

void RecordPanel::show (int bus, const ShowController::RecordState& state, double seconds)
{
    auto& b = buses[(size_t) bus];
    b.meter.setChannel (0, state.peakLeft, state.peakLeft, state.peakLeft, 0, seconds);
    b.meter.setChannel (1, state.peakRight, state.peakRight, state.peakRight, 0, seconds);
    if (state.recording != b.recording)
    {
        b.recording = state.recording;
        b.button.setColour (juce::TextButton::buttonColourId, b.recording ? juce::Colour (0xffc62828) : juce::Colour (0xff3a3a3a));
        b.button.setColour (juce::TextButton::textColourOffId, b.recording ? juce::Colours::white : juce::Colour (0xffe57373));
    }
    const bool anyTake = state.recording || ! state.file.empty();
    b.time.setText (anyTake ? elapsedText (state.elapsedSec) : juce::String ("--:--"), juce::dontSendNotification);
    b.time.setColour (juce::Label::textColourId, state.recording ? juce::Colour (0xffff5252) : juce::Colours::grey);
    b.button.setEnabled (state.recording || state.hasInputs);
    b.button.setTooltip (state.hasInputs || state.recording
                             ? (state.file.empty() ? juce::String ("Record ") + (bus == 0 ? "A" : "B") + ": start or stop a take"
                                                   : juce::String ("Last take: ") + juce::String (state.file))
                             : juce::String ("No input channels for Record ") + (bus == 0 ? "A" : "B") + " on this device (Audio Settings)");
}

void RecordPanel::resized()
{
    auto area = getLocalBounds();
    const auto busWidth = (area.getWidth() - 8) / 2;
    for (int bus = 0; bus < 2; ++bus)
    {
        auto part = area.removeFromLeft (busWidth);
        if (bus == 0)
            area.removeFromLeft (8);
        auto& b = buses[(size_t) bus];
        b.button.setBounds (part.removeFromLeft (juce::jmin (64, part.getWidth() / 2)));
        part.removeFromLeft (3);
        b.meter.setBounds (part.removeFromLeft (10));
        part.removeFromLeft (4);
        b.time.setBounds (part);
    }
}

} // namespace cuegrid
