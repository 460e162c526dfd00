// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/JackMidi.h"
#include "Control/MidiMapper.h"
#include "Control/MtcInputs.h"
#include "Control/ShowActions.h"

#include <juce_audio_devices/juce_audio_devices.h>

#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <vector>

namespace cuegrid
{

/** Every MIDI input of the app, as peers: each ALSA MIDI device JUCE lists (opened when
    present, rescanned every 2 s) and CueGrid's own JACK MIDI client (JackMidi). Messages go
    through the MidiMapper into ShowActions (source midi); MIDI learn binds the next message;
    the output port sends each mapped clip's state (feedback) whenever it changes.

    Hand-over: the JACK process thread pushes into a lock-free FIFO, the JUCE MIDI thread into
    a small locked queue (not a realtime thread); a 2 ms message-thread timer drains both, so
    MIDI adds at most ~2 ms (+ one JACK block) before ShowActions, and the trigger latency is
    measured from the message's JACK frame time. Message thread only (besides those two
    producers). */
class MidiControl : private juce::Timer, private juce::MidiInputCallback
{
public:
    explicit MidiControl (ShowActions& actions);
    ~MidiControl() override;

    /** Opens the JACK MIDI client and the ALSA devices. Returns "" or what did not open
        (MIDI is optional: the show runs without). */
    std::string start();

    /** Before start(): MTC from every input (each ALSA device, each JACK input port) is a peer
        source of this clock manager (MtcInputs). Without it MTC is only kept from the mappings. */
    void setClock (ClockManager* manager, const SampleClock* clock) noexcept { mtc.setClock (manager, clock); }
    MtcInputs& getMtcInputs() noexcept { return mtc; }

    MidiMapper& getMapper() noexcept { return mapper; }
    JackMidi& getJack() noexcept { return jack; }
    /** Names of the JUCE (ALSA) MIDI inputs open now. */
    juce::StringArray getOpenDevices() const;

    /** Called on the message thread when learn bound a mapping (the app saves it in the
        session and refreshes the mappings table). */
    std::function<void (const MidiMapping&)> onLearned;
    /** Called after a message was handled (for the status bar), with its description. */
    std::function<void (const juce::String&)> onMessage;

    /** Called on the message thread after the JACK MIDI client stalled (JackMidi::isStalled:
        a second of server cycles without its callback) and was opened again, with "" or why it
        did not open (for the event log). */
    std::function<void (const std::string& problem)> onJackReopened;
    /** Called on the message thread once the JACK MIDI client's process callback has run after
        it was opened (or reopened), with the client's name: from then on MIDI arrives. */
    std::function<void (const std::string& clientName)> onJackRunning;
    /** Sends every mapped clip's state now, not only its changes (after mappings change). */
    void resendFeedback() { lastLight.clear(); }

    /** Feeds one message as if it had arrived now (tests, the learn window). Message thread. */
    void handleMessage (const MidiBytes& message, double arrivalMs);

private:
    void timerCallback() override;
    void handleIncomingMidiMessage (juce::MidiInput*, const juce::MidiMessage&) override;
    void scanDevices();
    void sendFeedback();
    void perform (const MidiAction& action, double arrivalMs);
    void loadSessionMappings();
    void jackOpened();

    ShowActions& actions;
    MidiMapper mapper;
    JackMidi jack;
    MtcInputs mtc;
    std::vector<std::unique_ptr<MtcInputs::DeviceTap>> taps;   // taps[i] is devices[i]'s callback: outlives it
    std::vector<std::unique_ptr<juce::MidiInput>> devices;
    std::mutex deviceQueueLock;                    // guards deviceQueue: JUCE MIDI thread pushes, message thread drains
    std::vector<std::pair<MidiBytes, double>> deviceQueue;
    std::map<std::string, MidiMapper::ClipLight> lastLight;   // clip id → last state sent
    int ticks = 0;
    std::uint64_t jackCyclesAtOpen = 0;   // the JACK client's callback count when it was (re)opened
    bool jackRunningSaid = true;          // onJackRunning called since then (true: nothing to say)
    std::string mappingsFrom;   // the session path whose mappings the mapper holds
    std::set<std::string> droppedGates;   // clips whose gate note on was debounced: their note off is ignored
};

} // namespace cuegrid
