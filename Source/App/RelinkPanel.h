// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/SessionDocument.h"
#include "Session/MediaFacts.h"
#include "Session/MediaSearch.h"
#include "UI/FileBrowserWindow.h"
#include "UI/MainComponent.h"

#include <atomic>
#include <future>
#include <mutex>
#include <memory>

namespace cuegrid
{

/** File > Relink Missing Media… and a warning button's menu: the non-modal relink panel
    (docs/media.md "Missing files"). Lists every clip whose file is missing, each of its
    candidates with the evidence (hash = certain, properties, name) and what differs (mono /
    stereo, rate, length), and the clips whose file was replaced (CHANGED). The search
    (searchMissingMedia) runs on a background thread with a progress bar (files looked at of
    all, the folder) and a Cancel button (the candidates found so far stay); the operator accepts one
    candidate, all certain ones, a file of their own (Browse…, the async file browser) or adds a
    search folder. Accepting is, on the message thread, a recovery point ("before relink"), one
    undoable SessionEditor edit (relinkMedia), the manifest saved, then the database's rows and
    audit trail (applyRelink, acceptedBy "user") on a background thread. A CHANGED clip's
    "Keep this file" keeps the replaced file as its media (keepReplacedMedia on a background
    thread: the facts measured, an `accept-replaced` audit event by "user"), as `cuegrid relink
    --accept-replaced` does. Every decision is refused in Show mode. Message thread. */
class RelinkPanel final : public ToolWindow, private juce::Timer
{
public:
    RelinkPanel (SessionDocument& document, MainComponent& main, FileBrowserWindow& browser);
    ~RelinkPanel() override;

    /** Shows the panel in front and searches again. */
    void open();

    /** Controls for the UI map: "relinkList", "relinkAccept", "relinkAcceptCertain",
        "relinkBrowse", "relinkKeep", "relinkAddFolder", "relinkSearch", "relinkCancel", "relinkClose". */
    std::vector<std::pair<juce::String, juce::Component*>> getControls();
    /** UI map lines: "text relinkStatus <first line>", "value relinkBusy yes|no",
        "value relinkProgress <0 … 1>", and per
        visible row "relinkRow <row> <x> <y> <clip> <evidence|none|changed> <file>". */
    juce::String getUiMapLines() const;

    /** One list row: a candidate for a clip, or a clip with none (candidate -1). */
    struct Row { int clip = -1; int candidate = -1; juce::String changedDetail; juce::String clipId; };   // clip: index in result.clips

private:
    void timerCallback() override;
    void search();
    void rebuildRows();
    void acceptSelected();
    void acceptAllCertain();
    void browseForSelected();
    /** "Keep this file" for the selected CHANGED clip. */
    void keepSelected();
    void keepFinished();
    void cancelSearch();
    /** What the search thread last reported (MediaSearchControl::onProgress) and the cancel flag:
        shared with the search's thread, which may outlive a closed panel by one file. */
    struct SearchState
    {
        std::atomic<bool> cancel { false };     // set by the message thread, read by the search
        std::mutex lock;                        // guards `progress`: written by the search, read by the timer
        MediaSearchProgress progress;
    };
    std::shared_ptr<SearchState> searchState;   // the running (or last) search's (message thread)
    void addFolder();
    /** Relinks (clip id, candidate) pairs; `browsed` is a file the operator chose (evidence from
        a comparison with the clip's record is not known: "user-chosen"). */
    void accept (const std::vector<std::pair<const MissingClipSearch*, const MediaCandidate*>>& choices);
    void setStatus (const juce::String& text, bool problem);

    struct Content;
    Content* content = nullptr;
    SessionDocument& document;
    MainComponent& main;
    FileBrowserWindow& browser;
    MediaSearchPlaces places;                     // the preferences' paths and the folders the operator added
    std::future<MediaSearchResult> searching;     // a search on its own thread
    std::future<void> recording;                  // applyRelink's database rows and audit events
    std::future<KeptReplacedMedia> keeping;       // "Keep this file": keepReplacedMedia on its own thread
    std::string keepingClip;                      // the clip `keeping` is for (message thread)
    std::string searchedPath;                     // the session the result is for
    MediaSearchResult result;
    std::vector<Row> rows;
    double progress = -1.0;                       // the busy bar (message thread)
    double searchStarted = 0.0;
};

} // namespace cuegrid
