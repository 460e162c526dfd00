// CueGrid — GPL-3.0-or-later
#include "ClipButton.h"

namespace cuegrid
{

namespace
{
    const juce::Colour pauseColour (0xffffc02e), fadeColour (0xffff7a1a), loopColour (0xff6fd3ff), auditionColour (0xff4a90d9);

    juce::String infinity() { return juce::String::fromUTF8 ("\xe2\x88\x9e"); }
    juce::String times() { return juce::String::fromUTF8 ("\xc3\x97"); }

    bool sameDisplay (const ShowController::ClipState& a, const ShowController::ClipState& b)
    {
        // Tenths of a second are what the button shows; a 30 Hz timer need not repaint more.
        auto tenths = [] (double seconds) { return seconds < 0 ? -1 : (int64_t) std::floor (seconds * 10.0); };
        return a.playing == b.playing && a.fading == b.fading && a.fadingIn == b.fadingIn && a.paused == b.paused
               && a.looping == b.looping && a.auditioning == b.auditioning && a.loopsLeft == b.loopsLeft
               && a.voices == b.voices && tenths (a.elapsedSec) == tenths (b.elapsedSec)
               && tenths (a.remainingSec) == tenths (b.remainingSec) && std::abs (a.progress - b.progress) < 0.002
               && std::abs (a.fadeLeft - b.fadeLeft) < 0.01;
    }
}

ClipButton::ClipButton()
{
    setWantsKeyboardFocus (false);
    setMouseCursor (juce::MouseCursor::PointingHandCursor);
}

void ClipButton::setLoading (bool isLoading)
{
    if (loading == isLoading)
        return;
    loading = isLoading;
    repaint();
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
    analysisReason.clear();
    timecode.clear();
    chase = false;
    updateTooltip();
    repaint();
}

void ClipButton::setMediaWarning (const juce::String& warning, const juce::String& why)
{
    if (warning == mediaWarning && why == mediaWarningWhy)
        return;
    mediaWarning = warning;
    mediaWarningWhy = why;
    updateTooltip();
    repaint();
}

void ClipButton::setTimecode (const juce::String& label, bool chases)
{
    if (label == timecode && chases == chase)
        return;
    timecode = label;
    chase = chases;
    updateTooltip();
    repaint();
}

juce::String ClipButton::describeTimecode() const
{
    return timecode.isEmpty() ? juce::String() : "TC " + timecode + (chase ? " chase" : "");
}

void ClipButton::updateTooltip()
{
    auto tip = fileTooltip;
    if (timecode.isNotEmpty())
        tip << "\nTimecode " << timecode << (chase ? " (chases)" : "");
    if (analysisReason.isNotEmpty())
        tip << "\n" << analysisReason;
    if (mediaWarningWhy.isNotEmpty())
        tip << "\n" << mediaWarningWhy;
    setTooltip (tip);
}

void ClipButton::setPlayState (const ShowController::ClipState& newState)
{
    if (sameDisplay (newState, state))
        return;
    state = newState;
    repaint();
}

void ClipButton::setAnalysis (const juce::String& badge, const juce::String& reason)
{
    if (badge == analysisBadge)
        return;
    analysisBadge = badge;
    analysisReason = reason;
    updateTooltip();
    repaint();
}

juce::String ClipButton::formatTime (double seconds, bool roundUp)
{
    if (seconds < 0)
        return infinity();
    const auto tenths = (int64_t) (roundUp ? std::ceil (seconds * 10.0 - 1.0e-6) : std::floor (seconds * 10.0 + 1.0e-6));
    return juce::String::formatted ("%02d:%02d.%d", (int) (tenths / 600), (int) (tenths / 10 % 60), (int) (tenths % 10));
}

juce::String ClipButton::describeState() const
{
    juce::StringArray parts;
    if (loading) parts.add ("LOADING");
    if (mediaWarning.isNotEmpty()) parts.add (mediaWarning);
    if (state.playing) parts.add ("PLAYING");
    if (state.fading) parts.add ("FADE");
    if (state.fadingIn && state.playing) parts.add ("FADEIN");
    if (state.paused) parts.add ("PAUSED");
    if (state.looping && ! state.fading) parts.add (state.loopsLeft < 0 ? juce::String ("LOOP inf") : "LOOP x" + juce::String (state.loopsLeft));
    if (state.auditioning) parts.add ("PFL");
    if (isActive())
    {
        parts.add (formatTime (state.elapsedSec));
        parts.add (state.remainingSec < 0 ? juce::String ("-inf") : "-" + formatTime (state.remainingSec, true));
    }
    return parts.joinIntoString (" ");
}

void ClipButton::paint (juce::Graphics& g)
{
    const auto bounds = getLocalBounds().toFloat().reduced (3.0f);
    auto drawDropHover = [&]
    {
        if (! dropHover)
            return;
        g.setColour (juce::Colour (0xff6fd3ff));
        g.drawRoundedRectangle (bounds.reduced (1.0f), 6.0f, 3.0f);
    };
    if (clip < 0)
    {
        g.setColour (juce::Colour (0xff25282c));
        g.fillRoundedRectangle (bounds, 6.0f);
        drawDropHover();
        return;
    }

    const auto active = isActive();
    const auto base = missing ? juce::Colour (0xff3a3a3a) : loading ? colour.withMultipliedBrightness (0.45f) : colour;
    auto fill = active ? base.brighter (0.2f) : base.darker (0.55f);
    if (state.paused)
        fill = base.darker (0.2f).withMultipliedSaturation (0.6f);
    else if (state.fading)
        fill = base.darker (0.55f).interpolatedWith (base.brighter (0.2f), (float) state.fadeLeft);
    g.setColour (fill);
    g.fillRoundedRectangle (bounds, 6.0f);
    // A dark band behind the text rows keeps white text readable on any clip colour.
    if (active)
    {
        g.setColour (juce::Colours::black.withAlpha (0.35f));
        g.fillRoundedRectangle (bounds.withTrimmedTop (bounds.getHeight() - 34.0f), 6.0f);
    }

    auto content = bounds.reduced (7.0f, 5.0f).toNearestInt();
    auto header = content.removeFromTop (17);
    g.setColour (juce::Colours::white.withAlpha (0.85f));
    g.setFont (juce::Font (13.0f, juce::Font::bold));
    g.drawText (juce::String::charToString ((juce::juce_wchar) group), header.removeFromRight (14), juce::Justification::centredRight);
    if (state.voices > 1)
        g.drawText (juce::String (state.voices) + times(), header.removeFromRight (28), juce::Justification::centredRight);
    if (timecode.isNotEmpty())
    {
        // Fires from timecode: an outlined TC; filled "TC CH" when it also chases.
        const auto font = juce::Font (10.5f, juce::Font::bold);
        const juce::String mark = chase ? "TC CH" : "TC";
        const auto width = font.getStringWidth (mark) + 8;
        if (header.getWidth() > width + 30)
        {
            header.removeFromRight (3);
            const auto box = header.removeFromRight (width).toFloat().reduced (0.0f, 1.5f);
            const juce::Colour tcColour (0xff7fe0c8);
            g.setColour (tcColour);
            if (chase)
                g.fillRoundedRectangle (box, 3.0f);
            else
                g.drawRoundedRectangle (box.reduced (0.5f), 3.0f, 1.2f);
            g.setColour (chase ? juce::Colours::black : tcColour);
            g.setFont (font);
            g.drawText (mark, box.toNearestInt(), juce::Justification::centred);
            g.setFont (juce::Font (13.0f, juce::Font::bold));
        }
    }

    // State tags, most urgent first: what the operator must see at a glance.
    auto tag = [&] (const juce::String& label, juce::Colour tagColour)
    {
        const auto font = juce::Font (11.5f, juce::Font::bold);
        const auto width = juce::jmin (header.getWidth(), font.getStringWidth (label) + 10);
        if (width < 24)
            return;
        const auto box = header.removeFromLeft (width).toFloat();
        header.removeFromLeft (3);
        g.setColour (tagColour);
        g.fillRoundedRectangle (box, 3.0f);
        g.setColour (juce::Colours::black);
        g.setFont (font);
        g.drawText (label, box.toNearestInt(), juce::Justification::centred);
    };
    const auto warningColour = mediaWarning == "CHANGED" ? juce::Colour (0xffffa030) : juce::Colour (0xffff6060);
    if (missing)
        tag ("MISSING", juce::Colour (0xffff6060));
    else if (mediaWarning.isNotEmpty())
        tag (mediaWarning, warningColour);   // before the play tags: seen before the operator fires it
    else if (loading)
        tag ("LOADING", juce::Colour (0xffe0b040));
    if (state.fading)
        tag ("FADE", fadeColour);
    if (state.paused)
        tag ("PAUSED", pauseColour);
    else if (state.fadingIn && state.playing)
        tag ("FADE IN", juce::Colour (0xff9be37a));
    if (state.looping && ! state.fading)  // a fading voice ends with its fade, not at its loop
        tag ("LOOP " + (state.loopsLeft < 0 ? infinity() : times() + juce::String (state.loopsLeft)), loopColour);
    if (state.auditioning)
        tag ("PFL", auditionColour);
    if (! active && ! missing && ! loading && ! state.auditioning && analysisBadge.isNotEmpty())
    {
        g.setColour (analysisBadge == "ERROR" ? juce::Colour (0xffff6060) : juce::Colours::white.withAlpha (0.6f));
        g.setFont (juce::Font (11.0f, juce::Font::bold));
        g.drawText (analysisBadge, header, juce::Justification::centredLeft);
    }

    if (active)
    {
        auto bar = content.removeFromBottom (6).toFloat();
        content.removeFromBottom (2);
        g.setColour (juce::Colours::black.withAlpha (0.5f));
        g.fillRoundedRectangle (bar, 3.0f);
        if (state.fading)
        {
            // The fade runs out: an orange bar shrinking to nothing as the voice falls silent.
            g.setColour (fadeColour);
            g.fillRoundedRectangle (bar.withWidth (bar.getWidth() * (float) state.fadeLeft), 3.0f);
        }
        else
        {
            g.setColour (state.paused ? pauseColour : juce::Colours::white);
            g.fillRoundedRectangle (bar.withWidth (bar.getWidth() * (float) state.progress), 3.0f);
        }

        // Elapsed left, remaining right; a narrow button keeps the remaining time only (what
        // the operator counts down to).
        auto timesRow = content.removeFromBottom (18);
        const auto narrow = timesRow.getWidth() < 116;
        g.setFont (juce::Font (juce::Font::getDefaultMonospacedFontName(), timesRow.getWidth() < 130 ? 12.5f : 14.5f, juce::Font::bold));
        if (! narrow)
        {
            g.setColour (juce::Colours::white.withAlpha (0.8f));
            g.drawText (formatTime (state.elapsedSec), timesRow, juce::Justification::centredLeft);
        }
        g.setColour (state.fading ? fadeColour : juce::Colours::white);
        g.drawText (state.remainingSec < 0 ? infinity() : "-" + formatTime (state.remainingSec, true), timesRow,
                    narrow ? juce::Justification::centred : juce::Justification::centredRight);

        g.setColour (mediaWarning.isNotEmpty() ? warningColour : state.paused ? pauseColour : state.fading ? fadeColour : juce::Colours::white);
        g.drawRoundedRectangle (bounds, 6.0f, state.paused || state.fading || mediaWarning.isNotEmpty() ? 3.0f : 2.5f);
    }
    else if (missing || mediaWarning.isNotEmpty())
    {
        g.setColour (missing ? juce::Colour (0xffe04040) : warningColour);
        g.drawRoundedRectangle (bounds, 6.0f, mediaWarning.isNotEmpty() ? 3.0f : 2.0f);
    }
    else if (state.auditioning)
    {
        g.setColour (auditionColour);
        g.drawRoundedRectangle (bounds, 6.0f, 2.0f);
    }

    g.setColour (missing || loading ? juce::Colours::lightgrey : juce::Colours::white);
    g.setFont (juce::Font (16.0f, juce::Font::bold));
    g.drawFittedText (text, content, juce::Justification::centred, 3);

    // Edit mode: pressed, waiting for the release (a click) or a drag.
    if (armed)
    {
        g.setColour (juce::Colours::white.withAlpha (0.18f));
        g.fillRoundedRectangle (bounds, 6.0f);
        g.setColour (juce::Colours::white);
        g.drawRoundedRectangle (bounds, 6.0f, 2.0f);
    }
    else if (dragging)
    {
        g.setColour (juce::Colours::black.withAlpha (0.4f));
        g.fillRoundedRectangle (bounds, 6.0f);
    }
    drawDropHover();
}

void ClipButton::mouseDown (const juce::MouseEvent& event)
{
    armed = dragging = false;
    if (clip < 0)
    {
        if (event.mods.isPopupMenu() && onEmptyMenu)
            onEmptyMenu();
        return;
    }
    if (event.mods.isPopupMenu())
    {
        if (onMenu)
            onMenu (clip);  // never fires: the menu decides
        return;
    }
    if (! event.mods.isLeftButtonDown())
        return;
    if (! editable())
    {
        if (onFire)
            onFire (clip);  // Show mode: on press, nothing to drag
        return;
    }
    armed = true;           // edit mode: the release decides (fire, or nothing after a drag)
    repaint();
}

void ClipButton::mouseDrag (const juce::MouseEvent& event)
{
    if (! armed || dragging || event.getDistanceFromDragStart() < dragThreshold)
        return;
    armed = false;
    dragging = true;
    repaint();
    if (auto* container = juce::DragAndDropContainer::findParentDragContainerFor (this))
    {
        auto image = createComponentSnapshot (getLocalBounds(), true, 1.0f).convertedToFormat (juce::Image::ARGB);
        image.multiplyAllAlphas (0.75f);
        const juce::Point<int> offset (-event.getMouseDownX(), -event.getMouseDownY());
        container->startDragging (describeCell (cell), this, juce::ScaledImage (image), false, &offset);
    }
}

void ClipButton::mouseUp (const juce::MouseEvent& event)
{
    const auto fire = armed && event.getDistanceFromDragStart() < dragThreshold && clip >= 0;
    armed = dragging = false;
    repaint();
    if (fire && onFire)
        onFire (clip);
}

juce::var ClipButton::describeCell (const SessionEditor::Cell& cell)
{
    return "cuegrid-cell " + juce::String (cell.page) + " " + juce::String (cell.tab) + " " + juce::String (cell.row) + " "
           + juce::String (cell.column);
}

std::optional<SessionEditor::Cell> ClipButton::cellFromDescription (const juce::var& description)
{
    if (! description.isString())
        return std::nullopt;
    auto parts = juce::StringArray::fromTokens (description.toString(), " ", "");
    if (parts.size() != 5 || parts[0] != "cuegrid-cell")
        return std::nullopt;
    return SessionEditor::Cell { parts[1].getIntValue(), parts[2].getIntValue(), parts[3].getIntValue(), parts[4].getIntValue() };
}

bool ClipButton::isInterestedInDragSource (const SourceDetails& details)
{
    return editable() && cellFromDescription (details.description).has_value();
}

void ClipButton::itemDropped (const SourceDetails& details)
{
    setDropHover (false);
    // Ctrl held at the drop copies (as in Linux Show Player); read now, not at the press.
    const auto copy = juce::ModifierKeys::getCurrentModifiersRealtime().isCtrlDown();
    if (const auto from = cellFromDescription (details.description); from && onCellDropped)
        onCellDropped (*from, copy);
}

void ClipButton::filesDropped (const juce::StringArray& files, int, int)
{
    setDropHover (false);
    if (onFilesDropped)
        onFilesDropped (files);
}

void ClipButton::setDropHover (bool hover)
{
    if (dropHover == hover)
        return;
    dropHover = hover;
    repaint();
}

} // namespace cuegrid
