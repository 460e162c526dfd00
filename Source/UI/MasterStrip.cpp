// CueGrid — GPL-3.0-or-later
#include "MasterStrip.h"

namespace cuegrid
{

namespace
{
    constexpr float reductionRangeDb = 12.0f;   // the gain reduction bar's full height

    juce::String lufsText (float lufs)
    {
        return lufs <= -70.0f ? juce::String::fromUTF8 ("\xe2\x80\x93\xe2\x80\x93.\xe2\x80\x93") : juce::String (lufs, 1);
    }
}

MasterStrip::MasterStrip()
{
    fader.setRange (-60.0, 12.0, 0.1);
    fader.setSkewFactorFromMidPoint (-12.0);
    fader.setDoubleClickReturnValue (true, 0.0);
    fader.setTextValueSuffix (" dB");
    fader.setTextBoxStyle (juce::Slider::TextBoxBelow, false, 64, 20);
    fader.setTooltip ("Master gain, dB (double-click: 0 dB; right click: MIDI learn)");
    fader.onMenu = [this] { if (onMenu) onMenu(); };
    fader.setWantsKeyboardFocus (false);
    fader.onValueChange = [this] { if (onGainChanged) onGainChanged (fader.getValue()); };
    addAndMakeVisible (fader);
    addAndMakeVisible (meter);
    auditionMeter.setTooltip ("Audition bus (preview). Click to reset its clip indicators.");
    addAndMakeVisible (auditionMeter);
}

void MasterStrip::setGain (double gainDb)
{
    fader.setValue (gainDb, juce::dontSendNotification);
}

void MasterStrip::setLimiter (bool enabled, double ceilingDb, int latencySamples, double sampleRate)
{
    const auto latencyMs = sampleRate > 0 ? 1000.0 * latencySamples / sampleRate : 0.0;
    auto text = enabled ? "LIMIT " + juce::String (ceilingDb, 1) + " dBFS" : juce::String ("LIMITER OFF");
    text << "\nlatency " << juce::String (latencyMs, 2) << " ms";
    if (text != limiterText)
    {
        limiterText = text;
        repaint (readoutArea);
    }
}

void MasterStrip::showMeters (const ShowController::MeterReading& reading, double seconds)
{
    const auto& snapshot = reading.snapshot;
    constexpr int master = 2 * groupCount + 2, audition = 2 * groupCount;
    for (int channel = 0; channel < 2; ++channel)
    {
        meter.setChannel (channel, reading.peaks[(size_t) (master + channel)], snapshot.rms[(size_t) (master + channel)],
                          snapshot.peakHold[(size_t) (master + channel)], snapshot.clips[(size_t) (master + channel)], seconds);
        auditionMeter.setChannel (channel, reading.peaks[(size_t) (audition + channel)], snapshot.rms[(size_t) (audition + channel)],
                                  snapshot.peakHold[(size_t) (audition + channel)], snapshot.clips[(size_t) (audition + channel)], seconds);
    }
    // Gain reduction: instant attack, a 20 dB/s return, so a short grab stays visible.
    reductionDb = std::max (reading.gainReductionDb, reductionDb - (float) (20.0 * seconds));
    const auto momentary = std::round (snapshot.lufsMomentary * 10.0f) / 10.0f, shortTerm = std::round (snapshot.lufsShortTerm * 10.0f) / 10.0f;
    if (std::abs (reductionDb - shownReductionDb) > 0.05f || momentary != lufsMomentary || shortTerm != lufsShortTerm)
    {
        shownReductionDb = reductionDb;
        lufsMomentary = momentary;
        lufsShortTerm = shortTerm;
        repaint (reductionArea.getUnion (readoutArea));
    }
}

void MasterStrip::paint (juce::Graphics& g)
{
    g.setColour (juce::Colour (0xff24282d));
    g.fillRoundedRectangle (getLocalBounds().toFloat().reduced (1.0f), 5.0f);
    g.setColour (juce::Colour (0xff4a90d9));
    g.drawRoundedRectangle (getLocalBounds().toFloat().reduced (1.5f), 5.0f, 1.0f);
    g.setColour (juce::Colours::white);
    g.setFont (juce::Font (17.0f, juce::Font::bold));
    g.drawText ("MASTER", getLocalBounds().removeFromTop (26), juce::Justification::centred);

    // Limiter gain reduction: a bar growing down from the top, 0 … 12 dB.
    g.setColour (juce::Colour (0xff0b0d0f));
    g.fillRect (reductionArea);
    const auto fraction = juce::jlimit (0.0f, 1.0f, shownReductionDb / reductionRangeDb);
    g.setColour (juce::Colour (0xffff9f0a));
    g.fillRect (reductionArea.withHeight (juce::roundToInt ((float) reductionArea.getHeight() * fraction)));
    g.setColour (juce::Colours::white.withAlpha (0.6f));
    g.setFont (juce::Font (10.0f, juce::Font::bold));
    g.drawText ("GR", reductionArea.withHeight (14).translated (0, -15).withSizeKeepingCentre (18, 14), juce::Justification::centred);
    g.drawText ("PFL", auditionLabelArea, juce::Justification::centred);

    auto readout = readoutArea;
    auto row = [&] (const juce::String& label, const juce::String& value, juce::Colour colour)
    {
        auto line = readout.removeFromTop (20);
        g.setColour (juce::Colours::white.withAlpha (0.55f));
        g.setFont (juce::Font (12.0f));
        g.drawText (label, line.removeFromLeft (46), juce::Justification::centredLeft);
        g.setColour (colour);
        g.setFont (juce::Font (juce::Font::getDefaultMonospacedFontName(), 15.0f, juce::Font::bold));
        g.drawText (value, line, juce::Justification::centredRight);
    };
    row ("LUFS M", lufsText (lufsMomentary), juce::Colours::white);
    row ("LUFS S", lufsText (lufsShortTerm), juce::Colours::white);
    row ("GR dB", shownReductionDb >= 0.05f ? "-" + juce::String (shownReductionDb, 1) : juce::String ("0.0"),
         shownReductionDb >= 0.05f ? juce::Colour (0xffff9f0a) : juce::Colours::white);
    g.setColour (juce::Colours::white.withAlpha (0.55f));
    g.setFont (juce::Font (11.0f));
    g.drawFittedText (limiterText, readout.reduced (0, 2), juce::Justification::centred, 2);
}

void MasterStrip::resized()
{
    auto area = getLocalBounds().reduced (6);
    area.removeFromTop (24);
    readoutArea = area.removeFromBottom (92);
    area.removeFromBottom (4);
    auto meters = area.removeFromRight (90);
    auto auditionColumn = meters.removeFromRight (14);
    auditionLabelArea = auditionColumn.removeFromTop (14).withSizeKeepingCentre (28, 14);
    auditionMeter.setBounds (auditionColumn.withTrimmedBottom (24));
    meters.removeFromRight (4);
    auto reduction = meters.removeFromRight (16);
    reductionArea = reduction.withTrimmedTop (24).withHeight (juce::jmax (40, reduction.getHeight() / 3));
    meters.removeFromRight (3);
    meter.setBounds (meters.withTrimmedBottom (24));
    fader.setBounds (area);
}

} // namespace cuegrid
