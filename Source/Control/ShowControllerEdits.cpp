// CueGrid — GPL-3.0-or-later
// ShowController's clips and their engine slots: following the editor's edits (levels, the
// clip list), each slot's media (shared, decoded ahead or in the background), retired slots
// freed once no voice uses them. Message thread.
#include "ShowController.h"

#include "Session/ClipPlayback.h"
#include "Session/MediaCache.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

namespace cuegrid
{

namespace
{
    /** Pins the heads of each streamed clip audio in the session's slots: the cue in and loop
        in of every clip that plays it (several clips of one file share it), so a start from an
        edited cue point is instant; heads no clip starts from any more (an old cue in, a
        deleted clip's) are unpinned. With `onlyClips`, only the audio those clips (ids) play.
        MediaCache::setHeads never reads the disk: its reader threads load what is missing. */
    void pinClipHeads (const Session& session, const ClipSlots& slots, const std::vector<std::string>* onlyClips = nullptr)
    {
        std::set<const ClipAudio*> edited;
        if (onlyClips != nullptr)
            for (const auto& id : *onlyClips)
                if (const auto* entry = slots.find (slots.slotOf (session.findClip (id))); entry != nullptr && entry->media.audio != nullptr)
                    edited.insert (entry->media.audio.get());
        std::map<const ClipAudio*, std::vector<int64_t>> heads;
        for (int clip = 0; clip < (int) session.clips.size(); ++clip)
        {
            const auto* entry = slots.find (slots.slotOf (clip));
            const auto* audio = entry != nullptr ? entry->media.audio.get() : nullptr;
            if (audio == nullptr || ! audio->isStreamed() || (onlyClips != nullptr && edited.count (audio) == 0))
                continue;
            const auto playback = clipPlayback (session, clip, audio->getSampleRate(), audio->getNumFrames());
            heads[audio].push_back (playback.cueIn);
            if (playback.loopOut > playback.loopIn)
                heads[audio].push_back (playback.loopIn);
        }
        for (const auto& [audio, starts] : heads)
            MediaCache::instance().setHeads (*audio, starts);
    }
} // namespace

bool ShowController::isMediaLoading (int clip) const
{
    const auto* slot = slots.find (slots.slotOf (clip));
    return slot != nullptr && slot->loadTicket != 0;
}

bool ShowController::hasMedia (int clip) const
{
    const auto* slot = slots.find (slots.slotOf (clip));
    return slot != nullptr && slot->media.audio != nullptr;
}

int64_t ShowController::getMediaFrames (int clip) const
{
    const auto* slot = slots.find (slots.slotOf (clip));
    return slot != nullptr && slot->media.audio != nullptr ? slot->media.audio->getNumFrames() : 0;
}

std::string ShowController::mediaError (int clip) const
{
    const auto* slot = slots.find (slots.slotOf (clip));
    if (slot != nullptr && slot->loadTicket != 0)
        return "media still loading: " + slot->file;
    return slot != nullptr ? slot->media.error : std::string {};
}

std::string ShowController::mediaWarning (int clip) const
{
    const auto* slot = slots.find (slots.slotOf (clip));
    return slot != nullptr ? slot->media.warning : std::string {};
}

std::string ShowController::clipIdOfSlot (int slot) const
{
    const auto* entry = slots.find (slot);
    return entry != nullptr ? entry->clipId : std::string {};
}

void ShowController::reloadMediaIfRateChanged()
{
    const auto rate = engine->getSampleRate();
    if (rate == mediaRate || loaded.path.empty())
        return;
    // The engine was prepared afresh: no voice is left, so retired slots are free now, and
    // every clip loads again at the new rate, in the background (a load at the old rate,
    // opened or added, is dropped: its slots now wait for the new ticket).
    for (const auto slot : std::vector<int> (slots.retiredSlots()))
        releasePool.retire (slots.release (slot), engine->getCommandsPosted());
    for (int slot = 0; slot < slots.size(); ++slot)
        if (auto* entry = slots.find (slot); entry->inSession)
        {
            releasePool.retire (entry->media.audio, engine->getCommandsPosted());
            entry->media = {};
        }
    mediaRate = rate;
    loadAllMedia();
}

void ShowController::loadAllMedia()
{
    // Request index = slot number, so a result finds its slot however the clips move meanwhile.
    SessionMediaLoader::Request request;
    request.sessionPath = loaded.path;
    request.sampleRate = getMediaRate();
    request.clips.resize ((size_t) slots.size());
    for (int slot = 0; slot < slots.size(); ++slot)
        if (const auto clip = slots.clipOf (slot); clip >= 0)
            request.clips[(size_t) slot] = loaded.session.clips[(size_t) clip];

    // The grid's order: page by page, tab by tab, so the first tab on screen comes first.
    std::unordered_map<std::string, int> clipById;
    for (size_t clip = 0; clip < loaded.session.clips.size(); ++clip)
        clipById.emplace (loaded.session.clips[clip].id, (int) clip);
    for (const auto& page : loaded.session.pages)
        for (const auto& tab : page.tabs)
            for (const auto& cell : tab.slots)
                if (const auto found = clipById.find (cell.clip); found != clipById.end())
                    request.order.push_back (slots.slotOf (found->second));

    openingTicket = openingTicketBit | sessionLoader.start (std::move (request));
    openingLogged = false;
    for (int slot = 0; slot < slots.size(); ++slot)
        if (slots.clipOf (slot) >= 0)
            slots.find (slot)->loadTicket = openingTicket;
}

void ShowController::prioritiseMedia (const std::vector<int>& clips)
{
    std::vector<int> waiting;
    for (const auto clip : clips)
        if (const auto* entry = slots.find (slots.slotOf (clip)); entry != nullptr && entry->loadTicket == openingTicket)
            waiting.push_back (slots.slotOf (clip));
    if (! waiting.empty())
        sessionLoader.prioritise (waiting);
}

ShowController::MediaProgress ShowController::getMediaProgress() const
{
    const auto progress = sessionLoader.getProgress();
    MediaProgress result;
    if ((openingTicketBit | progress.generation) != openingTicket)
        return result;
    result.clipsLoaded = progress.clipsLoaded;
    result.clipsTotal = progress.clipsTotal;
    result.filesLoaded = progress.filesLoaded;
    result.filesTotal = progress.filesTotal;
    result.seconds = progress.seconds;
    result.done = progress.done;
    return result;
}

void ShowController::takeOpenedMedia (bool& any)
{
    // Read before the results are taken: when it says done, every result is among them.
    const auto progress = getMediaProgress();
    for (auto& file : sessionLoader.takeLoaded())
    {
        if ((openingTicketBit | file.generation) != openingTicket)
            continue;
        // The clips it was read for, and any clip added since with the same file (it waited
        // for this read rather than reading the file again: clipListEdited).
        std::vector<std::string> names;
        for (const auto slot : file.clips)
            if (const auto* entry = slots.find (slot))
                names.push_back (entry->file);
        for (int slot = 0; slot < slots.size(); ++slot)
        {
            auto* entry = slots.find (slot);
            if (entry->loadTicket != openingTicket
                || (std::find (file.clips.begin(), file.clips.end(), slot) == file.clips.end()
                    && std::find (names.begin(), names.end(), entry->file) == names.end()))
                continue;
            entry->media = file.media;   // shared: one read per file
            entry->loadTicket = 0;
            any = true;
        }
        if (file.media.audio != nullptr && ! file.media.warning.empty() && ! names.empty())
            std::fprintf (stderr, "CueGrid: warning: %s: %s\n", names.front().c_str(), file.media.warning.c_str());
    }
    if (openingLogged || ! progress.done)
        return;
    openingLogged = true;
    int errors = 0;
    for (int slot = 0; slot < slots.size(); ++slot)
        if (const auto* entry = slots.find (slot); slots.clipOf (slot) >= 0 && entry->media.audio == nullptr && entry->loadTicket == 0)
            ++errors;
    writeEventLog ({ { "event", "mediaLoaded" }, { "clips", progress.clipsTotal }, { "files", progress.filesTotal },
                     { "errors", errors }, { "seconds", std::round (progress.seconds * 1000.0) / 1000.0 } });
}

void ShowController::sessionEdited (const SessionEditor::Change& change)
{
    if (change.clipListChanged)
    {
        clipListEdited();
        pinClipHeads (loaded.session, slots);   // new clips sharing a file, deleted clips' heads
        postTimecodeTriggers();                 // clips moved to other slots, or gone
        return;
    }
    if (! change.clips.empty())
    {
        pinClipHeads (loaded.session, slots, &change.clips);   // a cue in or loop in may have moved
        postTimecodeTriggers();                                 // a timecode, chase or cue region may have changed
    }
    if (! change.levelsChanged)
        return;
    const auto ramp = (int32_t) std::lround (0.02 * engine->getSampleRate());
    for (const auto& id : change.clips)
    {
        const auto clip = loaded.session.findClip (id);
        if (clip < 0)
            continue;
        const auto& definition = loaded.session.clips[(size_t) clip];
        sendClipLevels (slots.slotOf (clip), definition, ramp);
        writeEventLog ({ { "event", "clipLevels" }, { "clip", definition.id }, { "gainDb", definition.gainDb },
                         { "levelTrimDb", definition.levelTrimDb }, { "pan", definition.pan } });
    }
}

void ShowController::sendClipLevels (int slot, const ClipDefinition& clip, int32_t rampSamples)
{
    auto* entry = slots.find (slot);
    if (entry == nullptr)
        return;
    entry->gainDb = clip.playbackGainDb();
    entry->pan = clip.pan;
    EngineCommand command;
    command.type = EngineCommand::Type::setClipGain;
    command.clipSlot = slot;
    command.value = (float) clip.playbackGainDb();
    command.rampSamples = rampSamples;
    post (command);
    command.type = EngineCommand::Type::setClipPan;
    command.value = (float) clip.pan;
    post (command);
}

void ShowController::clipListEdited()
{
    const auto& clips = loaded.session.clips;
    const auto changes = slots.follow (loaded.session, engine->getCommandsPosted());

    // A clip that came back (undo, paste of a cut) may bring other levels than its slot last
    // had (a copy taken before a gain change): those ramp, like any level edit.
    const auto ramp = (int32_t) std::lround (0.02 * engine->getSampleRate());
    for (const auto slot : changes.reattached)
    {
        const auto& clip = clips[(size_t) slots.clipOf (slot)];
        const auto* entry = slots.find (slot);
        if (entry->gainDb != clip.playbackGainDb() || entry->pan != clip.pan)
            sendClipLevels (slot, clip, ramp);
    }
    auto ahead = std::exchange (decodedAhead, {});  // for this edit only
    if (changes.added.empty())
        return;

    // New slots: no voice plays there, so their levels are set at once.
    for (const auto slot : changes.added)
        sendClipLevels (slot, clips[(size_t) slots.clipOf (slot)], 0);

    // Media: decoded ahead (MediaImporter), or shared with a slot that holds the same file,
    // else decoded.
    std::unordered_map<std::string, MediaLoadResult> loadedFiles (ahead.begin(), ahead.end());
    std::set<std::string> openingFiles;   // still being read for the opened session
    for (int slot = 0; slot < slots.size(); ++slot)
        if (const auto* entry = slots.find (slot); entry->media.audio != nullptr)
            loadedFiles.emplace (entry->file, entry->media);
        else if (entry->loadTicket == openingTicket && openingTicket != 0)
            openingFiles.insert (entry->file);
    Session toDecode;
    toDecode.sampleRate = loaded.session.sampleRate;
    std::vector<int> decodedSlots;
    for (const auto slot : changes.added)
    {
        auto* entry = slots.find (slot);
        if (const auto found = loadedFiles.find (entry->file); found != loadedFiles.end())
            entry->media = found->second;
        else if (openingFiles.count (entry->file) > 0)
            entry->loadTicket = openingTicket;   // given the media by takeOpenedMedia, read once
        else
        {
            toDecode.clips.push_back (clips[(size_t) slots.clipOf (slot)]);
            decodedSlots.push_back (slot);
        }
    }
    if (toDecode.clips.empty())
        return;
    const auto ticket = mediaQueue.load ({ std::move (toDecode.clips), loaded.path, getMediaRate() });
    loadingSlots[ticket] = decodedSlots;
    for (const auto slot : decodedSlots)
        slots.find (slot)->loadTicket = ticket;
}

void ShowController::takeLoadedMedia()
{
    bool any = false;
    takeOpenedMedia (any);
    for (auto& finished : mediaQueue.takeFinished())
    {
        const auto found = loadingSlots.find (finished.ticket);
        if (found == loadingSlots.end())
            continue;
        for (size_t i = 0; i < found->second.size() && i < finished.media.size(); ++i)
        {
            // A slot freed, reused or reloaded since holds another ticket: the result is dropped
            // (here, on the message thread; the engine never saw it).
            auto* slot = slots.find (found->second[i]);
            if (slot == nullptr || slot->loadTicket != finished.ticket)
                continue;
            slot->media = std::move (finished.media[i]);
            slot->loadTicket = 0;
            any = true;
        }
        loadingSlots.erase (found);
    }
    if (any)
        pinClipHeads (loaded.session, slots);   // edits made while the media loaded
    // The readers' reports (non-finite samples in a streamed file, once per file): the log and
    // the status bar, as a refused action is.
    for (const auto& warning : MediaCache::instance().takeWarnings())
    {
        notice (warning);
        actionProblem = warning;
        actionProblemSeconds = juce::Time::getMillisecondCounterHiRes() / 1000.0;
        writeEventLog ({ { "event", "mediaWarning" }, { "message", warning } });
    }
    if (any)
        postTimecodeTriggers();   // the clips just loaded can fire now
    if (any && onMediaLoaded)
        onMediaLoaded();
}

bool ShowController::waitForMedia (double timeoutSeconds)
{
    const auto started = juce::Time::getMillisecondCounterHiRes() / 1000.0;
    const auto opened = sessionLoader.waitUntilIdle (timeoutSeconds);
    const auto left = std::max (0.0, timeoutSeconds - (juce::Time::getMillisecondCounterHiRes() / 1000.0 - started));
    const auto added = mediaQueue.waitUntilIdle (left);
    takeLoadedMedia();
    return opened && added;
}

void ShowController::releaseRetiredSlots()
{
    // A retired slot is free once the engine has taken every command posted before the clip
    // left (a trigger still queued would start a voice there) and a voice table published
    // after that shows no voice in it. Without a running engine nothing plays.
    const auto running = deviceState != DeviceState::lost && isAudioRunning();
    const auto received = engine->getCommandsReceived();
    for (const auto slot : std::vector<int> (slots.retiredSlots()))
    {
        auto* entry = slots.find (slot);
        if (received < entry->retiredFence)
            continue;
        if (running)
        {
            // A device restart begins a new timeline (the engine's position falls): look again.
            if (entry->fenceSeenAt > engine->getSamplePosition())
                entry->fenceSeenAt = -1;
            if (entry->fenceSeenAt < 0)
            {
                entry->fenceSeenAt = engine->getSamplePosition();
                continue;
            }
            if (voiceStatus.samplePosition <= entry->fenceSeenAt)
                continue;
            const auto inUse = std::any_of (voiceStatus.voices.begin(), voiceStatus.voices.end(),
                                            [slot] (const VoiceStatus::Entry& voice) { return voice.clipSlot == slot; });
            if (inUse)
                continue;
        }
        releasePool.retire (slots.release (slot), engine->getCommandsPosted());
    }
}
} // namespace cuegrid
