// CueGrid — GPL-3.0-or-later
#include "WaveformView.h"

#include "Engine/FadeCurve.h"
#include "Session/AppFolders.h"

#include <algorithm>

namespace cuegrid
{

namespace
{
    /** The media file, read by the thumbnail; its hash code is the disk cache's key. */
    class MediaSource final : public juce::InputSource
    {
    public:
        MediaSource (juce::File mediaFile, int64_t cacheKey) : file (std::move (mediaFile)), key (cacheKey) {}
        juce::InputStream* createInputStream() override { return file.createInputStream().release(); }
        juce::InputStream* createInputStreamFor (const juce::String& relative) override
        {
            return file.getSiblingFile (relative).createInputStream().release();
        }
        juce::int64 hashCode() const override { return (juce::int64) key; }

    private:
        juce::File file;
        int64_t key;
    };

    constexpr float knobRadius = 7.0f;
}

// --- ThumbnailStore --------------------------------------------------------------------------

class ThumbnailStore::Pruner final : public juce::TimeSliceClient
{
public:
    explicit Pruner (ThumbnailStore& owner) : store (owner) {}
    int useTimeSlice() override
    {
        store.prune();
        return -1;   // once
    }

private:
    ThumbnailStore& store;
};

ThumbnailStore::ThumbnailStore (juce::File cacheFolder, int thumbnailsInMemory, juce::int64 maxBytes)
    : juce::AudioThumbnailCache (thumbnailsInMemory), folder (std::move (cacheFolder)), maxDiskBytes (maxBytes)
{
    formats.registerBasicFormats();
    if (folder != juce::File())
    {
        pruner = std::make_unique<Pruner> (*this);
        getTimeSliceThread().addTimeSliceClient (pruner.get());
    }
}

ThumbnailStore::~ThumbnailStore()
{
    // The thread may be in saveNewlyFinishedThumbnail or prune, which use this object's members.
    getTimeSliceThread().stopThread (2000);
    if (pruner != nullptr)
        getTimeSliceThread().removeTimeSliceClient (pruner.get());
}

void ThumbnailStore::prune()
{
    auto files = folder.findChildFiles (juce::File::findFiles, false, "*.thumb");
    juce::int64 total = 0;
    for (const auto& file : files)
        total += file.getSize();
    if (total <= maxDiskBytes)
        return;
    std::sort (files.begin(), files.end(), [] (const juce::File& a, const juce::File& b)
               { return a.getLastModificationTime() < b.getLastModificationTime(); });
    for (const auto& file : files)
    {
        if (total <= maxDiskBytes)
            break;
        const auto size = file.getSize();
        if (file.deleteFile())
            total -= size;
    }
}

juce::File ThumbnailStore::defaultFolder()
{
    try
    {
        const auto home = AppFolders (Preferences::load (Preferences::defaultPath()).preferences).getHome();
        return juce::File (juce::String::fromUTF8 ((home / "Cache" / "Thumbnails").string().c_str()));
    }
    catch (const std::exception&)
    {
        return {};  // no disk cache: thumbnails are built from the media each time
    }
}

int64_t ThumbnailStore::keyFor (const juce::File& file)
{
    if (! file.existsAsFile())
        return 0;
    return (int64_t) thumbnailKey (file.getFullPathName().toStdString(), file.getSize(),
                                   file.getLastModificationTime().toMilliseconds());
}

juce::File ThumbnailStore::cacheFileFor (int64_t key) const
{
    if (folder == juce::File())
        return {};
    return folder.getChildFile (juce::String::toHexString ((juce::int64) key).paddedLeft ('0', 16) + ".thumb");
}

void ThumbnailStore::saveNewlyFinishedThumbnail (const juce::AudioThumbnailBase& thumb, juce::int64 hashCode)
{
    const auto target = cacheFileFor ((int64_t) hashCode);
    if (target == juce::File() || ! folder.createDirectory())
        return;
    // Written beside, then renamed: a reader never sees half a thumbnail.
    juce::TemporaryFile temporary (target);
    {
        juce::FileOutputStream out (temporary.getFile());
        if (! out.openedOk())
            return;
        thumb.saveTo (out);
        out.flush();
        if (out.getStatus().failed())
            return;
    }
    if (temporary.overwriteTargetFileWithTemporary())
        ++diskSaves;
}

bool ThumbnailStore::loadNewThumb (juce::AudioThumbnailBase& thumb, juce::int64 hashCode)
{
    const auto source = cacheFileFor ((int64_t) hashCode);
    if (source == juce::File() || ! source.existsAsFile())
        return false;
    juce::FileInputStream in (source);
    if (! in.openedOk() || ! thumb.loadFrom (in))
        return false;
    source.setLastModificationTime (juce::Time::getCurrentTime());   // used: pruned last
    ++diskLoads;
    return true;
}

// --- WaveformView ----------------------------------------------------------------------------

WaveformView::WaveformView (ThumbnailStore& thumbnailStore)
    : store (thumbnailStore), thumbnail (256, thumbnailStore.getFormats(), thumbnailStore)
{
    thumbnail.addChangeListener (this);
    setRepaintsOnMouseActivity (false);
}

WaveformView::~WaveformView()
{
    thumbnail.removeChangeListener (this);
}

void WaveformView::setMedia (const juce::File& file)
{
    if (file == media)
        return;
    media = file;
    const auto key = ThumbnailStore::keyFor (file);
    if (key == 0)
        thumbnail.clear();
    else
        thumbnail.setSource (new MediaSource (file, key));  // reads the header here, the samples on the cache's thread
    repaint();
}

double WaveformView::getFileSeconds() const { return thumbnail.getTotalLength(); }

juce::String WaveformView::describeState() const
{
    if (getFileSeconds() <= 0.0)
        return "none";
    return thumbnail.isFullyLoaded() ? "ready" : "reading";
}

void WaveformView::setMarkers (const ClipMarkers& newMarkers)
{
    markers = newMarkers;
    repaint();
}

void WaveformView::setEditable (bool canEdit)
{
    editable = canEdit;
    if (! editable)
        dragging = WaveformHandle::none;
    setMouseCursor (juce::MouseCursor::NormalCursor);
    repaint();
}

void WaveformView::changeListenerCallback (juce::ChangeBroadcaster*) { repaint(); }

juce::Rectangle<float> WaveformView::waveArea() const
{
    // Room at each side for half a knob, so the file's first and last instant can be grabbed.
    return getLocalBounds().toFloat().reduced (knobRadius + 1.0f, 2.0f);
}

WaveformAxis WaveformView::axis() const
{
    const auto area = waveArea();
    return { getFileSeconds(), area.getX(), area.getWidth() };
}

float WaveformView::knobHeightFraction (WaveformHandle handle)
{
    switch (handle)
    {
        case WaveformHandle::fadeIn:
        case WaveformHandle::fadeOut: return 0.12f;
        case WaveformHandle::loopIn:
        case WaveformHandle::loopOut: return 0.5f;
        default: return 0.88f;
    }
}

juce::Colour WaveformView::handleColour (WaveformHandle handle)
{
    switch (handle)
    {
        case WaveformHandle::fadeIn:
        case WaveformHandle::fadeOut: return juce::Colours::white;
        case WaveformHandle::loopIn:
        case WaveformHandle::loopOut: return juce::Colour (0xff4cd08a);
        default: return juce::Colour (0xffffa030);
    }
}

std::optional<juce::Point<int>> WaveformView::getKnob (WaveformHandle handle) const
{
    if (getFileSeconds() <= 0.0 || handle == WaveformHandle::none)
        return std::nullopt;
    if ((handle == WaveformHandle::loopIn || handle == WaveformHandle::loopOut) && ! markers.hasLoop)
        return std::nullopt;
    const auto area = waveArea();
    return juce::Point<float> (axis().xOf (markers.secondsOf (handle)), area.getY() + area.getHeight() * knobHeightFraction (handle))
        .roundToInt();
}

WaveformHandle WaveformView::handleAt (juce::Point<float> position) const
{
    // A knob first (they sit at different heights, so handles at one time stay apart), then
    // the nearest line within a few pixels, cue before loop before fade.
    auto best = WaveformHandle::none;
    auto bestDistance = knobRadius + 4.0f;
    for (const auto handle : waveformHandles)
        if (const auto knob = getKnob (handle))
            if (const auto distance = position.getDistanceFrom (knob->toFloat()); distance < bestDistance)
                best = handle, bestDistance = distance;
    if (best != WaveformHandle::none)
        return best;
    bestDistance = 5.0f;
    for (const auto handle : waveformHandles)
        if (const auto knob = getKnob (handle))
            if (const auto distance = std::abs (position.x - (float) knob->x); distance < bestDistance)
                best = handle, bestDistance = distance;
    return best;
}

void WaveformView::paint (juce::Graphics& g)
{
    const auto bounds = getLocalBounds().toFloat();
    g.setColour (juce::Colour (0xff0d0f11));
    g.fillRoundedRectangle (bounds, 4.0f);
    const auto area = waveArea();
    const auto length = getFileSeconds();
    if (length <= 0.0)
    {
        g.setColour (juce::Colours::grey);
        g.setFont (juce::Font (13.0f));
        g.drawText (media == juce::File() ? "No clip selected" : media.existsAsFile() ? "Waveform not readable" : "Media missing",
                    getLocalBounds(), juce::Justification::centred);
        return;
    }
    const auto ax = axis();
    const auto cueInX = ax.xOf (markers.cueIn), cueOutX = ax.xOf (markers.cueOut);

    // The loop region, then the waveform, then what lies outside the cue region dimmed.
    if (markers.hasLoop)
    {
        g.setColour (handleColour (WaveformHandle::loopIn).withAlpha (0.14f));
        g.fillRect (juce::Rectangle<float>::leftTopRightBottom (ax.xOf (markers.loopIn), area.getY(), ax.xOf (markers.loopOut), area.getBottom()));
    }
    g.setColour (juce::Colour (0xff6fa8dc));
    if (thumbnail.getNumChannels() > 0)
        thumbnail.drawChannels (g, area.toNearestInt(), 0.0, length, 1.0f);
    if (! thumbnail.isFullyLoaded())
    {
        g.setColour (juce::Colours::grey);
        g.setFont (juce::Font (12.0f));
        g.drawText ("reading...", area.reduced (4.0f), juce::Justification::topRight);
    }
    g.setColour (juce::Colours::black.withAlpha (0.6f));
    g.fillRect (juce::Rectangle<float>::leftTopRightBottom (area.getX(), area.getY(), cueInX, area.getBottom()));
    g.fillRect (juce::Rectangle<float>::leftTopRightBottom (cueOutX, area.getY(), area.getRight(), area.getBottom()));

    // The fade envelope (gain, linear, bottom to top) in the clips' curves: up from cue in to
    // the fade-in end, down from the fade-out start to cue out.
    juce::Path envelope;
    const auto yOf = [&area] (double gain) { return area.getBottom() - (float) gain * area.getHeight(); };
    constexpr int points = 32;
    const auto fadeInX = ax.xOf (markers.fadeInEnd), fadeOutX = ax.xOf (markers.fadeOutStart);
    envelope.startNewSubPath (cueInX, yOf (0.0));
    for (int i = 1; i <= points; ++i)
        envelope.lineTo (cueInX + (fadeInX - cueInX) * (float) i / points, yOf (Fade::curve (markers.fadeInCurve, (double) i / points)));
    envelope.lineTo (fadeOutX, area.getY());
    for (int i = 1; i <= points; ++i)
        envelope.lineTo (fadeOutX + (cueOutX - fadeOutX) * (float) i / points,
                         yOf (Fade::curve (markers.fadeOutCurve, 1.0 - (double) i / points)));
    g.setColour (juce::Colours::white.withAlpha (0.55f));
    g.strokePath (envelope, juce::PathStrokeType (1.2f));

    for (const auto handle : waveformHandles)
    {
        const auto knob = getKnob (handle);
        if (! knob)
            continue;
        const auto colour = handleColour (handle);
        const auto active = handle == dragging || handle == hovered;
        g.setColour (colour.withAlpha (active ? 1.0f : 0.8f));
        g.drawVerticalLine (knob->x, area.getY(), area.getBottom());
        const auto radius = active ? knobRadius + 1.0f : knobRadius;
        const auto knobArea = juce::Rectangle<float> (radius * 2.0f, radius * 2.0f).withCentre (knob->toFloat());
        g.fillRoundedRectangle (knobArea, 3.0f);
        g.setColour (juce::Colours::black);
        g.setFont (juce::Font (11.0f, juce::Font::bold));
        const auto isIn = handle == WaveformHandle::cueIn || handle == WaveformHandle::loopIn || handle == WaveformHandle::fadeIn;
        g.drawText (isIn ? "[" : "]", knobArea, juce::Justification::centred);
    }
    g.setColour (juce::Colours::white.withAlpha (0.15f));
    g.drawRoundedRectangle (bounds.reduced (0.5f), 4.0f, 1.0f);
}

void WaveformView::resized() { repaint(); }

void WaveformView::mouseMove (const juce::MouseEvent& event)
{
    const auto handle = editable ? handleAt (event.position) : WaveformHandle::none;
    if (handle == hovered)
        return;
    hovered = handle;
    setMouseCursor (handle != WaveformHandle::none ? juce::MouseCursor::LeftRightResizeCursor : juce::MouseCursor::NormalCursor);
    repaint();
}

void WaveformView::mouseDown (const juce::MouseEvent& event)
{
    dragging = editable ? handleAt (event.position) : WaveformHandle::none;
    if (dragging != WaveformHandle::none && onDragStart)
        onDragStart (dragging);
    repaint();
}

void WaveformView::mouseDrag (const juce::MouseEvent& event)
{
    if (dragging != WaveformHandle::none && editable && onDrag)
        onDrag (dragging, axis().secondsAt (event.position.x));
}

void WaveformView::mouseUp (const juce::MouseEvent&)
{
    if (dragging == WaveformHandle::none)
        return;
    dragging = WaveformHandle::none;
    if (onDragEnd)
        onDragEnd();
    repaint();
}

} // namespace cuegrid
