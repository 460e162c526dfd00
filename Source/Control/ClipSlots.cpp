// CueGrid — GPL-3.0-or-later
#include "ClipSlots.h"

#include "Engine/Engine.h"

#include <algorithm>

namespace cuegrid
{

void ClipSlots::reset (const Session& session, std::vector<MediaLoadResult> media)
{
    slots.clear();
    freeSlots.clear();
    retired.clear();
    slots.resize (session.clips.size());
    clipToSlot.resize (session.clips.size());
    slotToClip.resize (session.clips.size());
    media.resize (session.clips.size());
    for (size_t i = 0; i < session.clips.size(); ++i)
    {
        auto& slot = slots[i];
        slot.clipId = session.clips[i].id;
        slot.file = session.clips[i].file;
        slot.media = std::move (media[i]);
        slot.inSession = true;
        slot.gainDb = session.clips[i].playbackGainDb();
        slot.pan = session.clips[i].pan;
        clipToSlot[i] = slotToClip[i] = (int) i;
    }
}

int ClipSlots::allocate()
{
    if (! freeSlots.empty())
    {
        const auto slot = *freeSlots.begin();
        freeSlots.erase (freeSlots.begin());
        return slot;
    }
    if ((int) slots.size() >= Engine::maxClipSlots)
        return -1;
    slots.emplace_back();
    slotToClip.push_back (-1);
    return (int) slots.size() - 1;
}

ClipSlots::Changes ClipSlots::follow (const Session& session, uint64_t fence)
{
    Changes changes;
    // Slots by clip id: a live slot first, then retired ones (an id can be retired more than
    // once: delete "kick", import another "kick", delete that too).
    std::unordered_map<std::string, std::vector<int>> byId;
    for (int slot = 0; slot < (int) slots.size(); ++slot)
        if (! slots[(size_t) slot].clipId.empty())
        {
            auto& list = byId[slots[(size_t) slot].clipId];
            if (slots[(size_t) slot].inSession)
                list.insert (list.begin(), slot);
            else
                list.push_back (slot);
        }

    std::vector<bool> claimed (slots.size(), false);
    clipToSlot.assign (session.clips.size(), -1);
    std::vector<size_t> needSlot;
    for (size_t clip = 0; clip < session.clips.size(); ++clip)
    {
        const auto& definition = session.clips[clip];
        const auto found = byId.find (definition.id);
        if (found == byId.end())
        {
            needSlot.push_back (clip);
            continue;
        }
        for (const auto slot : found->second)
        {
            auto& entry = slots[(size_t) slot];
            if (claimed[(size_t) slot] || entry.file != definition.file)
                continue;
            claimed[(size_t) slot] = true;
            clipToSlot[clip] = slot;
            if (! entry.inSession)
            {
                entry.inSession = true;
                entry.fenceSeenAt = -1;
                entry.successor = -1;
                retired.erase (std::remove (retired.begin(), retired.end(), slot), retired.end());
                changes.reattached.push_back (slot);
            }
            break;
        }
        if (clipToSlot[clip] < 0)
            needSlot.push_back (clip);
    }

    // Live slots no clip claimed: their clip left (or now names another file).
    for (int slot = 0; slot < (int) claimed.size(); ++slot)
    {
        auto& entry = slots[(size_t) slot];
        if (claimed[(size_t) slot] || ! entry.inSession)
            continue;
        entry.inSession = false;
        entry.retiredFence = fence;
        entry.fenceSeenAt = -1;
        entry.successor = -1;
        retired.push_back (slot);
        changes.retired.push_back (slot);
    }

    // New clips, after the retirements, so a slot freed earlier is reused lowest first.
    for (const auto clip : needSlot)
    {
        const auto slot = allocate();
        if (slot < 0)
            continue;  // over Engine::maxClipSlots: the clip has no slot (never played)
        auto& entry = slots[(size_t) slot];
        entry = {};
        entry.clipId = session.clips[clip].id;
        entry.file = session.clips[clip].file;
        entry.inSession = true;
        clipToSlot[clip] = slot;
        changes.added.push_back (slot);
    }

    // A slot retired by this edit whose clip is still in the session (it names another file
    // now: a relink) hands its voices on to the clip's new slot.
    if (! changes.retired.empty())
    {
        const auto clipById = session.clipIndexById();
        for (const auto slot : changes.retired)
            if (const auto found = clipById.find (slots[(size_t) slot].clipId);
                found != clipById.end() && clipToSlot[(size_t) found->second] >= 0)
                slots[(size_t) slot].successor = clipToSlot[(size_t) found->second];
    }

    std::fill (slotToClip.begin(), slotToClip.end(), -1);
    for (size_t clip = 0; clip < clipToSlot.size(); ++clip)
        if (clipToSlot[clip] >= 0)
            slotToClip[(size_t) clipToSlot[clip]] = (int) clip;
    return changes;
}

int ClipSlots::slotOf (int clip) const noexcept
{
    return clip >= 0 && clip < (int) clipToSlot.size() ? clipToSlot[(size_t) clip] : -1;
}

int ClipSlots::clipOf (int slot) const noexcept
{
    return slot >= 0 && slot < (int) slotToClip.size() ? slotToClip[(size_t) slot] : -1;
}

int ClipSlots::clipOfVoice (int slot) const noexcept
{
    // A chain of relinks while one voice plays: each step is a retired slot; bounded, so a
    // cycle (never made by follow) cannot hang the message thread.
    for (size_t steps = 0; steps <= slots.size(); ++steps)
    {
        const auto* entry = find (slot);
        if (entry == nullptr || entry->clipId.empty())
            return -1;
        if (entry->inSession)
            return clipOf (slot);
        slot = entry->successor;
    }
    return -1;
}

std::vector<int> ClipSlots::slotsOfClip (int clip) const
{
    std::vector<int> result;
    const auto own = slotOf (clip);
    if (own < 0)
        return result;
    result.push_back (own);
    for (const auto slot : retired)
        if (clipOfVoice (slot) == clip)
            result.push_back (slot);
    return result;
}

ClipSlots::Slot* ClipSlots::find (int slot) noexcept
{
    return slot >= 0 && slot < (int) slots.size() ? &slots[(size_t) slot] : nullptr;
}

const ClipSlots::Slot* ClipSlots::find (int slot) const noexcept
{
    return slot >= 0 && slot < (int) slots.size() ? &slots[(size_t) slot] : nullptr;
}

ClipAudioPtr ClipSlots::release (int slot)
{
    auto* entry = find (slot);
    if (entry == nullptr || entry->inSession || entry->clipId.empty())
        return nullptr;
    auto audio = std::move (entry->media.audio);
    // A slot that handed its voices on through this one now hands them on past it.
    for (auto& other : slots)
        if (other.successor == slot)
            other.successor = entry->successor;
    *entry = {};
    retired.erase (std::remove (retired.begin(), retired.end(), slot), retired.end());
    freeSlots.insert (slot);
    return audio;
}

} // namespace cuegrid
