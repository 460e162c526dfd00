// CueGrid — GPL-3.0-or-later
#include "MtcPeer.h"

#include "ClockObservations.h"

namespace cuegrid
{

MtcPeer::MtcPeer (ClockManager* m, const SampleClock* c, const std::string& peerName)
    : manager (m), clock (c), name (peerName)
{
    if (manager != nullptr && clock != nullptr)
    {
        slot = manager->addSource (ClockSourceKind::mtc, name.c_str());
        source = manager->getSource (slot);
    }
}

MtcPeer::~MtcPeer()
{
    if (manager != nullptr && slot >= 0)
        manager->removeSource (slot);
}

bool MtcPeer::isMtc (const uint8_t* data, size_t size) noexcept
{
    if (data == nullptr || size < 2)
        return false;
    if (data[0] == 0xf1)
        return size == 2;
    return data[0] == 0xf0 && size == 10 && data[1] == 0x7f && data[3] == 0x01 && data[4] == 0x01 && data[9] == 0xf7;
}

bool MtcPeer::handle (const uint8_t* data, size_t size, int64_t monotonicNs) noexcept
{
    return handleStamped (data, size, monotonicNs, nullptr);
}

bool MtcPeer::handleAtJackFrame (const uint8_t* data, size_t size, int64_t monotonicNs, uint32_t jackFrame) noexcept
{
    return handleStamped (data, size, monotonicNs, &jackFrame);
}

bool MtcPeer::handleStamped (const uint8_t* data, size_t size, int64_t monotonicNs, const uint32_t* jackFrame) noexcept
{
    if (! isMtc (data, size))
        return false;
    messages.fetch_add (1, std::memory_order_relaxed);
    MtcPosition position;
    const auto result = assembler.handle (data, size, (double) monotonicNs * 1.0e-9, position);
    if (result == MtcAssembler::Result::sequenceError)
        sequenceErrors.fetch_add (1, std::memory_order_relaxed);
    else if ((result == MtcAssembler::Result::position || result == MtcAssembler::Result::locate) && source != nullptr)
    {
        auto observation = mtcObservation (position, *clock);
        // By frames when the engine is on JACK, as long as that agrees with the arrival time.
        if (jackFrame != nullptr && clock->isOnJackFrames()
            && ! clock->sampleAtJackFrameNear (*jackFrame, observation.sample, maxFrameStampDisagreementSeconds, observation.sample))
            frameStampsRejected.fetch_add (1, std::memory_order_relaxed);
        source->publish (observation);
    }
    return true;
}

} // namespace cuegrid
