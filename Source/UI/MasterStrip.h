// CueGrid — GPL-3.0-or-later
#pragma once

#include "FaderSlider.h"
#include "LevelMeter.h"
#include "Control/ShowController.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>

namespace cuegrid
{

/** The master strip: master fader (dB), the master's level meter after the limiter (peak,
    RMS, hold, clip indicator, dB scale), the limiter's gain reduction, loudness (EBU R 128
    momentary and short-term LUFS), the limiter's ceiling and latency, and a small meter of
    the Audition bus. Message thread. */
class MasterStrip final : public juce::Component
{
public:
    MasterStrip();

    void setGain (double gainDb);
    /** Follows the master level when MIDI or OSC moved it (not while the fader is held). */
    void followGain (double gainDb) { fader.follow (gainDb); }
    juce::Component& getFader() noexcept { return fader; }
    /** A right click on the fader (the MIDI learn menu). */
    std::function<void()> onMenu;
    void setLimiter (bool enabled, double ceilingDb, int latencySamples, double sampleRate);
    /** One UI frame of meters (ShowController::takeMeters), `seconds` after the last. */
    void showMeters (const ShowController::MeterReading& reading, double seconds);

    std::function<void (double gainDb)> onGainChanged;

    void paint (juce::Graphics&) override;
    void resized() override;

private:
    FaderSlider fader;
    LevelMeter meter { 2, true }, auditionMeter { 2, false };
    juce::Rectangle<int> reductionArea, readoutArea, auditionLabelArea;
    float reductionDb = 0.0f, shownReductionDb = 0.0f;
    float lufsMomentary = -200.0f, lufsShortTerm = -200.0f;
    juce::String limiterText;
};

} // namespace cuegrid
