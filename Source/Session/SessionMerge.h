// CueGrid — GPL-3.0-or-later
#pragma once

#include "ExportDescriptor.h"
#include "SessionModel.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cuegrid
{

/** How an imported tab, page or clip list meets the target (docs/media.md "Packages and exports"):
    - empty: into an empty tab (page: an empty page, or a new one at the end); refused otherwise;
    - replace: the target tab's (page's) cells are replaced; clips left in no cell leave the session;
    - append: a tab's or list's clips go into the target tab's free cells in reading order (a
      page becomes a new page at the end); refused when there are too few. */
enum class MergeMode { empty, replace, append };
const char* mergeModeName (MergeMode mode);
std::optional<MergeMode> mergeModeFromName (const std::string& name);

/** Where an import goes: page and tab, 0-based (a page merge uses only `page`). */
struct MergeTarget
{
    MergeMode mode = MergeMode::append;
    int page = 0, tab = 0;
};

struct MergeResult
{
    std::string refusal;                                   // non-empty: refused, `session` is the target unchanged
    Session session;                                       // the target with the import merged
    std::vector<std::pair<std::string, std::string>> renamed;   // incoming id → its id here (the id was taken)
    std::vector<std::string> addedClips;                   // ids in the merged session, in the export's order
    std::vector<std::string> removedClips;                 // replace: clips that left the session
    std::vector<std::string> droppedKeys;                  // key conflicts: the target's binding kept, why
    std::string where;                                     // "page 'Show', tab 'Drums'"
};

/** Merges the tab, page or clip list of `exported` (readExport's session: the tab or page as
    its page 1, clips in export order; media paths already as the target should store them)
    into `target`. Pure: no files are touched. Conflicts:
    - ids: an incoming clip whose id the target has (after a replace removed its clips) gets a
      fresh one ("kick-2"), in its cells and keys too;
    - keys: an incoming key already bound on the target page or globally (a global one: on any
      page) is dropped and the target's binding kept; each is listed in droppedKeys.
    A tab (page) missing in the target is added as the editor adds it (empty 4 × 8 "Tab n"). */
MergeResult mergeExport (const Session& target, const Session& exported, ExportKind kind, const MergeTarget& where);

/** Which clip of the target a metadata export's clip was applied to, and how it was matched. */
struct MetadataMatch
{
    std::string exportedId, targetId;
    bool byHash = false;                  // same content hash (else by id)
    std::string note;                     // by id: "content differs" / "content unknown"
};

struct MetadataApplyResult
{
    Session session;                      // the target with the properties applied
    std::vector<MetadataMatch> applied;   // in the target's clip order
    std::vector<std::string> unmatched;   // target clips no exported clip matched
    std::vector<std::string> ambiguous;   // target clips whose content several exported clips have, none by id
    int changed = 0;                      // target clips whose properties differ after applying
};

/** Applies the clip properties of a metadata export to the clips of `target` that match:
    first by content hash (`targetHashes`: clip id → XXH3 from the target's database; the
    exported hashes from its descriptor), an exported clip of the same id preferred when
    several share the content; else by id. Every property but the id, the file and the
    timecode trigger (which belongs to the show's timeline and rate) is copied: label, colour,
    group, gains, fades and curves, cue and loop points, edge fade, retrigger, solo, pan,
    notes. Pure: no files are touched (warp markers and tags go to the database, by the caller). */
MetadataApplyResult applyMetadata (const Session& target, const std::map<std::string, std::string>& targetHashes,
                                   const Session& exported, const std::map<std::string, ExportedClipFacts>& exportedFacts);

} // namespace cuegrid
