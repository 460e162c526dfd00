// CueGrid — GPL-3.0-or-later
#include "RelinkPanel.h"

#include "Session/MediaLoader.h"
#include "Session/MediaRelink.h"
#include "Session/MetadataDatabase.h"

#include <algorithm>
#include <iostream>

namespace cuegrid
{

namespace
{
    juce::String text (const std::string& utf8) { return juce::String::fromUTF8 (utf8.c_str()); }
}

struct RelinkPanel::Content final : ToolPanel, juce::ListBoxModel
{
    explicit Content (RelinkPanel& owner, double& progress) : panel (owner), progressBar (progress)
    {
        for (auto* component : std::initializer_list<juce::Component*> { &list, &progressBar, &status, &accept, &acceptCertain,
                                                                          &browse, &keep, &addFolder, &searchAgain, &cancel, &close })
            addAndMakeVisible (component);
        list.setRowHeight (24);   // the model is set once the panel's rows exist (RelinkPanel's constructor)
        list.setColour (juce::ListBox::backgroundColourId, juce::Colour (0xff1b1d21));
        status.setJustificationType (juce::Justification::topLeft);
        setSize (900, 440);
    }
    ~Content() override { list.setModel (nullptr); }

    int getNumRows() override { return (int) panel.rows.size(); }

    juce::String describeRow (int index) const
    {
        if (index < 0 || index >= (int) panel.rows.size())
            return {};
        const auto& row = panel.rows[(size_t) index];
        if (row.changedDetail.isNotEmpty())
            return row.clipId + "   CHANGED: " + row.changedDetail;
        const auto& clip = panel.result.clips[(size_t) row.clip];
        auto line = text (clip.clipId) + "   (" + text (clip.file) + ")   ";
        if (row.candidate < 0)
            return line + "no candidate found: Browse... or Add search folder...";
        const auto& candidate = clip.candidates[(size_t) row.candidate];
        line << (candidate.certain ? "CERTAIN (same content hash)" : candidate.evidence == MediaEvidence::properties ? "properties equal" : "name only")
             << "   " << text (candidate.file) << "   [" << text (candidate.place) << "]";
        for (const auto& note : candidate.notes)
            line << "   " << text (note);
        return line;
    }

    void paintListBoxItem (int index, juce::Graphics& g, int width, int height, bool selected) override
    {
        if (index < 0 || index >= (int) panel.rows.size())
            return;
        const auto& row = panel.rows[(size_t) index];
        g.fillAll (selected ? juce::Colour (0xff3a5a8a) : juce::Colour (0xff1b1d21));
        juce::Colour colour = juce::Colours::white;
        if (row.changedDetail.isNotEmpty())
            colour = juce::Colour (0xffffa030);
        else if (row.candidate < 0)
            colour = juce::Colour (0xffff6060);
        else
        {
            const auto& candidate = panel.result.clips[(size_t) row.clip].candidates[(size_t) row.candidate];
            colour = candidate.certain ? juce::Colour (0xff7fe07f) : juce::Colours::lightgrey;
            if (! candidate.channelsAsExpected)
                colour = juce::Colour (0xffffa030);   // mono where stereo is expected, or the reverse
        }
        g.setColour (colour);
        g.setFont (juce::Font (14.0f));
        g.drawText (describeRow (index), 6, 0, width - 8, height, juce::Justification::centredLeft, true);
    }

    void resized() override
    {
        auto area = getLocalBounds().reduced (12);
        auto buttons = area.removeFromBottom (32);
        for (auto* button : { &accept, &acceptCertain, &browse, &keep, &addFolder, &searchAgain })
        {
            button->setBounds (buttons.removeFromLeft (120));
            buttons.removeFromLeft (8);
        }
        close.setBounds (buttons.removeFromRight (90));
        buttons.removeFromRight (8);
        cancel.setBounds (buttons.removeFromRight (90));
        area.removeFromBottom (6);
        status.setBounds (area.removeFromBottom (44));
        progressBar.setBounds (area.removeFromBottom (20));
        area.removeFromBottom (6);
        list.setBounds (area);
    }

