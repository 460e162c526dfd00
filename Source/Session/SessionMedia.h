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
};

/** Loads the manifest (throws InputError) and decodes every clip's media at `sampleRate`
    on up to `threads` worker threads. A clip whose media fails is reported, never fatal.
    Control / loader thread. */
LoadedSession loadSessionWithMedia (const std::string& path, double sampleRate, int threads = 2);

/** Decodes the media of an already parsed session. */
std::vector<MediaLoadResult> loadClipMedia (const Session& session, const std::string& sessionPath,
                                            double sampleRate, int threads = 2);

} // namespace cuegrid
