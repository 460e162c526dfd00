// CueGrid — GPL-3.0-or-later
// The engine's side of playing from disk: underrun events, and the playheads the media
// cache's reader threads follow. Audio thread; wait-free.
#include "Engine.h"

namespace cuegrid
{

void Engine::reportUnderrun (Voice& voice) noexcept
{
    if (voice.underrunFrames <= 0)
        return;
    emitVoiceEvent (EngineEvent::Type::underrun, voice, voice.underrunTime, voice.underrunFrames);
    voice.underrunFrames = 0;
    voice.underrunTime = -1;
}

void Engine::reportUnderruns() noexcept
{
    forEachVoice (true, [this] (Voice& voice) { reportUnderrun (voice); });
}

void Engine::publishPlayheads() noexcept
{
    static_assert (groupVoiceSlots + auditionVoiceSlots <= StreamPlayheads::maxVoices);
    auto publish = [this] (const Voice& voice)
    {
        auto& entry = playheads.voices[(size_t) voiceIndex (voice)];
        const auto* chunks = voice.audio != nullptr ? voice.audio->getChunks() : nullptr;
        if (chunks == nullptr)
        {
            entry.mediaId.store (0, std::memory_order_relaxed);
            return;
        }
        const bool wraps = voice.willWrap();
        entry.position.store (voice.position, std::memory_order_relaxed);
        entry.loopIn.store (wraps ? voice.playback.loopIn : 0, std::memory_order_relaxed);
        entry.loopOut.store (wraps ? voice.playback.loopOut : 0, std::memory_order_relaxed);
        entry.crossfadeTail.store (voice.crossfadeAge >= 0 ? voice.crossfadeTail + voice.crossfadeAge : -1,
                                   std::memory_order_relaxed);
        entry.mediaId.store (chunks->getMediaId(), std::memory_order_release);
    };
    for (auto& voice : groupVoices)
        publish (voice);
    for (auto& voice : auditionVoices)
        publish (voice);
}

} // namespace cuegrid
