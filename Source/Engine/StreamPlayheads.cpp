// CueGrid — GPL-3.0-or-later
#include "StreamPlayheads.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

namespace cuegrid
{

namespace
{
    struct Registry
    {
        std::mutex lock;                          // never taken by the audio thread
        std::vector<StreamPlayheads*> playheads;  // guarded by lock
    };

    Registry& registry()
    {
        // Never destroyed: the media cache's reader threads may still visit it during exit.
        static auto* instance = new Registry();
        return *instance;
    }
} // namespace

// Construction and destruction run off the audio thread: the Engine that owns these playheads
// is made and destroyed on the control thread, before its device starts and after it stopped.
// The registry's lock is shared only with the media cache's reader threads.
StreamPlayheads::StreamPlayheads()
{
    auto& r = registry();
    const std::lock_guard<std::mutex> hold (r.lock);
    r.playheads.push_back (this);
}

StreamPlayheads::~StreamPlayheads()
{
    // Off the audio thread, as above.
    auto& r = registry();
    const std::lock_guard<std::mutex> hold (r.lock);
    r.playheads.erase (std::remove (r.playheads.begin(), r.playheads.end(), this), r.playheads.end());
}

void StreamPlayheads::waitForCallbacks()
{
    auto& r = registry();
    const std::lock_guard<std::mutex> hold (r.lock);
    for (auto* engine : r.playheads)
    {
        const auto seen = engine->epoch.load (std::memory_order_acquire);
        if ((seen & 1) == 0)
            continue;   // not inside a callback: any later one reads the tables as they are now
        // Inside a callback that may hold a pointer it loaded: wait for that callback to end
        // (a block lasts milliseconds; an engine whose device stopped mid-callback cannot be).
        while (engine->epoch.load (std::memory_order_acquire) == seen)
            std::this_thread::sleep_for (std::chrono::microseconds (200));
    }
}

void StreamPlayheads::forEach (const std::function<void (const StreamPlayheads&)>& visit)
{
    auto& r = registry();
    const std::lock_guard<std::mutex> hold (r.lock);
    for (const auto* engine : r.playheads)
        visit (*engine);
}

} // namespace cuegrid
