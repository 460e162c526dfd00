// CueGrid — GPL-3.0-or-later
#include "LevelMeter.h"

#include <tuple>

namespace cuegrid
{

namespace
{
    constexpr float scaleWidth = 22.0f, clipHeight = 7.0f, fallDbPerSecond = 20.0f;
    const juce::Colour background (0xff0b0d0f), green (0xff2fd05a), yellow (0xffe8c62a), red (0xffff3b30);
}

LevelMeter::LevelMeter (int numChannels, bool withScale) : channels (juce::jlimit (1, 2, numChannels)), scale (withScale)
{
    setTooltip ("Peak (light), RMS 300 ms (solid), peak hold (line). Click to reset the clip indicators.");
    setRepaintsOnMouseActivity (false);
}

float LevelMeter::deflection (float db) noexcept
{
    float percent;
    if (db < -70.0f) percent = 0.0f;
    else if (db < -60.0f) percent = (db + 70.0f) * 0.25f;
    else if (db < -50.0f) percent = (db + 60.0f) * 0.5f + 2.5f;
    else if (db < -40.0f) percent = (db + 50.0f) * 0.75f + 7.5f;
    else if (db < -30.0f) percent = (db + 40.0f) * 1.5f + 15.0f;
    else if (db < -20.0f) percent = (db + 30.0f) * 2.0f + 30.0f;
    else percent = (db + 20.0f) * 2.5f + 50.0f;
    return juce::jlimit (0.0f, 1.0f, percent / 100.0f);
}

void LevelMeter::setChannel (int channel, float peak, float rms, float hold, uint32_t clipCount, double seconds)
{
    if (channel < 0 || channel >= channels)
        return;
    const auto c = (size_t) channel;
    const auto before = std::make_tuple (peakDb[c], rmsDb[c], holdDb[c], isClipped (channel));
    peakDb[c] = std::max (toDecibels (peak), peakDb[c] - (float) (fallDbPerSecond * seconds));
    rmsDb[c] = toDecibels (rms);
    holdDb[c] = std::max (toDecibels (hold), peakDb[c]);
    if (clipCount < clipsAtReset[c])
        clipsAtReset[c] = 0;  // the engine restarted (a new device): its count began again
    clips[c] = clipCount;
    if (before != std::make_tuple (peakDb[c], rmsDb[c], holdDb[c], isClipped (channel)))
        repaint();
}

void LevelMeter::setScaleVisible (bool visible)
{
    if (visible == scale)
        return;
    scale = visible;
    repaint();
}

bool LevelMeter::isClipped (int channel) const noexcept
{
    return channel >= 0 && channel < channels && clips[(size_t) channel] > clipsAtReset[(size_t) channel];
}

void LevelMeter::resetClips()
{
    clipsAtReset = clips;
    repaint();
}

void LevelMeter::mouseDown (const juce::MouseEvent&)
{
    resetClips();
}

juce::Rectangle<float> LevelMeter::barArea() const
{
    auto area = getLocalBounds().toFloat();
    if (scale)
        area.removeFromLeft (scaleWidth);
    area.removeFromTop (clipHeight + 2.0f);
    return area;
}

void LevelMeter::paint (juce::Graphics& g)
{
    const auto bars = barArea();
    const auto top = bars.getY(), height = bars.getHeight();
    auto yFor = [&] (float db) { return top + height * (1.0f - deflection (db)); };

    if (scale)
    {
        g.setFont (juce::Font (10.0f));
        for (float db : { 0.0f, -3.0f, -6.0f, -10.0f, -20.0f, -30.0f, -40.0f, -60.0f })
        {
            const auto y = yFor (db);
            g.setColour (juce::Colours::white.withAlpha (db == 0.0f ? 0.85f : 0.55f));
            g.drawText (juce::String ((int) -db), juce::Rectangle<float> (0.0f, y - 6.0f, scaleWidth - 4.0f, 12.0f),
                        juce::Justification::centredRight, false);
            g.setColour (juce::Colours::white.withAlpha (0.3f));
            g.drawHorizontalLine (juce::roundToInt (y), scaleWidth - 3.0f, scaleWidth);
        }
    }

    g.setColour (background);
    g.fillRect (bars);
    const auto gradient = [&]
    {
        juce::ColourGradient fill (red, 0.0f, yFor (0.0f), green, 0.0f, bars.getBottom(), false);
        fill.addColour (1.0f - deflection (-6.0f), yellow);
        fill.addColour (1.0f - deflection (-18.0f), green);
        return fill;
    }();

    const auto width = bars.getWidth() / (float) channels;
    for (int channel = 0; channel < channels; ++channel)
    {
        const auto c = (size_t) channel;
        const auto column = juce::Rectangle<float> (bars.getX() + width * (float) channel, top, width, height).reduced (1.0f, 0.0f);
        auto barTo = [&] (float db) { return column.withTop (yFor (db)); };
        g.setGradientFill (gradient);
        g.setOpacity (0.45f);
        g.fillRect (barTo (peakDb[c]));
        g.setOpacity (1.0f);
        g.fillRect (barTo (rmsDb[c]));
        if (holdDb[c] > -60.0f)
        {
            g.setColour (holdDb[c] >= -0.1f ? red : juce::Colours::white.withAlpha (0.9f));
            g.fillRect (column.withTop (yFor (holdDb[c]) - 1.0f).withHeight (2.0f));
        }
        const auto lamp = juce::Rectangle<float> (column.getX(), 0.0f, column.getWidth(), clipHeight);
        g.setColour (isClipped (channel) ? red : juce::Colour (0xff3a1614));
        g.fillRect (lamp);
    }

    g.setColour (juce::Colours::white.withAlpha (0.12f));
    for (float db : { -6.0f, -20.0f, -40.0f })
        g.drawHorizontalLine (juce::roundToInt (yFor (db)), bars.getX(), bars.getRight());
}

} // namespace cuegrid
