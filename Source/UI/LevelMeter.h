// CueGrid — GPL-3.0-or-later
#pragma once

#include <juce_gui_basics/juce_gui_basics.h>

#include <array>
#include <cstdint>

namespace cuegrid
{

/** A vertical bar meter for one or two channels on an IEC 60268-18 scale (−60 … 0 dBFS),
    fed from the engine's meters (ShowController::takeMeters): the sample peak (falling at
    20 dB/s so it stays readable), RMS over 300 ms (the solid bar inside it), the peak hold
    (a line) and a clip indicator per channel that stays lit until the meter is clicked.
    With a scale, dB marks are drawn on its left. Message thread. */
class LevelMeter final : public juce::Component, public juce::SettableTooltipClient
{
public:
    explicit LevelMeter (int numChannels = 2, bool withScale = true);

    /** Channel `channel`'s values: `peak` the highest sample since the last update, `rms`
        and `hold` (linear), `clipCount` the engine's running count of samples at or above
        0 dBFS; `seconds` since the last update (for the peak's fall). */
    void setChannel (int channel, float peak, float rms, float hold, uint32_t clipCount, double seconds);

    /** Shows or hides the dB scale (a narrow strip drops it). */
    void setScaleVisible (bool visible);
    bool isScaleVisible() const noexcept { return scale; }

    /** A clip since the last reset (the indicator is lit). */
    bool isClipped (int channel) const noexcept;
    void resetClips();

    /** Fraction of the meter's height (0 … 1) for a level in dBFS, IEC 60268-18 deflection. */
    static float deflection (float decibels) noexcept;
    static float toDecibels (float linear) noexcept { return linear > 1.0e-6f ? 20.0f * std::log10 (linear) : -120.0f; }

    void paint (juce::Graphics&) override;
    void mouseDown (const juce::MouseEvent&) override;

private:
    juce::Rectangle<float> barArea() const;

    const int channels;
    bool scale;
    std::array<float, 2> peakDb { -120.0f, -120.0f }, rmsDb { -120.0f, -120.0f }, holdDb { -120.0f, -120.0f };
    std::array<uint32_t, 2> clips {}, clipsAtReset {};
};

} // namespace cuegrid
