// CueGrid — GPL-3.0-or-later
#pragma once

#include "WaveformGeometry.h"

#include <juce_audio_utils/juce_audio_utils.h>

#include <atomic>
#include <functional>
#include <memory>

namespace cuegrid
{

/** The app's waveform thumbnails: one juce::AudioThumbnailCache (in memory, shared by every
    WaveformView) that also keeps each finished thumbnail on disk, in `folder` (by default the
    CueGrid home's Cache/Thumbnails), as `<key>.thumb` where the key is thumbnailKey() of the
    media file's path, size and modification time. Reopening a session shows its waveforms
    from those files without reading the media again; an edited file gets a new key.

    Threads: building a thumbnail reads the media file on the cache's TimeSliceThread (JUCE's
    thumbnail thread), which also writes the finished `.thumb` file (saveNewlyFinishedThumbnail);
    the message thread only opens a file's header (AudioThumbnail::setSource) and reads a
    cached `.thumb` of a few kB (loadNewThumb), marking it used (its modification time). Once,
    at construction, the cache's thread deletes the least recently used `.thumb` files while the
    folder holds more than `maxDiskBytes`. A folder that cannot be written only loses the disk
    cache. */
class ThumbnailStore final : public juce::AudioThumbnailCache
{
public:
    explicit ThumbnailStore (juce::File folder, int thumbnailsInMemory = 64, juce::int64 maxDiskBytes = 256 * 1024 * 1024);
    ~ThumbnailStore() override;

    /** <CueGrid home>/Cache/Thumbnails (CUEGRID_HOME, the preferences' home, the documents
        folder: AppFolders). Reads the preferences file. */
    static juce::File defaultFolder();

    juce::AudioFormatManager& getFormats() noexcept { return formats; }
    const juce::File& getFolder() const noexcept { return folder; }

    /** thumbnailKey() of `file` (a stat: message thread is fine). 0 when it does not exist. */
    static int64_t keyFor (const juce::File& file);
    juce::File cacheFileFor (int64_t key) const;

    /** Thumbnails read from and written to the disk cache since construction (for tests). */
    int getDiskLoads() const noexcept { return diskLoads.load(); }
    int getDiskSaves() const noexcept { return diskSaves.load(); }

protected:
    void saveNewlyFinishedThumbnail (const juce::AudioThumbnailBase&, juce::int64 hashCode) override;  // thumbnail thread
    bool loadNewThumb (juce::AudioThumbnailBase&, juce::int64 hashCode) override;                      // message thread

private:
    class Pruner;
    /** Deletes the least recently used `.thumb` files while the folder holds more than
        maxDiskBytes. Cache's thread. */
    void prune();

    // Both set at construction and only read after it, by the message and the thumbnail thread.
    const juce::File folder;
    juce::AudioFormatManager formats;
    // diskLoads: written on the message thread (loadNewThumb); diskSaves: on the thumbnail
    // thread (saveNewlyFinishedThumbnail); read on the message thread (UI map, tests).
    std::atomic<int> diskLoads { 0 }, diskSaves { 0 };
    const juce::int64 maxDiskBytes;
    std::unique_ptr<Pruner> pruner;   // runs once on the cache's thread
};

/** A clip's media file drawn whole, with its cue region, loop and fades, and six handles an
    editor drags: cue in, cue out (orange, knob at the bottom), loop in, loop out (green, knob
    in the middle; only with a loop) and the fade-in end and fade-out start (white, knob at the
    top). A drag reports times through onDragStart / onDrag / onDragEnd; the owner makes the
    edit and calls setMarkers with what the session now says. Message thread. */
class WaveformView final : public juce::Component, private juce::ChangeListener
{
public:
    explicit WaveformView (ThumbnailStore& store);
    ~WaveformView() override;

    /** The media file to show (a non-existent file: "no media"). Starts a thumbnail on the
        cache's thread unless one is cached. */
    void setMedia (const juce::File& file);
    /** "none" (no file, or not readable), "reading" (the thumbnail is being built) or "ready". */
    juce::String describeState() const;
    ThumbnailStore& getStore() noexcept { return store; }
    /** The file's length, s; 0 until its header was read (or when it cannot be). */
    double getFileSeconds() const;
    void setMarkers (const ClipMarkers& markers);
    /** false (Show mode): handles are drawn but cannot be dragged. */
    void setEditable (bool canEdit);

    /** A handle's knob centre in this component's coordinates, or nullopt when the handle is
        not shown (a loop handle without a loop, no media). */
    std::optional<juce::Point<int>> getKnob (WaveformHandle handle) const;
    /** The handle whose knob (or, failing that, line) is under `position`. */
    WaveformHandle handleAt (juce::Point<float> position) const;

    /** Cue handles orange, loop green, fades white (the inspector's legend uses them too). */
    static juce::Colour handleColour (WaveformHandle handle);

    std::function<void (WaveformHandle)> onDragStart;
    std::function<void (WaveformHandle, double seconds)> onDrag;   // seconds of the file under the pointer
    std::function<void()> onDragEnd;

    void paint (juce::Graphics&) override;
    void resized() override;
    void mouseMove (const juce::MouseEvent&) override;
    void mouseDown (const juce::MouseEvent&) override;
    void mouseDrag (const juce::MouseEvent&) override;
    void mouseUp (const juce::MouseEvent&) override;

private:
    void changeListenerCallback (juce::ChangeBroadcaster*) override;
    WaveformAxis axis() const;
    juce::Rectangle<float> waveArea() const;
    static float knobHeightFraction (WaveformHandle handle);

    ThumbnailStore& store;
    juce::AudioThumbnail thumbnail;
    juce::File media;
    ClipMarkers markers;
    bool editable = true;
    WaveformHandle dragging = WaveformHandle::none, hovered = WaveformHandle::none;
};

} // namespace cuegrid
