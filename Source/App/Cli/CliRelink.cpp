// CueGrid — GPL-3.0-or-later
// `cuegrid relink`: missing media searched by content hash, properties and name through the
// places docs/media.md lists; certain (hash) matches applied on request, everything else
// reported as candidates with their evidence (docs/cli.md).
#include "CliRelink.h"
#include "CliCommands.h"
#include "CliReport.h"

#include "Session/AppFolders.h"
#include "Session/AtomicFile.h"
#include "Session/Errors.h"
#include "Session/MediaFacts.h"
#include "Session/MediaRelink.h"
#include "Session/MediaSearch.h"
#include "Session/MetadataDatabase.h"
#include "Session/SessionManifest.h"
#include "Session/SessionStore.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace cuegrid::cli
{

namespace
{
    namespace fs = std::filesystem;


    std::string percent (double fraction)
    {
        return std::to_string ((int) std::lround (fraction * 100.0)) + " %";
    }

    std::string describe (const MediaCandidate& candidate)
    {
        std::string text = "name " + percent (candidate.nameSimilarity);
        for (const auto& note : candidate.notes)
            text += "; " + note;
        return text;
    }

    template <typename T>
    nlohmann::json optionalJson (const std::optional<T>& value)
    {
        return value ? nlohmann::json (*value) : nlohmann::json();
    }

    nlohmann::json candidateJson (const MediaCandidate& candidate)
    {
        return { { "file", candidate.file }, { "path", candidate.path }, { "evidence", mediaEvidenceName (candidate.evidence) },
                 { "certain", candidate.certain }, { "place", candidate.place }, { "nameSimilarity", candidate.nameSimilarity },
                 { "contentHash", optionalJson (candidate.contentHash) }, { "sampleRate", candidate.sampleRate },
                 { "channels", candidate.channels }, { "bitDepth", optionalJson (candidate.bitDepth) },
                 { "durationSec", candidate.durationSec }, { "channelsAsExpected", candidate.channelsAsExpected },
                 { "notes", candidate.notes } };
    }
} // namespace

CLI::App* addRelinkCommand (CLI::App& app, RelinkOptions& options)
{
    auto* command = app.add_subcommand ("relink", "Find clips' missing media by content hash, properties and name; relink certain matches");
    command->add_option ("SESSION", options.session, "Session manifest (*.cuegrid)")->required();
    command->add_option ("FOLDER", options.folders, "Folders to search (the older form: applies certain matches unless --dry-run)");
    command->add_option ("--search", options.search, "A folder to search too (repeatable)");
    command->add_option ("--apply", options.apply, "certain: relink hash matches (recovery point first); none: report only (default)")
        ->check (CLI::IsMember ({ "certain", "none" }));
    command->add_option ("--json", options.jsonOut, "Write the report as JSON to OUT (- for stdout)");
    command->add_option ("--accept-replaced", options.acceptReplaced, "Keep the replaced file of clip ID as its media (repeatable; audited)");
    command->add_flag ("--recursive", options.recursive, "Accepted for the older form; folders are always searched with their subfolders");
    command->add_flag ("--dry-run", options.dryRun, "Report only (= --apply none)");
    return command;
}

int runRelink (const RelinkOptions& options)
{
    auto loaded = loadSessionOrReport (options.session);
    if (! loaded)
        return invalidInput;
    auto& session = *loaded;
    MediaSearchPlaces places;
    for (const auto* list : { &options.folders, &options.search })
        for (const auto& folder : *list)
        {
            std::error_code code;
            if (! fs::is_directory (folder, code))
            {
                printError (folder + ": not a folder");
                return invalidInput;
            }
            places.userFolders.emplace_back (folder);
        }
    if (options.dryRun && options.apply == "certain")
    {
        printError ("--dry-run and --apply certain contradict each other");
        return invalidInput;
    }
    const bool applyCertain = ! options.dryRun && (options.apply == "certain" || (options.apply.empty() && ! options.folders.empty()));
    const auto preferences = Preferences::load (Preferences::defaultPath());
    for (const auto& folder : preferences.preferences.mediaSearchPaths)
        places.alternatePaths.emplace_back (folder);

    try
    {
        MetadataDatabase database (MetadataDatabase::pathForSession (options.session));
        // Facts first: a clip measured now (its file present) needs no search, and only
        // recorded content can be recognised elsewhere.
        auto checks = refreshMediaFacts (database, session, options.session);
        const auto index = session.clipIndexById();
        for (const auto& id : options.acceptReplaced)
        {
            const auto check = std::find_if (checks.begin(), checks.end(), [&] (const MediaFactsCheck& c) { return c.clipId == id; });
            if (check == checks.end() || check->state != MediaFactsCheck::State::changed || ! acceptReplacedMedia (database, id, "cli"))
            {
                printError ("--accept-replaced " + id + ": the clip has no replaced file to accept");
                return invalidInput;
            }
            std::cout << "  " << id << ": the replaced file is now the clip's media (" << check->detail << ")\n";
            check->state = MediaFactsCheck::State::remeasured;
        }
        nlohmann::json report { { "session", options.session }, { "apply", applyCertain ? "certain" : "none" } };
        report["flagged"] = nlohmann::json::array();
        for (const auto& check : checks)
            if (check.state == MediaFactsCheck::State::changed)
            {
                // Detection by format: never a silent replacement.
                printWarning ("clip '" + check.clipId + "' (" + session.clips[(size_t) index.at (check.clipId)].file
                              + "): the file holds other content than recorded (" + check.detail + ")");
                report["flagged"].push_back ({ { "clip", check.clipId }, { "detail", check.detail }, { "formatChanged", check.formatChanged } });
            }

        const auto result = searchMissingMedia (database, session, options.session, places);
        std::vector<RelinkProposal> proposals;
        std::vector<const MissingClipSearch*> unconfirmed;
        int notFound = 0;
        report["clips"] = nlohmann::json::array();
        for (const auto& clip : result.clips)
        {
            nlohmann::json entry { { "clip", clip.clipId }, { "file", clip.file }, { "recorded", clip.recorded },
                                   { "expectedChannels", optionalJson (clip.expectedChannels) } };
            entry["candidates"] = nlohmann::json::array();
            for (const auto& candidate : clip.candidates)
                entry["candidates"].push_back (candidateJson (candidate));
            if (const auto* certain = clip.certainCandidate())
            {
                std::cout << "  " << clip.clipId << ": " << clip.file << " -> " << certain->file << "  (certain: content hash, found in the "
                          << certain->place << ")\n";
                RelinkProposal proposal;
                proposal.clipId = clip.clipId;
                proposal.oldFile = clip.file;
                proposal.newFile = certain->file;
                proposal.contentHash = certain->contentHash.value_or ("");
                proposal.evidence = "hash";
                proposal.acceptedBy = "cli";
                for (const auto& other : clip.candidates)
                    if (&other != certain)
                        proposal.alsoOffered.emplace_back (other.file, mediaEvidenceName (other.evidence));
                proposals.push_back (proposal);
                entry["decision"] = applyCertain ? "relinked" : "certain (not applied)";
                entry["to"] = certain->file;
            }
            else if (! clip.candidates.empty())
            {
                std::cout << "  " << clip.clipId << ": " << clip.file << ": no certain match; " << clip.candidates.size()
                          << " candidate(s) to confirm:\n";
                for (const auto& candidate : clip.candidates)
                    std::cout << "      " << mediaEvidenceName (candidate.evidence) << "  " << candidate.file << "  (" << describe (candidate) << ")\n";
                unconfirmed.push_back (&clip);
                entry["decision"] = "needs confirmation";
            }
            else
            {
                printWarning ("clip '" + clip.clipId + "' (" + clip.file + "): not found" + (clip.recorded ? "" : " (its content was never recorded)"));
                ++notFound;
                entry["decision"] = "not found";
            }
            report["clips"].push_back (std::move (entry));
        }

        bool relinked = false;
        if (applyCertain && (! proposals.empty() || ! unconfirmed.empty()))
        {
            if (! proposals.empty())
            {
                // The manifest first, atomically, with a recovery point before it: the database
                // and its audit trail say "relinked" only once the manifest does.
                auto relinkedSession = session;
                for (const auto& proposal : proposals)
                    relinkedSession.clips[(size_t) index.at (proposal.clipId)].file = proposal.newFile;
                SessionStore store (options.session, SessionStore::userSettings());
                try
                {
                    store.recoveryPointNow (session, "before relink");   // a risky operation: the way back
                }
                catch (const OutputError& error)
                {
                    printWarning (std::string ("no recovery point before the relink: ") + error.what());
                }
                store.save (relinkedSession);
                applyRelink (database, session, proposals);
                relinked = true;
            }
            // The CLI's decision on the rest: offered, not taken.
            for (const auto* clip : unconfirmed)
            {
                nlohmann::json candidates = nlohmann::json::array();
                for (const auto& candidate : clip->candidates)
                    candidates.push_back ({ { "file", candidate.file }, { "evidence", mediaEvidenceName (candidate.evidence) },
                                            { "nameSimilarity", candidate.nameSimilarity }, { "notes", candidate.notes } });
                database.addAudit ("relink-unconfirmed", nlohmann::json { { "clip", clip->clipId }, { "file", clip->file },
                                                                          { "candidates", candidates },
                                                                          { "decision", "left missing: no certain match" },
                                                                          { "decidedBy", "cli" } }.dump());
            }
        }

        const auto missing = (int) result.clips.size();
        const auto stillMissing = missing - (relinked ? (int) proposals.size() : 0);
        report["summary"] = { { "missing", missing }, { "certain", proposals.size() }, { "toConfirm", unconfirmed.size() },
                              { "notFound", notFound }, { "relinked", relinked ? proposals.size() : 0 }, { "stillMissing", stillMissing },
                              { "flagged", report["flagged"].size() }, { "filesExamined", result.filesExamined },
                              { "filesHashed", result.filesHashed }, { "bytesHashed", result.bytesHashed }, { "seconds", result.seconds } };
        report["searched"] = nlohmann::json::array();
        for (const auto& [place, folder] : result.placesSearched)
            report["searched"].push_back ({ { "place", place }, { "folder", folder } });
        report["cut"] = result.placesCut;
        for (const auto& folder : result.placesCut)
            printWarning (folder + ": more than " + std::to_string (places.maxFilesPerPlace) + " audio files; searched only that many");

        std::cout << "cuegrid: " << missing << " clip(s) with missing media, " << proposals.size() << " found";
        if (! unconfirmed.empty())
            std::cout << ", " << unconfirmed.size() << " with candidates to confirm";
        std::cout << (relinked ? ", relinked and saved" : ! proposals.empty() ? (options.dryRun ? " (dry run: nothing changed)" : " (--apply none: nothing changed)")
                                                                              : (options.dryRun ? " (dry run: nothing changed)" : ""))
                  << "\n";
        if (! options.jsonOut.empty())
        {
            const auto text = report.dump (2) + "\n";
            if (options.jsonOut == "-")
                std::cout << text;
            else
            {
                try
                {
                    writeFileAtomically (options.jsonOut, text);
                }
                catch (const OutputError& error)
                {
                    printError (error.what());
                    return outputUnwritable;
                }
            }
        }
        return stillMissing > 0 ? missingMedia : success;
    }
    catch (const InputError& error)
    {
        printError (error.what());
        return invalidInput;
    }
    catch (const OutputError& error)
    {
        printError (error.what());
        return outputUnwritable;
    }
}

} // namespace cuegrid::cli
