// CueGrid — GPL-3.0-or-later
#include "PackagePanel.h"

#include "Session/Errors.h"
#include "Session/MediaFacts.h"
#include "Session/MetadataDatabase.h"
#include "Session/SessionMerge.h"
#include "Session/SessionPackage.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace cuegrid
{

namespace
{
    namespace fs = std::filesystem;
    juce::String text (const std::string& utf8) { return juce::String::fromUTF8 (utf8.c_str()); }

    constexpr ExportKind kindsInMenu[] = { ExportKind::session, ExportKind::metadata, ExportKind::tab, ExportKind::page, ExportKind::clips };
}

struct PackagePanel::Content final : ToolPanel
{
    Content()
    {
        for (auto* component : std::initializer_list<juce::Component*> { &modeLabel, &mode, &media, &clipsLabel, &clips, &outLabel, &out,
                                                                          &exportButton, &pathLabel, &path, &browse, &mergeLabel, &merge,
                                                                          &importButton, &status })
            addAndMakeVisible (component);
        mode.addItem ("Session package: everything, with its media and database", 1);
        mode.addItem ("Metadata: clip properties, matched by content elsewhere", 2);
        mode.addItem ("This tab: its clips, cells and keys", 3);
        mode.addItem ("This page: its tabs, clips and keys", 4);
        mode.addItem ("Clip list: the clips below, in that order", 5);
        mode.setSelectedId (1, juce::dontSendNotification);
        media.setToggleState (true, juce::dontSendNotification);
        merge.addItem ("Into an empty tab (a page: an empty or new page)", 1);
        merge.addItem ("Replace the tab's (page's) cells", 2);
        merge.addItem ("Append into free cells (a page: as a new page)", 3);
        merge.setSelectedId (3, juce::dontSendNotification);
        status.setJustificationType (juce::Justification::topLeft);
        setSize (760, 330);
    }

    ExportKind chosenKind() const { return kindsInMenu[(size_t) juce::jlimit (1, 5, mode.getSelectedId()) - 1]; }
    MergeMode chosenMerge() const
    {
        return merge.getSelectedId() == 1 ? MergeMode::empty : merge.getSelectedId() == 2 ? MergeMode::replace : MergeMode::append;
    }

    void resized() override
    {
        auto area = getLocalBounds().reduced (12);
        const auto row = [&] (juce::Label& label, juce::Component& main, juce::Component* right)
        {
            auto line = area.removeFromTop (30);
            label.setBounds (line.removeFromLeft (110));
            if (right != nullptr)
            {
                right->setBounds (line.removeFromRight (120));
                line.removeFromRight (8);
            }
            main.setBounds (line);
            area.removeFromTop (8);
        };
        row (modeLabel, mode, &media);
        row (clipsLabel, clips, nullptr);
        row (outLabel, out, &exportButton);
        area.removeFromTop (10);
        row (pathLabel, path, &browse);
        row (mergeLabel, merge, &importButton);
        status.setBounds (area);
    }

    juce::Label modeLabel { {}, "Export" }, clipsLabel { {}, "Clips (ids)" }, outLabel { {}, "Into folder" };
    juce::Label pathLabel { {}, "Import" }, mergeLabel { {}, "Merge" }, status;
    juce::ComboBox mode, merge;
    juce::ToggleButton media { "Copy media" };
    juce::TextEditor clips, out, path;
    juce::TextButton exportButton { "Export" }, browse { "Browse..." }, importButton { "Import" };
};

PackagePanel::PackagePanel (SessionDocument& sessionDocument, MainComponent& mainComponent, FileBrowserWindow& fileBrowser)
    : ToolWindow ("Packages and exports", new Content(), { 600, 300 }),
      document (sessionDocument), main (mainComponent), browser (fileBrowser)
{
    content = dynamic_cast<Content*> (getContentComponent());
    content->exportButton.onClick = [this] { startExport(); };
    content->importButton.onClick = [this] { startImport(); };
    content->path.onReturnKey = [this] { startImport(); };
    content->browse.onClick = [this]
    {
        browser.choose (FileBrowserWindow::Mode::chooseFolder, "An export folder (it holds package.json)", "Use this export",
                        juce::File (content->path.getText()), {},
                        [safe = juce::Component::SafePointer<PackagePanel> (this)] (const juce::Array<juce::File>& files)
                        {
                            if (safe != nullptr && ! files.isEmpty())
                                safe->content->path.setText (files[0].getFullPathName(), false);
                        });
    };
}

PackagePanel::~PackagePanel()
{
    stopTimer();
    // A running export or import finishes first (it owns no window); its result is dropped.
    if (exporting.valid())
        exporting.wait();
    if (importing.valid())
        importing.wait();
    if (recording.valid())
        recording.wait();
}

void PackagePanel::openExport (ExportKind kind)
{
    for (size_t i = 0; i < std::size (kindsInMenu); ++i)
        if (kindsInMenu[i] == kind)
            content->mode.setSelectedId ((int) i + 1, juce::dontSendNotification);
    const auto scope = main.shownScope();
    if (content->clips.isEmpty())
        content->clips.setText (text (scope.clip), false);
    if (const auto& session = document.getPath(); ! session.empty())
        content->out.setText (text (defaultExportFolder (document.getHome() / "Exports", session).string()), false);
    setStatus ("Exports the shown page " + juce::String (scope.page + 1) + ", tab " + juce::String (scope.tab + 1)
                   + " (tab and page modes). Nothing stops the show while it runs.", false);
    showInFront ({ 180, 90 });
}

void PackagePanel::openImport()
{
    const auto scope = main.shownScope();
    setStatus ("A session package opens as a new session; a tab, page or clip list goes into page " + juce::String (scope.page + 1)
                   + ", tab " + juce::String (scope.tab + 1) + " of this session; metadata applies to the clips with the same content.",
               false);
    showInFront ({ 180, 90 });
    content->browse.triggerClick();
}

void PackagePanel::setStatus (const juce::String& line, bool problem)
{
    content->status.setText (line, juce::dontSendNotification);
    content->status.setColour (juce::Label::textColourId, problem ? juce::Colour (0xffffb74d) : juce::Colours::white);
}

void PackagePanel::setBusy (bool busy)
{
    content->exportButton.setEnabled (! busy);
    content->importButton.setEnabled (! busy);
    if (busy)
        startTimer (100);
    else
        stopTimer();
}

void PackagePanel::startExport()
{
    if (exporting.valid() || importing.valid())
        return;
    const auto sessionPath = document.getPath();
    if (sessionPath.empty())
        return setStatus ("Save the session first: an export is made from a session file.", true);
    const auto scope = main.shownScope();
    ExportRequest request;
    request.kind = content->chosenKind();
    request.sessionPath = sessionPath;
    request.outFolder = content->out.getText().toStdString();
    request.page = scope.page;
    request.tab = scope.tab;
    request.withMedia = content->media.getToggleState();
    for (const auto& id : juce::StringArray::fromTokens (content->clips.getText(), ", ", {}))
        if (id.isNotEmpty())
            request.clipIds.push_back (id.toStdString());
    if (request.outFolder.empty())
        request.outFolder = defaultExportFolder (document.getHome() / "Exports", sessionPath);
    // The session as it is now, unsaved edits included; the thread works on its own copy.
    exporting = std::async (std::launch::async, [session = main.getEditor().getSession(), request]() -> Exported
    {
        try
        {
            const auto result = exportSession (session, request);
            std::string summary = "Exported to " + result.folder.string() + ": " + std::to_string (result.clips) + " clip(s), "
                                  + std::to_string (result.mediaFiles) + " media file(s) copied.";
            for (const auto& warning : result.warnings)
                summary += "\n" + warning;
            return { true, summary };
        }
        catch (const std::exception& error)
        {
            return { false, std::string ("Not exported: ") + error.what() };
        }
    });
    setStatus ("Exporting...", false);
    setBusy (true);
}

void PackagePanel::startImport()
{
    if (exporting.valid() || importing.valid())
        return;
    const fs::path package = content->path.getText().toStdString();
    if (package.empty())
        return setStatus ("Choose an export folder (Browse...).", true);
    // Its media would be collected into the media folder a running change is copying away.
    if (main.getEditor().isMediaLocked())
        return setStatus ("Not imported: a media folder change is running; import when it is done.", true);
    importSessionPath = document.getPath();
    const auto sessionsRoot = document.getHome() / "Sessions";
    importing = std::async (std::launch::async, [package, sessionPath = importSessionPath, sessionsRoot,
                                                 session = main.getEditor().getSession()]() -> Prepared
    {
        Prepared prepared;
        try
        {
            prepared.loaded = readExport (package);
            const auto& loaded = *prepared.loaded;
            if (loaded.descriptor.kind == ExportKind::session)
            {
                const auto result = importPackage (loaded, defaultImportFolder (loaded, sessionsRoot));
                prepared.importedSession = result.sessionFile.string();
                prepared.summary = "Imported as " + prepared.importedSession + ": " + std::to_string (result.files) + " file(s) verified, "
                                   + std::to_string (result.playable) + " of " + std::to_string (result.clips) + " clip(s) playable.";
                for (const auto& problem : result.problems)
                    prepared.summary += "\n" + problem;
                return prepared;
            }
            if (sessionPath.empty())
                throw InputError (package.string(), 0, 0, "save the session first: an import goes into a session file's folder");
            if (const auto problems = verifyExport (loaded); ! problems.empty())
            {
                std::string all = "Verification failed, nothing changed:";
                for (const auto& problem : problems)
                    all += "\n" + problem;
                prepared.problem = all;
                return prepared;
            }
            std::map<std::string, std::string> fileByHash;
            std::unique_ptr<MetadataDatabase> database;
            try
            {
                database = std::make_unique<MetadataDatabase> (MetadataDatabase::pathForSession (sessionPath));
                refreshMediaFacts (*database, session, sessionPath);
                for (const auto& record : database->allMedia())
                    if (record.contentHash)
                    {
                        prepared.targetHashes[record.clipId] = *record.contentHash;
                        fileByHash.emplace (*record.contentHash, record.file);
                    }
            }
            catch (const std::exception&)
            {
                database.reset();   // no database: media is matched by nothing and copied
            }
            if (loaded.descriptor.kind != ExportKind::metadata)
                prepared.incoming = prepareIncomingClips (loaded, sessionPath, fileByHash, importMediaFolder (database.get(), sessionPath));
        }
        catch (const std::exception& error)
        {
            prepared.problem = std::string ("Not imported: ") + error.what();
        }
        return prepared;
    });
    setStatus ("Reading and verifying the export...", false);
    setBusy (true);
}

void PackagePanel::timerCallback()
{
    using namespace std::chrono_literals;
    if (exporting.valid() && exporting.wait_for (0s) == std::future_status::ready)
    {
        const auto result = exporting.get();
        setBusy (false);
        setStatus (text (result.text), ! result.ok);
    }
    if (importing.valid() && importing.wait_for (0s) == std::future_status::ready)
    {
        auto prepared = importing.get();
        setBusy (false);
        applyPrepared (std::move (prepared));
    }
}

void PackagePanel::applyPrepared (Prepared prepared)
{
    if (! prepared.problem.empty())
        return setStatus (text (prepared.problem), true);
    if (! prepared.importedSession.empty())
    {
        setStatus (text (prepared.summary), false);
        if (openSession)
            openSession (text (prepared.importedSession));
        return;
    }
    if (document.getPath() != importSessionPath)
        return setStatus ("Another session was opened meanwhile: import again.", true);
    auto& editor = main.getEditor();
    if (editor.isLocked())
        return setStatus ("Show mode: importing into the session is locked.", true);
    const auto& loaded = *prepared.loaded;
    const auto name = loaded.descriptor.sessionName.empty() ? loaded.folder.filename().string() : loaded.descriptor.sessionName;
    try
    {
        document.recoveryPointNow ("before package import");
    }
    catch (const std::exception& error)
    {
        return setStatus (text (std::string ("No recovery point could be written, nothing imported: ") + error.what()), true);
    }
    if (loaded.descriptor.kind == ExportKind::metadata)
    {
        const auto applied = applyMetadata (editor.getSession(), prepared.targetHashes, loaded.session, loaded.descriptor.clips);
        const auto result = editor.applyClipProperties (applied.session, "Apply metadata from '" + name + "'");
        if (result)
        {
            std::map<std::string, std::string> clipFor;
            for (const auto& match : applied.applied)
                clipFor[match.exportedId] = match.targetId;
            nlohmann::json details { { "package", loaded.folder.string() }, { "kind", "metadata" }, { "source", loaded.descriptor.source },
                                     { "applied", applied.applied.size() }, { "changed", applied.changed }, { "unmatched", applied.unmatched },
                                     { "by", "app" } };
            recordInDatabase (loaded, std::move (clipFor), details.dump());
        }
        return setStatus (result ? "Metadata of " + juce::String ((int) applied.applied.size()) + " clip(s) applied ("
                                       + juce::String (applied.changed) + " changed); " + juce::String ((int) applied.unmatched.size())
                                       + " clip(s) matched nothing."
                                 : text (result.reason),
                          ! result);
    }
    const auto scope = main.shownScope();
    const auto merged = mergeExport (editor.getSession(), prepared.incoming->exported, loaded.descriptor.kind,
                                     { content->chosenMerge(), scope.page, scope.tab });
    if (! merged.refusal.empty())
        return setStatus (text (merged.refusal), true);
    const auto result = editor.applyMerge (merged.session, merged.addedClips,
                                           std::string ("Import ") + exportKindName (loaded.descriptor.kind) + " from '" + name + "'");
    if (! result)
        return setStatus (text (result.reason), true);
    std::map<std::string, std::string> clipFor;
    for (size_t i = 0; i < prepared.incoming->exported.clips.size() && i < merged.addedClips.size(); ++i)
        clipFor[prepared.incoming->exported.clips[i].id] = merged.addedClips[i];
    nlohmann::json details { { "package", loaded.folder.string() }, { "kind", exportKindName (loaded.descriptor.kind) },
                             { "source", loaded.descriptor.source }, { "merge", mergeModeName (content->chosenMerge()) },
                             { "where", merged.where }, { "added", merged.addedClips }, { "removed", merged.removedClips },
                             { "droppedKeys", merged.droppedKeys }, { "by", "app" } };
    details["renamed"] = nlohmann::json::object();
    for (const auto& [from, to] : merged.renamed)
        details["renamed"][from] = to;
    recordInDatabase (loaded, std::move (clipFor), details.dump());
    auto summary = "Imported " + std::to_string (merged.addedClips.size()) + " clip(s) into " + merged.where + "; "
                   + std::to_string (prepared.incoming->copied) + " media file(s) copied.";
    for (const auto& [from, to] : merged.renamed)
        summary += "\nclip id '" + from + "' was taken: imported as '" + to + "'";
    for (const auto& key : merged.droppedKeys)
        summary += "\nkey " + key;
    for (const auto& warning : prepared.incoming->warnings)
        summary += "\n" + warning;
    setStatus (text (summary), ! merged.droppedKeys.empty() || ! prepared.incoming->warnings.empty());
}

void PackagePanel::recordInDatabase (const LoadedExport& loaded, std::map<std::string, std::string> clipFor, std::string detailsJson)
{
    if (recording.valid())
        recording.wait();   // the previous import's few rows (rare: two imports within moments)
    recording = std::async (std::launch::async, [loaded, clipFor = std::move (clipFor), detailsJson = std::move (detailsJson),
                                                 session = main.getEditor().getSession(), sessionPath = document.getPath()]
    {
        try
        {
            MetadataDatabase database (MetadataDatabase::pathForSession (sessionPath));
            refreshMediaFacts (database, session, sessionPath);   // rows for the new clips first
            recordImport (database, loaded, clipFor, detailsJson);
        }
        catch (const std::exception& error)
        {
            // The manifest holds the import; the database misses its history only.
            std::cerr << "CueGrid: the session database did not record the import: " << error.what() << "\n";
        }
    });
}

juce::String PackagePanel::getUiMapLines() const
{
    const auto busy = exporting.valid() || importing.valid();
    return "text packageStatus " + content->status.getText().upToFirstOccurrenceOf ("\n", false, false) + "\nvalue packageBusy "
           + (busy ? "yes" : "no") + "\n";
}

std::vector<std::pair<juce::String, juce::Component*>> PackagePanel::getControls()
{
    return { { "packageMode", &content->mode }, { "packageClips", &content->clips }, { "packageMedia", &content->media },
             { "packageOut", &content->out }, { "packageExport", &content->exportButton }, { "packagePath", &content->path },
             { "packageBrowse", &content->browse }, { "packageMerge", &content->merge }, { "packageImport", &content->importButton },
             { "packageStatus", &content->status } };
}

} // namespace cuegrid
