// CueGrid — GPL-3.0-or-later
#pragma once

#include "Session/MediaLoader.h"
#include "Session/SessionModel.h"

#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace cuegrid
{

/** Which engine clip slot each clip of a session plays in, and the decoded media of each slot.

    A clip keeps its slot, by clip id, for as long as it is in the session: adding, deleting,
    moving, cutting and pasting other clips never renumbers it, so an edit never touches a
    voice of another clip (its gain, pan, stop and pause commands name the slot). A loaded
    session starts with slot i = clip i, as the CLI's render and play use them.

    A clip that leaves the session (deleted, cut, an undone import) leaves its slot *retired*:
    the slot keeps its id and media, so a voice of it plays on (to its end, or until STOP ALL,
    FADE ALL or PANIC), and a clip with the same id and file that comes back (undo, paste of a
    cut) takes the same slot again, voice and all. The owner frees a retired slot once no
    voice uses it (release()); only then may a new clip get that slot number.

    A clip that stays in the session but names another file (relinked, its media replaced)
    gets a new slot for the new media; the old slot is retired with the new one as its
    *successor*, so a voice still playing the old media stays the clip's voice (its button
    shows it, STOP on the clip reaches it: clipOfVoice, slotsOfClip) until it ends.

    Plain bookkeeping: no engine, no threads. Message thread only (ShowController's). */
class ClipSlots
{
public:
    struct Slot
    {
        std::string clipId;          // the clip it plays; empty: free
        std::string file;            // the clip's file, as the manifest writes it
        MediaLoadResult media;       // the decoded audio, or why there is none
        bool inSession = false;      // false with an id: retired (the clip left; a voice may still sound)
        uint64_t loadTicket = 0;     // not 0: its media is being decoded by that background request
        double gainDb = 0.0;         // the playback gain (gain + level trim) last sent to the engine
        double pan = 0.0;            // the pan last sent to the engine
        uint64_t retiredFence = 0;   // Engine::getCommandsPosted() when the clip left
        int64_t fenceSeenAt = -1;    // engine sample position when that fence was first seen received
        int successor = -1;          // retired because its clip now names another file: the clip's new slot
    };

    /** A fresh session: slot i is clip i with `media[i]`. Every earlier slot is forgotten. */
    void reset (const Session& session, std::vector<MediaLoadResult> media);

    /** What follow() did. */
    struct Changes
    {
        std::vector<int> added;        // slots newly given to clips: they need media and their levels
        std::vector<int> reattached;   // retired slots whose clip came back (same id and file)
        std::vector<int> retired;      // slots whose clip left the session
    };

    /** Matches the slots to `session`'s clip list after an edit: a clip keeps the slot that
        has its id and file (a retired one comes back), a new clip gets the lowest free slot,
        and slots whose clip is gone are retired with `fence` (Engine::getCommandsPosted()).
        A clip past Engine::maxClipSlots slots gets no slot (slotOf = -1). */
    Changes follow (const Session& session, uint64_t fence);

    /** The slot of clip index `clip`, or -1. */
    int slotOf (int clip) const noexcept;
    /** The clip index that plays in `slot`, or -1 (free or retired). */
    int clipOf (int slot) const noexcept;
    /** The clip index a voice playing in `slot` belongs to: the slot's clip, or for a slot
        retired because its clip now names another file, that clip (through any number of
        such changes); -1 for a free slot or one whose clip left the session. */
    int clipOfVoice (int slot) const noexcept;
    /** Every slot a voice of clip index `clip` can play in: its own slot first, then the
        retired slots whose voices are still its own (clipOfVoice). Empty without a slot. */
    std::vector<int> slotsOfClip (int clip) const;
    /** The slot's entry, or nullptr past the end. */
    Slot* find (int slot) noexcept;
    const Slot* find (int slot) const noexcept;

    /** Retired slots, in the order they were retired. */
    const std::vector<int>& retiredSlots() const noexcept { return retired; }
    /** Frees a retired slot (no voice uses it any more): its media is given back through the
        returned pointer, for the caller to free off the audio thread. */
    ClipAudioPtr release (int slot);

    /** One past the highest slot ever given (the engine's clip gain table size). */
    int size() const noexcept { return (int) slots.size(); }

private:
    int allocate();

    std::vector<Slot> slots;
    std::vector<int> clipToSlot;      // per clip index
    std::vector<int> slotToClip;      // per slot; -1 free or retired
    std::set<int> freeSlots;          // below slots.size()
    std::vector<int> retired;
};

} // namespace cuegrid
