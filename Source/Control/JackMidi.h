// CueGrid — GPL-3.0-or-later
#pragma once

#include "Clock/JackCycleClock.h"
#include "Control/MidiMapper.h"
#include "Engine/SpscFifo.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

typedef struct _jack_client jack_client_t;
typedef struct _jack_port jack_port_t;

namespace cuegrid
{

class MtcPeer;

/** CueGrid's own JACK MIDI client (JUCE has no JACK MIDI on Linux): "cuegrid-midi" with an
    input port "in" and an output port "out". Runs beside the audio device, JACK or not, as a
    peer of the ALSA MIDI inputs.

    Threads: the JACK process callback (realtime) copies every incoming channel message into
    `incoming` with its frame time and writes what `outgoing` holds to the output port, never
    allocating or locking; the message thread is the other end of both FIFOs (pop(), send()).
    A message that does not fit a full FIFO is dropped and counted (getDropped).

    MTC (issue 12): every input port is an MTC peer of its own ("in", and "mtc_2".."mtc_4" for
    more senders: JACK merges what is connected to one port, so two senders need two ports).
    The process thread hands a port's MTC to the MtcPeer set for it (setMtcPeer), stamped on
    CLOCK_MONOTONIC as the callback's start + the event's offset (as the engine stamps its
    block start); MTC never reaches `incoming`. */
class JackMidi
{
public:
    struct Event
    {
        MidiBytes bytes;
        std::uint32_t frameTime = 0;   // jack_last_frame_time + offset in the block: JACK frames
    };

    JackMidi() = default;
    ~JackMidi() { close(); }

    /** Connects to the running JACK server (never starts one) and registers the ports.
        Returns "" or why not (no server: the ALSA inputs still work). Message thread. */
    std::string open (const std::string& clientName = "cuegrid-midi");
    void close();
    bool isOpen() const noexcept { return client != nullptr; }
    /** Open and its server still there. After the server stops (jack_on_info_shutdown) the client
        is a husk: libjack asserts (aborting the app) in calls that wait for the graph, such as
        jack_port_get_connections, so those are not made any more. Any thread. */
    bool isRunning() const noexcept { return client != nullptr && ! serverGone.load (std::memory_order_acquire); }
    /** The client's actual name (JACK may add a suffix), e.g. "cuegrid-midi". */
    std::string getClientName() const;

    /** Message thread: the next received message, false when none. */
    bool pop (Event& event) noexcept { return incoming.pop (event); }
    /** Message thread: queues a message for the output port (sent in the next block). */
    bool send (const MidiBytes& message) noexcept
    {
        if (outgoing.push (message)) return true;
        dropped.fetch_add (1, std::memory_order_relaxed);
        return false;
    }
    static constexpr int mtcPortCount = 4;   // port 0 is "in"

    /** Message thread: the peer that takes port `port`'s MTC (nullptr: none; MTC is then
        dropped). Before deleting a peer set here, set nullptr and wait until getCycles() has
        moved on by 2 (the process thread may still be inside the old one). */
    void setMtcPeer (int port, MtcPeer* peer) noexcept;
    /** Message thread: the first port connected to input port `port` ("" when none). */
    std::string getConnection (int port) const;
    /** Process callbacks run so far (any thread). */
    std::uint64_t getCycles() const noexcept { return cycles.load (std::memory_order_acquire); }

    /** The JACK frame clock now (for latency: arrival frame → now). Any thread. */
    std::uint32_t framesNow() const noexcept;
    /** Message thread, a few times a second: true when the server has run `seconds` of cycles
        since this client's process callback last ran. JACK2 1.9.21 can leave a client's
        process thread waiting for its first cycle for good (seen on the loaded 2-core dummy
        server: "cuegrid-midi was not finished, state = Triggered" every cycle, the thread in
        its first futex wait); the graph then never finishes a cycle, so no new connection
        takes effect and no MIDI arrives. */
    bool isStalled (double seconds) noexcept;
    /** Message thread: closes the client and opens it again under the same name, and connects
        its ports to what they were connected to. Returns "" or why not (as open()). */
    std::string reopen();
    double getSampleRate() const noexcept { return sampleRate; }
    int getDropped() const noexcept { return dropped.load (std::memory_order_relaxed); }

private:
    static int processCallback (std::uint32_t frames, void* self);
    static void serverStopped (void* self) noexcept;
    int process (std::uint32_t frames) noexcept;

    jack_client_t* client = nullptr;
    jack_port_t* inPort = nullptr;
    jack_port_t* outPort = nullptr;
    std::array<jack_port_t*, mtcPortCount> mtcPorts {};                 // [0] is inPort
    std::array<std::atomic<MtcPeer*>, mtcPortCount> mtcPeers {};         // writer: message thread; reader: process thread
    std::atomic<std::uint64_t> cycles { 0 };                             // writer: process thread; readers: any
    std::atomic<bool> serverGone { false };                              // writer: JACK's shutdown notification (its thread), open(); readers: any
    double sampleRate = 0.0;
    std::string openedAs;                 // the name open() was given (message thread)
    std::atomic<bool> simulatedStall { false };   // CUEGRID_TEST_JACK_MIDI_STALL=1 (tests): writer open() (message thread, before activating); reader: process thread
    bool stalledOnceForTest = false;      // the simulated stall happened (message thread)
    bool reopened = false;                // open() runs inside reopen() (message thread)
    std::uint64_t stallCycles = 0;        // isStalled(): the callback count last seen (message thread)
    std::uint32_t stallFrame = 0;         // isStalled(): the server frame when it last moved (message thread)
    JackFrameTracker cycleFrames;         // JACK process thread (reset by open() before activating)
    SpscFifo<Event, 1024> incoming;       // producer: JACK process thread; consumer: message thread
    SpscFifo<MidiBytes, 1024> outgoing;   // producer: message thread; consumer: JACK process thread
    std::atomic<int> dropped { 0 };       // both threads add; any reads
};

} // namespace cuegrid
