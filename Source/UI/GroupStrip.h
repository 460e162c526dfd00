// CueGrid — GPL-3.0-or-later
#pragma once

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>

namespace cuegrid
{

/** A stereo peak meter with a dB scale, fed linear peaks from the engine's meter events,
    with a 20 dB/s fall-back so peaks stay readable. Message thread. */
class PeakMeter final : public juce::Component
{
public:
    void pushPeaks (float left, float right, double secondsSinceLast);
    void paint (juce::Graphics&) override;

private:
    static float toDecibels (float linear) { return linear > 0 ? 20.0f * std::log10 (linear) : -100.0f; }
    float levels[2] { -100.0f, -100.0f };
};

/** A Clip Group's channel strip: name, gain fader (dB), mute, peak meter. Message thread. */
class GroupStrip final : public juce::Component
{
public:
    explicit GroupStrip (char groupLetter);

    void setState (double gainDb, bool muted);
    PeakMeter& getMeter() noexcept { return meter; }
    juce::Button& getMuteButton() noexcept { return mute; }

    std::function<void (double gainDb)> onGainChanged;
    std::function<void (bool muted)> onMuteChanged;

    void paint (juce::Graphics&) override;
    void resized() override;

private:
    char letter;
    juce::Slider fader { juce::Slider::LinearVertical, juce::Slider::TextBoxBelow };
    juce::TextButton mute { "M" };
    PeakMeter meter;
};

} // namespace cuegrid
