// CueGrid — GPL-3.0-or-later
#include "MediaLoadQueue.h"

#include <chrono>
#include <utility>

namespace cuegrid
{

MediaLoadQueue::MediaLoadQueue() : worker ([this] { run(); }) {}

MediaLoadQueue::~MediaLoadQueue()
{
    {
        const std::lock_guard<std::mutex> guard (lock);
        quitting = true;
        pending.clear();
    }
    wake.notify_all();
    worker.join();
}

uint64_t MediaLoadQueue::load (Request request)
{
    const auto ticket = nextTicket++;
    {
        const std::lock_guard<std::mutex> guard (lock);
        pending.emplace_back (ticket, std::move (request));
    }
    wake.notify_one();
    return ticket;
}

std::vector<MediaLoadQueue::Finished> MediaLoadQueue::takeFinished()
{
    const std::lock_guard<std::mutex> guard (lock);
    return std::exchange (finished, {});
}

bool MediaLoadQueue::isBusy() const
{
    const std::lock_guard<std::mutex> guard (lock);
    return decoding || ! pending.empty();
}

bool MediaLoadQueue::waitUntilIdle (double timeoutSeconds)
{
    std::unique_lock<std::mutex> guard (lock);
    return idle.wait_for (guard, std::chrono::duration<double> (timeoutSeconds),
                          [this] { return ! decoding && pending.empty(); });
}

void MediaLoadQueue::run()
{
    std::unique_lock<std::mutex> guard (lock);
    for (;;)
    {
        wake.wait (guard, [this] { return quitting || ! pending.empty(); });
        if (quitting)
            return;
        auto [ticket, request] = std::move (pending.front());
        pending.pop_front();
        decoding = true;
        guard.unlock();

        // loadClipMedia never throws for a file; the session copy is what it takes.
        Session session;
        session.sampleRate = request.sampleRate;
        session.clips = std::move (request.clips);
        const auto started = std::chrono::steady_clock::now();
        Finished result;
        result.ticket = ticket;
        try
        {
            result.media = loadClipMedia (session, request.sessionPath, request.sampleRate, 1);
        }
        catch (const std::exception& error)  // e.g. out of memory outside a decode
        {
            result.media.assign (session.clips.size(), {});
            for (auto& media : result.media)
                media.error = std::string ("not loaded: ") + error.what();
        }
        result.seconds = std::chrono::duration<double> (std::chrono::steady_clock::now() - started).count();

        guard.lock();
        finished.push_back (std::move (result));
        decoding = false;
        if (pending.empty())
            idle.notify_all();
    }
}

} // namespace cuegrid