    RelinkPanel& panel;
    juce::ListBox list { "relink" };
    juce::ProgressBar progressBar;
    juce::Label status;
    juce::TextButton accept { "Accept selected" }, acceptCertain { "Accept all certain" }, browse { "Browse..." }, keep { "Keep this file" }, cancel { "Cancel" },
                     addFolder { "Add search folder..." }, searchAgain { "Search again" }, close { "Close" };
};

RelinkPanel::RelinkPanel (SessionDocument& sessionDocument, MainComponent& mainComponent, FileBrowserWindow& fileBrowser)
    : ToolWindow ("Relink missing media", new Content (*this, progress), { 640, 320 }),
      document (sessionDocument), main (mainComponent), browser (fileBrowser)
{
    content = dynamic_cast<Content*> (getContentComponent());
    content->list.setModel (content);
    content->accept.onClick = [this] { acceptSelected(); };
    content->acceptCertain.onClick = [this] { acceptAllCertain(); };
    content->browse.onClick = [this] { browseForSelected(); };
    content->keep.onClick = [this] { keepSelected(); };
    content->cancel.onClick = [this] { cancelSearch(); };
    content->cancel.setEnabled (false);
    content->addFolder.onClick = [this] { addFolder(); };
    content->searchAgain.onClick = [this] { search(); };
    content->close.onClick = [this] { setVisible (false); };
}

RelinkPanel::~RelinkPanel()
{
    stopTimer();
    if (searchState != nullptr)
        searchState->cancel = true;   // the search stops after the file (or hash block) it reads
    if (searching.valid())
        searching.wait();
    if (recording.valid())
        recording.wait();   // a few database rows
    if (keeping.valid())
        keeping.wait();     // the facts of changed files and one row
}

void RelinkPanel::open()
{
    showInFront ({ 160, 80 });
    search();
}

void RelinkPanel::search()
{
    if (searching.valid())
        return;   // one at a time; its result comes soon
    const auto sessionPath = document.getPath();
    if (sessionPath.empty())
        return setStatus ("No session is open.", true);
    places.alternatePaths.clear();
    for (const auto& path : document.getPreferences().mediaSearchPaths)
        places.alternatePaths.emplace_back (path);
    searchedPath = sessionPath;
    progress = -1.0;   // busy until the files are listed, then the fraction looked at
    searchStarted = juce::Time::getMillisecondCounterHiRes() / 1000.0;
    content->progressBar.setVisible (true);
    content->cancel.setEnabled (true);
    setStatus ("Searching...", false);
    searchState = std::make_shared<SearchState>();
    searching = std::async (std::launch::async, [session = main.getEditor().getSession(), sessionPath, places = places, state = searchState]
    {
        MetadataDatabase database (MetadataDatabase::pathForSession (sessionPath));
        MediaSearchControl control;
        control.cancel = &state->cancel;
        control.onProgress = [&state] (const MediaSearchProgress& latest)
        {
            std::lock_guard<std::mutex> guard (state->lock);
            state->progress = latest;
        };
        return searchMissingMedia (database, session, sessionPath, places, control);
    });
    startTimerHz (10);
}

void RelinkPanel::timerCallback()
{
    if (keeping.valid() && keeping.wait_for (std::chrono::seconds (0)) == std::future_status::ready)
        keepFinished();
    if (! searching.valid() && ! keeping.valid())
        stopTimer();
    if (searching.valid() && searching.wait_for (std::chrono::seconds (0)) != std::future_status::ready)
    {
        MediaSearchProgress now;
        {
            std::lock_guard<std::mutex> guard (searchState->lock);
            now = searchState->progress;
        }
        progress = now.listing ? -1.0 : now.fraction();
        juce::String line;
        if (searchState->cancel.load())
            line << "Cancelling...";
        else if (now.listing)
            line << "Listing audio files: " << (int) now.filesListed << " so far";
        else
            line << "Looked at " << (int) now.filesLookedAt << " / " << (int) now.filesToLookAt << " audio files";
        if (now.folder.empty() == false)
            line << "\nIn " << text (now.folder);
        setStatus (line, false);
        return;
    }
    if (! searching.valid())
        return;
    if (! keeping.valid())
        stopTimer();
    content->progressBar.setVisible (false);
    content->cancel.setEnabled (false);
    if (searchState != nullptr && ! searchState->cancel.load())
        progress = 1.0;
    try
    {
        result = searching.get();
    }
    catch (const std::exception& error)
    {
        searching = {};
        result = {};
        rebuildRows();
        return setStatus ("The search failed: " + text (error.what()), true);
    }
    if (document.getPath() != searchedPath)
    {
        result = {};
        rebuildRows();
        return setStatus ("Another session was opened meanwhile: Search again.", true);
    }
    rebuildRows();
    int certain = 0;
    for (const auto& clip : result.clips)
        certain += clip.certainCandidate() != nullptr ? 1 : 0;
    juce::String summary;
    if (result.cancelled)
        summary << "Cancelled: the candidates found so far. ";
    summary << (int) result.clips.size() << " missing clip(s), " << certain << " with a certain match; "
            << (int) result.filesExamined << " audio file(s) in " << (int) result.placesSearched.size() << " place(s) searched in "
            << juce::String (result.seconds, 2) << " s.";
    if (! result.placesCut.empty())
        summary << "\nCut (too many files): " << text (result.placesCut.front());
    setStatus (summary, false);
}

void RelinkPanel::rebuildRows()
{
    rows.clear();
    for (size_t clip = 0; clip < result.clips.size(); ++clip)
    {
        const auto& found = result.clips[clip];
        if (found.candidates.empty())
            rows.push_back ({ (int) clip, -1, {}, text (found.clipId) });
        for (size_t candidate = 0; candidate < found.candidates.size(); ++candidate)
            rows.push_back ({ (int) clip, (int) candidate, {}, text (found.clipId) });
    }
    // Replaced files: Keep this file makes one the clip's media (as `cuegrid relink --accept-replaced`).
    for (const auto& [id, warning] : main.getMediaWarnings())
        if (warning.first == "CHANGED")
            rows.push_back ({ -1, -1, warning.second, text (id) });
    content->list.updateContent();
    content->list.repaint();
    if (! rows.empty() && content->list.getSelectedRow() < 0)
        content->list.selectRow (0);
}

void RelinkPanel::acceptSelected()
{
    const auto index = content->list.getSelectedRow();
    if (index < 0 || index >= (int) rows.size() || rows[(size_t) index].clip < 0 || rows[(size_t) index].candidate < 0)
        return setStatus ("Select a candidate first (or Browse... for the selected clip).", true);
    const auto& clip = result.clips[(size_t) rows[(size_t) index].clip];
    accept ({ { &clip, &clip.candidates[(size_t) rows[(size_t) index].candidate] } });
}

void RelinkPanel::acceptAllCertain()
{
    std::vector<std::pair<const MissingClipSearch*, const MediaCandidate*>> choices;
    for (const auto& clip : result.clips)
        if (const auto* certain = clip.certainCandidate())
            choices.emplace_back (&clip, certain);
    if (choices.empty())
        return setStatus ("No certain match (same content hash) to accept.", true);
    accept (choices);
}

void RelinkPanel::browseForSelected()
{
    const auto index = content->list.getSelectedRow();
    if (index < 0 || index >= (int) rows.size() || rows[(size_t) index].clip < 0)
        return setStatus ("Select a missing clip first.", true);
    const auto clipId = result.clips[(size_t) rows[(size_t) index].clip].clipId;
    browser.choose (FileBrowserWindow::Mode::openFile, "Media for clip '" + text (clipId) + "'", "Relink",
                    juce::File (text (searchedPath)).getParentDirectory(), "*.wav;*.aif;*.aiff;*.flac;*.ogg",
                    [safe = juce::Component::SafePointer<RelinkPanel> (this), clipId] (const juce::Array<juce::File>& files)
                    {
                        if (safe == nullptr || files.isEmpty())
                            return;
                        for (const auto& clip : safe->result.clips)
                            if (clip.clipId == clipId)
                            {
                                // The operator's own choice: no evidence is claimed; applyRelink measures it again.
                                MediaCandidate chosen;
                                chosen.path = files[0].getFullPathName().toStdString();
                                chosen.file = sessionRelativePath (safe->searchedPath, chosen.path);
                                chosen.place = "browsed";
                                safe->accept ({ { &clip, &chosen } });
                                return;
                            }
                    });
}

void RelinkPanel::cancelSearch()
{
    if (searchState != nullptr && searching.valid())
        searchState->cancel = true;   // the timer takes the result when the search returns (within one file)
}

void RelinkPanel::keepSelected()
{
    const auto index = content->list.getSelectedRow();
    if (index < 0 || index >= (int) rows.size() || rows[(size_t) index].changedDetail.isEmpty())
        return setStatus ("Select a CHANGED clip first: Keep this file keeps its replaced file as its media.", true);
    if (main.getEditor().isLocked())
        return setStatus ("Show mode: keeping a replaced file is an edit and is locked.", true);
    if (keeping.valid())
        return setStatus ("Still keeping the file of '" + text (keepingClip) + "'.", true);
    const auto sessionPath = document.getPath();
    if (sessionPath.empty())
        return setStatus ("No session is open.", true);
    keepingClip = rows[(size_t) index].clipId.toStdString();
    setStatus ("Keeping the file of '" + text (keepingClip) + "'...", false);
    // The file is hashed when it changed after the session opened: never on the message thread.
    keeping = std::async (std::launch::async, [session = main.getEditor().getSession(), sessionPath, clipId = keepingClip]
    {
        MetadataDatabase database (MetadataDatabase::pathForSession (sessionPath));
        return keepReplacedMedia (database, session, sessionPath, clipId, "user");
    });
    startTimerHz (10);
}

void RelinkPanel::keepFinished()
{
    KeptReplacedMedia kept;
    try
    {
        kept = keeping.get();
    }
    catch (const std::exception& error)
    {
        kept.detail = std::string ("the session database: ") + error.what();
    }
    keeping = {};
    if (! kept.kept)
        return setStatus ("Not kept: '" + text (keepingClip) + "': " + text (kept.detail), true);
    // The buttons' CHANGED came from the facts measured at open and from MediaWatch's stat: both again.
    document.refreshMediaFacts();
    main.resetMediaWatch();
    rows.erase (std::remove_if (rows.begin(), rows.end(), [this] (const Row& row)
                                { return row.changedDetail.isNotEmpty() && row.clipId.toStdString() == keepingClip; }),
                rows.end());
    content->list.updateContent();
    content->list.repaint();
    setStatus ("Kept the file of '" + text (keepingClip) + "' as its media (" + text (kept.detail) + ").", false);
}

void RelinkPanel::addFolder()
{
    browser.choose (FileBrowserWindow::Mode::chooseFolder, "A folder to search for missing media", "Search here",
                    juce::File (text (searchedPath)).getParentDirectory(), {},
                    [safe = juce::Component::SafePointer<RelinkPanel> (this)] (const juce::Array<juce::File>& files)
                    {
                        if (safe == nullptr || files.isEmpty())
                            return;
                        safe->places.userFolders.emplace_back (files[0].getFullPathName().toStdString());
                        safe->search();
                    });
}

void RelinkPanel::accept (const std::vector<std::pair<const MissingClipSearch*, const MediaCandidate*>>& choices)
{
    auto& editor = main.getEditor();
    if (editor.isLocked())
        return setStatus ("Show mode: relinking is an edit and is locked.", true);
    if (document.getPath() != searchedPath || searching.valid())
        return setStatus ("The search is not current: Search again.", true);
    const auto& session = editor.getSession();
    std::vector<RelinkProposal> proposals;
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& [clip, candidate] : choices)
    {
        const auto index = session.findClip (clip->clipId);
        if (index < 0)
            continue;
        RelinkProposal proposal;
        proposal.clipId = clip->clipId;
        proposal.oldFile = session.clips[(size_t) index].file;
        proposal.newFile = candidate->file;
        proposal.contentHash = candidate->certain && candidate->contentHash ? *candidate->contentHash : "";
        proposal.evidence = candidate->place == "browsed" ? "browsed" : mediaEvidenceName (candidate->evidence);
        proposal.acceptedBy = "user";
        for (const auto& other : clip->candidates)
            if (&other != candidate)
                proposal.alsoOffered.emplace_back (other.file, mediaEvidenceName (other.evidence));
        files.emplace_back (proposal.clipId, proposal.newFile);
        proposals.push_back (std::move (proposal));
    }
    if (proposals.empty())
        return setStatus ("The clips are gone from the session: Search again.", true);
    try
    {
        document.recoveryPointNow ("before relink");
    }
    catch (const std::exception& error)
    {
        return setStatus ("No recovery point could be written, nothing relinked: " + text (error.what()), true);
    }
    Session before = session;   // applyRelink reads the clips as they were
    const auto edited = editor.relinkMedia (files, "Relink " + std::to_string (files.size()) + " clip(s)");
    if (! edited)
        return setStatus (text (edited.reason), true);
    const auto saveProblem = main.saveSession();
    if (recording.valid())
        recording.wait();
    recording = std::async (std::launch::async, [before, proposals, sessionPath = searchedPath]() mutable
    {
        try
        {
            MetadataDatabase database (MetadataDatabase::pathForSession (sessionPath));
            applyRelink (database, before, proposals);
        }
        catch (const std::exception& error)
        {
            // The manifest holds the relink; the database misses its history only.
            std::cerr << "CueGrid: the session database did not record the relink: " << error.what() << "\n";
        }
    });
    main.resetMediaWatch();
    // The accepted clips leave the list; the rest stay as found.
    for (const auto& proposal : proposals)
        result.clips.erase (std::remove_if (result.clips.begin(), result.clips.end(),
                                            [&] (const MissingClipSearch& clip) { return clip.clipId == proposal.clipId; }),
                            result.clips.end());
    rebuildRows();
    juce::String summary;
    summary << "Relinked " << (int) proposals.size() << " clip(s)";
    for (const auto& proposal : proposals)
        summary << "; " << text (proposal.clipId) << " -> " << text (proposal.newFile) << " (" << text (proposal.evidence) << ")";
    if (saveProblem.isNotEmpty())
        summary << "\nNot saved: " << saveProblem;
    setStatus (summary, saveProblem.isNotEmpty());
}

