// CueGrid — GPL-3.0-or-later
#pragma once

#include "SessionEditor.h"
#include "Session/MediaLoader.h"

#include <juce_events/juce_events.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cuegrid
{

/** The app's import of media files (a drop from a file manager, Import…): every file is
    checked (checkImportFile: its header only) and loaded on a background thread, never on
    the message thread, so a long file never delays a trigger: loadMediaForPlayback, so a long
    file streams (only its first second from the clip's cue in is read now, and pinned) and a
    short one is decoded whole. The outcome comes back on the
    message thread; the caller then hands the decoded media to the ShowController
    (useDecodedMedia) and adds the clips through the SessionEditor (undoable).
    One import at a time: a second start() waits behind the first. Message thread. */
class MediaImporter
{
public:
    struct Outcome
    {
        SessionEditor::Cell start;                        // where the import was dropped
        std::vector<SessionEditor::ImportedFile> files;   // the files that passed, in order
        std::vector<std::filesystem::path> paths;         // each file's path as given (parallel to files)
        std::vector<MediaLoadResult> media;               // each file decoded (parallel to files)
        std::vector<std::string> rejected;                // "name: why", one per file that did not pass
        std::vector<std::string> warnings;                // "name: …" (e.g. truncated; imported)
    };

    MediaImporter();
    /** Stops after the file being decoded; no outcome is delivered any more. */
    ~MediaImporter();

    /** Checks and decodes `paths` (folders: their audio files, expandImportPaths) at
        `mediaRate` (Hz) in the background; `done` is called on the message thread. Files are
        recorded relative to `sessionPath`'s folder when inside it (sessionRelativePath). A
        session that collects on import (collectOnImportFolder) gets each file copied into its
        media folder first (verified; a failed copy rejects the file) and the clip uses the copy. */
    void start (std::vector<std::filesystem::path> paths, SessionEditor::Cell start, std::string sessionPath,
                double mediaRate, std::function<void (Outcome)> done);

    /** True while an import is checked or decoded. */
    bool isBusy() const noexcept { return running.load() > 0; }

private:
    juce::ThreadPool pool { 1 };
    std::shared_ptr<std::atomic<bool>> alive = std::make_shared<std::atomic<bool>> (true);  // read by the worker and callAsync
    std::atomic<int> running { 0 };   // written by the message thread (start) and the worker
};

} // namespace cuegrid
