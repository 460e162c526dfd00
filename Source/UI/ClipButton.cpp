// CueGrid — GPL-3.0-or-later
#include "ClipButton.h"

namespace cuegrid
{

ClipButton::ClipButton()
{
    setWantsKeyboardFocus (false);
    setMouseCursor (juce::MouseCursor::PointingHandCursor);
}

void ClipButton::setClip (int clipIndex, const juce::String& label, juce::Colour clipColour, char groupLetter,
                          bool mediaMissing, const juce::String& problem)
{
    clip = clipIndex;
    text = label;
    colour = clipColour;
    group = groupLetter;
    missing = mediaMissing;
    fileTooltip = problem;
    analysisBadge.clear();
    setTooltip (problem);
    repaint();
}

void ClipButton::setPlayState (bool isPlaying, double progress)
{
    if (isPlaying == playing && std::abs (progress - playProgress) < 0.002)
        return;
    playing = isPlaying;
    playProgress = progress;
    repaint();
}

void ClipButton::setAnalysis (const juce::String& badge, const juce::String& reason)
{
    if (badge == analysisBadge)
        return;
    analysisBadge = badge;
    setTooltip (reason.isEmpty() ? fileTooltip : fileTooltip + "\n" + reason);
    repaint();
}

void ClipButton::paint (juce::Graphics& g)
{
    const auto bounds = getLocalBounds().toFloat().reduced (3.0f);
    if (clip < 0)
    {
        g.setColour (juce::Colour (0xff2a2d31));
        g.fillRoundedRectangle (bounds, 6.0f);
        return;
    }

    const auto base = missing ? juce::Colour (0xff3a3a3a) : colour;
    g.setColour (playing ? base.brighter (0.35f) : base.darker (0.45f));
    g.fillRoundedRectangle (bounds, 6.0f);

    if (playing)
    {
        auto bar = bounds.reduced (6.0f).removeFromBottom (6.0f);
        g.setColour (juce::Colours::black.withAlpha (0.4f));
        g.fillRoundedRectangle (bar, 3.0f);
        g.setColour (juce::Colours::white);
        g.fillRoundedRectangle (bar.withWidth (bar.getWidth() * (float) juce::jlimit (0.0, 1.0, playProgress)), 3.0f);
        g.setColour (juce::Colours::white);
        g.drawRoundedRectangle (bounds, 6.0f, 2.5f);
    }
    if (missing)
    {
        g.setColour (juce::Colour (0xffe04040));
        g.drawRoundedRectangle (bounds, 6.0f, 2.0f);
    }

    auto content = bounds.reduced (8.0f, 6.0f).toNearestInt();
    auto header = content.removeFromTop (16);
    g.setColour (juce::Colours::white.withAlpha (0.85f));
    g.setFont (juce::Font (13.0f, juce::Font::bold));
    g.drawText (juce::String::charToString ((juce::juce_wchar) group), header.removeFromRight (16), juce::Justification::centredRight);
    if (missing)
    {
        g.setColour (juce::Colour (0xffff6060));
        g.drawText ("MISSING", header, juce::Justification::centredLeft);
    }
    else if (analysisBadge.isNotEmpty())
    {
        g.setColour (analysisBadge == "ERROR" ? juce::Colour (0xffff6060) : juce::Colours::white.withAlpha (0.7f));
        g.setFont (juce::Font (11.0f, juce::Font::bold));
        g.drawText (analysisBadge, header, juce::Justification::centredLeft);
    }
    g.setColour (missing ? juce::Colours::lightgrey : juce::Colours::white);
    g.setFont (juce::Font (15.0f, juce::Font::bold));
    g.drawFittedText (text, content.withTrimmedBottom (playing ? 8 : 0), juce::Justification::centred, 3);
}

void ClipButton::mouseDown (const juce::MouseEvent&)
{
    if (clip >= 0 && onFire)
        onFire (clip);
}

} // namespace cuegrid