void RelinkPanel::setStatus (const juce::String& message, bool problem)
{
    content->status.setText (message, juce::dontSendNotification);
    content->status.setColour (juce::Label::textColourId, problem ? juce::Colour (0xffff8080) : juce::Colours::white);
}

juce::String RelinkPanel::getUiMapLines() const
{
    juce::String lines;
    lines << "text relinkStatus " << content->status.getText().upToFirstOccurrenceOf ("\n", false, false) << "\n";
    lines << "value relinkBusy " << (searching.valid() ? "yes" : "no") << "\n";
    lines << "value relinkProgress " << juce::String (std::max (0.0, progress), 3) << "\n";
    for (int index = 0; index < (int) rows.size(); ++index)
    {
        const auto bounds = content->list.getRowPosition (index, true);
        if (bounds.isEmpty() || ! content->list.isShowing())
            continue;
        const auto centre = content->list.localPointToGlobal (bounds.getCentre());
        const auto& row = rows[(size_t) index];
        juce::String evidence = "none", file = "-";
        if (row.changedDetail.isNotEmpty())
            evidence = "changed";
        else if (row.candidate >= 0)
        {
            const auto& candidate = result.clips[(size_t) row.clip].candidates[(size_t) row.candidate];
            evidence = mediaEvidenceName (candidate.evidence);
            file = text (candidate.file);
        }
        lines << "relinkRow " << index << " " << centre.x << " " << centre.y << " " << row.clipId << " " << evidence << " " << file << "\n";
    }
    return lines;
}

std::vector<std::pair<juce::String, juce::Component*>> RelinkPanel::getControls()
{
    return { { "relinkList", &content->list }, { "relinkAccept", &content->accept }, { "relinkAcceptCertain", &content->acceptCertain },
             { "relinkBrowse", &content->browse }, { "relinkKeep", &content->keep }, { "relinkAddFolder", &content->addFolder }, { "relinkSearch", &content->searchAgain }, { "relinkCancel", &content->cancel },
             { "relinkClose", &content->close } };
}

} // namespace cuegrid
