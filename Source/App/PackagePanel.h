// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/SessionDocument.h"
#include "Session/SessionExport.h"
#include "Session/IncomingMedia.h"
#include "UI/FileBrowserWindow.h"
#include "UI/MainComponent.h"

#include <future>
#include <memory>
#include <optional>

namespace cuegrid
{

/** File > Export ▸ … and File > Import Package…: the non-modal panel for packages and exports
    (docs/media.md "Packages and exports"). Exporting and reading, verifying and copying an
    import run on a background thread (std::async) that the panel polls; only the merge into the
    open session runs on the message thread, as one editor edit after a recovery point. A
    session package is imported into a new folder and then opened (asking first, as File > Open
    does). Imports into the session are refused in Show mode. Message thread. */
class PackagePanel final : public ToolWindow, private juce::Timer
{
public:
    PackagePanel (SessionDocument& document, MainComponent& main, FileBrowserWindow& browser);
    ~PackagePanel() override;

    /** Shows the export side with `kind` chosen, the scope the main window shows. */
    void openExport (ExportKind kind);
    /** Shows the import side and asks for the export folder. */
    void openImport();

    /** Opens a session file (the imported package), asking first as File > Open does. Set by the app. */
    std::function<void (const juce::String& sessionPath)> openSession;

    /** Its controls by name, for the UI map: "packageMode", "packageClips", "packageMedia",
        "packageOut", "packageExport", "packagePath", "packageBrowse", "packageMerge",
        "packageImport", "packageStatus". */
    std::vector<std::pair<juce::String, juce::Component*>> getControls();
    /** For the UI map: "text packageStatus <the status's first line>" and "value packageBusy yes|no". */
    juce::String getUiMapLines() const;

private:
    /** What the background thread made of an import, for the message thread to apply. */
    struct Prepared
    {
        std::string problem;                     // non-empty: failed, nothing changed
        std::optional<LoadedExport> loaded;
        std::optional<IncomingClips> incoming;   // tab, page, clips: media placed for this session
        std::map<std::string, std::string> targetHashes;   // metadata: clip id → content hash
        std::string importedSession;             // a session package: the new session's file
        std::string summary;
    };

    void timerCallback() override;
    void startExport();
    void startImport();
    void applyPrepared (Prepared prepared);
    /** After the edit: the database records the import on a background thread. */
    void recordInDatabase (const LoadedExport& loaded, std::map<std::string, std::string> clipFor, std::string detailsJson);
    void setStatus (const juce::String& text, bool problem);
    void setBusy (bool busy);

    struct Content;
    Content* content = nullptr;
    SessionDocument& document;
    MainComponent& main;
    FileBrowserWindow& browser;
    struct Exported { bool ok = false; std::string text; };
    std::future<Exported> exporting;             // an export on its own thread
    std::future<Prepared> importing;             // an import being read, verified and copied
    std::future<void> recording;                 // an applied import's tags, warp markers and audit event going to the database
    std::string importSessionPath;               // the session the import was prepared for
};

} // namespace cuegrid
