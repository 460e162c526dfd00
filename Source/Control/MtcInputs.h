// CueGrid — GPL-3.0-or-later
// MTC from every MIDI input as equal peers (issue 12): one MtcPeer per ALSA input JUCE opens and
// per JACK MIDI input port with a sender connected, each its own clock-manager source, added and
// removed as devices and connections come and go. docs/clock.md, "MTC peers".
#pragma once

#include "Clock/MtcPeer.h"
#include "Control/JackMidi.h"

#include <juce_audio_devices/juce_audio_devices.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cuegrid
{

/** Message thread (the peers' handle() runs on each input's own thread). */
class MtcInputs
{
public:
    /** Sits in front of one JUCE MIDI input's callback: MTC goes to the device's peer (stamped
        with CLOCK_MONOTONIC on arrival: JUCE's own timestamp is 1 ms coarse), everything else on
        to `next`. Called on JUCE's MIDI thread. */
    class DeviceTap final : public juce::MidiInputCallback
    {
    public:
        DeviceTap (std::unique_ptr<MtcPeer> p, juce::MidiInputCallback* n) : peer (std::move (p)), next (n) {}
        void handleIncomingMidiMessage (juce::MidiInput* source, const juce::MidiMessage& message) override;
        MtcPeer& getPeer() noexcept { return *peer; }

    private:
        std::unique_ptr<MtcPeer> peer;
        juce::MidiInputCallback* next;
    };

    ~MtcInputs();

    /** Where peers made from now on publish (nullptr: MTC is filtered from the mappings but not
        followed). Set it before opening inputs. */
    void setClock (ClockManager* manager, const SampleClock* clock) noexcept { clockManager = manager; sampleClock = clock; }

    /** A tap for a JUCE input named `name` that passes non-MTC messages to `next` (may be null).
        Keep it alive while the device is open; destroy it after the device stopped. */
    std::unique_ptr<DeviceTap> makeDeviceTap (const juce::String& name, juce::MidiInputCallback* next) const;

    /** Every ~250 ms: each JACK input port with a connection gets a peer named after the first
        sender ("probe-a:out"); a port whose sender went (or changed) loses it. Deletion waits two
        JACK cycles, so the process thread is never inside a deleted peer. */
    void updateJack (JackMidi& jack);

    /** Before the JACK client closes. */
    void detachJack (JackMidi& jack);

    /** The JACK ports' peers now (names; "" for none), for tests and the panel. */
    std::vector<std::string> getJackPeerNames() const;

private:
    struct Retired
    {
        std::unique_ptr<MtcPeer> peer;
        std::uint64_t freeAtCycle = 0;
    };

    ClockManager* clockManager = nullptr;
    const SampleClock* sampleClock = nullptr;
    std::array<std::unique_ptr<MtcPeer>, JackMidi::mtcPortCount> jackPeers;
    std::array<std::string, JackMidi::mtcPortCount> jackSenders;
    std::vector<Retired> retired;
};

} // namespace cuegrid
