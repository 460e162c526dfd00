// CueGrid — GPL-3.0-or-later
#include "Control/MtcInputs.h"

namespace cuegrid
{

void MtcInputs::DeviceTap::handleIncomingMidiMessage (juce::MidiInput* source, const juce::MidiMessage& message)
{
    // The clock first: the arrival is this moment (JUCE stamps to the millisecond).
    const auto now = SampleClock::monotonicNowNs();
    if (peer->handle (message.getRawData(), (size_t) message.getRawDataSize(), now))
        return;
    if (next != nullptr)
        next->handleIncomingMidiMessage (source, message);
}

MtcInputs::~MtcInputs() = default;

std::unique_ptr<MtcInputs::DeviceTap> MtcInputs::makeDeviceTap (const juce::String& name, juce::MidiInputCallback* next) const
{
    return std::make_unique<DeviceTap> (std::make_unique<MtcPeer> (clockManager, sampleClock, name.toStdString()), next);
}

void MtcInputs::updateJack (JackMidi& jack)
{
    const auto cycle = jack.getCycles();
    retired.erase (std::remove_if (retired.begin(), retired.end(), [cycle] (const Retired& r) { return cycle >= r.freeAtCycle; }),
                   retired.end());
    if (! jack.isRunning())
        return detachJack (jack);   // no server: no process thread can be inside a peer
    for (int port = 0; port < JackMidi::mtcPortCount; ++port)
    {
        const auto sender = jack.getConnection (port);
        auto& peer = jackPeers[(size_t) port];
        if (sender == jackSenders[(size_t) port] && (peer != nullptr) == ! sender.empty())
            continue;
        if (peer != nullptr)
        {
            jack.setMtcPeer (port, nullptr);
            retired.push_back ({ std::move (peer), jack.getCycles() + 2 });
        }
        jackSenders[(size_t) port] = sender;
        if (! sender.empty())
        {
            peer = std::make_unique<MtcPeer> (clockManager, sampleClock, sender);
            jack.setMtcPeer (port, peer.get());
        }
    }
}

void MtcInputs::detachJack (JackMidi& jack)
{
    for (int port = 0; port < JackMidi::mtcPortCount; ++port)
    {
        jack.setMtcPeer (port, nullptr);
        jackSenders[(size_t) port].clear();
        if (jackPeers[(size_t) port] != nullptr)
            retired.push_back ({ std::move (jackPeers[(size_t) port]), jack.isRunning() ? jack.getCycles() + 2 : 0 });
    }
}

std::vector<std::string> MtcInputs::getJackPeerNames() const
{
    std::vector<std::string> names;
    for (const auto& peer : jackPeers)
        names.push_back (peer != nullptr ? peer->getName() : std::string());
    return names;
}

} // namespace cuegrid
