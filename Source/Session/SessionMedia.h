// CueGrid — GPL-3.0-or-later
#pragma once

#include "MediaLoader.h"
#include "SessionModel.h"

#include <string>
#include <vector>

namespace cuegrid
{

/** A session and the decoded media of each of its clips (index = clip slot). */
struct LoadedSession
{
    std::string path;                    // the manifest
    Session session;
    std::vector<MediaLoadResult> media;  // one per clip; failures carry their error

    /** Per clip: the audio, or nullptr when its media failed to load. */
    std::vector<ClipAudioPtr> audio() const;

    /** "clip 'kick' (media/kick.wav): file not found: ..." for each failed clip. */
    std::vector<std::string> mediaErrors() const;

    /** "clip 'bed' (media/bed.wav): truncated file: 2.000 s … missing" for each clip that
        loaded with a warning. */
    std::vector<std::string> mediaWarnings() const;
};

/** Loads the manifest (throws InputError) and decodes every clip's media at `sampleRate`
    on up to `threads` worker threads. A clip whose media fails is reported, never fatal.
    Control / loader thread. */
LoadedSession loadSessionWithMedia (const std::string& path, double sampleRate, int threads = 2);

/** Decoded media a session may hold: limits::maxMediaMemoryFraction of physical memory, or
    the environment variable CUEGRID_MEDIA_MEMORY_MB when set (tests use it). Bytes. */
int64_t mediaMemoryBudgetBytes();

/** Decodes the media of an already parsed session: each file once (by device and inode),
    shared by every clip that uses it, within mediaMemoryBudgetBytes(); a clip past the budget
    gets an error and the rest load. */
std::vector<MediaLoadResult> loadClipMedia (const Session& session, const std::string& sessionPath,
                                            double sampleRate, int threads = 2);

} // namespace cuegrid
