// CueGrid — GPL-3.0-or-later
#include "Control/JackMidi.h"

#include "Clock/JackCycleClock.h"
#include "Clock/MtcPeer.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include <jack/jack.h>
#include <jack/midiport.h>

namespace cuegrid
{

std::string JackMidi::open (const std::string& clientName)
{
    close();
    jack_status_t status {};
    client = jack_client_open (clientName.c_str(), JackNoStartServer, &status);
    if (client == nullptr)
        return "no JACK server (status " + std::to_string ((int) status) + ")";
    inPort = jack_port_register (client, "in", JACK_DEFAULT_MIDI_TYPE, JackPortIsInput, 0);
    outPort = jack_port_register (client, "out", JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput, 0);
    mtcPorts[0] = inPort;
    for (int i = 1; i < mtcPortCount; ++i)
        mtcPorts[(size_t) i] = jack_port_register (client, ("mtc_" + std::to_string (i + 1)).c_str(),
                                                   JACK_DEFAULT_MIDI_TYPE, JackPortIsInput, 0);
    if (inPort == nullptr || outPort == nullptr || mtcPorts.back() == nullptr)
    {
        close();
        return "JACK refused the MIDI ports";
    }
    sampleRate = (double) jack_get_sample_rate (client);
    serverGone.store (false, std::memory_order_release);
    jack_on_info_shutdown (client, [] (jack_status_t, const char*, void* self) { serverStopped (self); }, this);
    cycleFrames = {};
    openedAs = clientName;
    // Tests: the first client opened in this process behaves as a stalled one (its callback
    // does nothing, as if it never ran) until the stall check reopens it.
    const auto* stallForTest = std::getenv ("CUEGRID_TEST_JACK_MIDI_STALL");
    const auto stall = ! reopened && ! stalledOnceForTest && stallForTest != nullptr && std::string (stallForTest) == "1";
    simulatedStall.store (stall, std::memory_order_relaxed);
    stalledOnceForTest = stalledOnceForTest || stall;
    stallCycles = cycles.load (std::memory_order_acquire);
    stallFrame = jack_last_frame_time (client);
    jack_set_process_callback (client, &JackMidi::processCallback, this);
    // The engine (JUCE's JACK client) pairs its blocks with JACK frames through ours.
    JackCycleClock::attach ([] (void* c) noexcept { return (std::uint32_t) jack_last_frame_time (static_cast<jack_client_t*> (c)); }, client);
    if (jack_activate (client) != 0)
    {
        close();
        return "JACK refused to activate the MIDI client";
    }
    return {};
}

void JackMidi::close()
{
    if (client == nullptr)
        return;
    jack_deactivate (client);
    JackCycleClock::detach (client);   // no engine block asks this client any more
    jack_client_close (client);
    client = nullptr;
    inPort = outPort = nullptr;
    mtcPorts.fill (nullptr);
}

bool JackMidi::isStalled (double seconds) noexcept
{
    if (! isRunning())
        return false;
    const auto seen = cycles.load (std::memory_order_acquire);
    const auto serverFrame = jack_last_frame_time (client);   // moves only while the server runs cycles
    if (seen != stallCycles)
    {
        stallCycles = seen;
        stallFrame = serverFrame;
        return false;
    }
    return (double) (std::int32_t) (serverFrame - stallFrame) > seconds * sampleRate;
}

std::string JackMidi::reopen()
{
    // What each port was connected to, as "ours → theirs" pairs in JACK's direction.
    std::vector<std::pair<std::string, std::string>> links;
    if (isRunning())
    {
        std::vector<jack_port_t*> ports (mtcPorts.begin(), mtcPorts.end());
        ports.push_back (outPort);
        for (auto* port : ports)
            if (port != nullptr)
                if (const char** names = jack_port_get_connections (port))
                {
                    const std::string ours = jack_port_name (port);
                    for (auto** name = names; *name != nullptr; ++name)
                        links.emplace_back (port == outPort ? ours : std::string (*name), port == outPort ? std::string (*name) : ours);
                    jack_free (names);
                }
    }
    const auto name = openedAs.empty() ? std::string ("cuegrid-midi") : openedAs;
    reopened = true;
    auto problem = open (name);
    reopened = false;
    if (! problem.empty())
        return problem;
    // The client may come back under another name (JACK adds a suffix while the old one lingers).
    const auto oldPrefix = name + ":", newPrefix = getClientName() + ":";
    for (auto& [from, to] : links)
    {
        for (auto* end : { &from, &to })
            if (end->rfind (oldPrefix, 0) == 0)
                *end = newPrefix + end->substr (oldPrefix.size());
        jack_connect (client, from.c_str(), to.c_str());
    }
    return {};
}

void JackMidi::setMtcPeer (int port, MtcPeer* peer) noexcept
{
    if (port >= 0 && port < mtcPortCount)
        mtcPeers[(size_t) port].store (peer, std::memory_order_release);
}

void JackMidi::serverStopped (void* self) noexcept
{
    static_cast<JackMidi*> (self)->serverGone.store (true, std::memory_order_release);
}

std::string JackMidi::getConnection (int port) const
{
    if (! isRunning() || port < 0 || port >= mtcPortCount || mtcPorts[(size_t) port] == nullptr)
        return {};
    std::string first;
    if (const char** names = jack_port_get_connections (mtcPorts[(size_t) port]))
    {
        first = names[0] != nullptr ? names[0] : "";
        jack_free (names);
    }
    return first;
}

std::string JackMidi::getClientName() const
{
    return client != nullptr ? std::string (jack_get_client_name (client)) : std::string();
}

std::uint32_t JackMidi::framesNow() const noexcept
{
    return client != nullptr ? jack_frame_time (client) : 0;
}

int JackMidi::processCallback (std::uint32_t frames, void* self)
{
    return static_cast<JackMidi*> (self)->process (frames);
}

// Realtime thread: no allocation, no locks, no logging.
int JackMidi::process (std::uint32_t frames) noexcept
{
    if (simulatedStall.load (std::memory_order_relaxed))
        return 0;   // tests: as a client whose callback never runs
    const auto blockStart = cycleFrames.next (jack_last_frame_time (client), frames);   // robust to a late callback
    // MTC arrival: the event's JACK frame (this cycle's first frame + its offset), which the
    // engine's block start is paired with too (JackCycleClock, SampleClock::sampleAtJackFrame),
    // so its sample does not depend on whether this callback runs before or after the engine's
    // in the cycle, nor on either's wake-up delay (measured before, with this callback's
    // wake-up time against the engine's: 7 outliers in 6 s per peer on the dummy server).
    // CLOCK_MONOTONIC (this callback's start + the offset) stays the stamp for the assembler's
    // timeouts, and for the sample when the engine is not on JACK.
    const auto cycleNs = SampleClock::monotonicNowNs();
    const auto nsPerFrame = 1.0e9 / std::max (sampleRate, 1.0);
    for (int p = 1; p < mtcPortCount; ++p)
    {
        auto* peer = mtcPeers[(size_t) p].load (std::memory_order_acquire);
        auto* buffer = jack_port_get_buffer (mtcPorts[(size_t) p], frames);
        const auto events = peer != nullptr ? jack_midi_get_event_count (buffer) : 0;
        for (std::uint32_t i = 0; i < events; ++i)
        {
            jack_midi_event_t e;
            if (jack_midi_event_get (&e, buffer, i) == 0)
                peer->handleAtJackFrame (e.buffer, e.size, cycleNs + (std::int64_t) (e.time * nsPerFrame), blockStart + e.time);
        }
    }

    auto* inPeer = mtcPeers[0].load (std::memory_order_acquire);
    auto* in = jack_port_get_buffer (inPort, frames);
    const auto count = jack_midi_get_event_count (in);
    for (std::uint32_t i = 0; i < count; ++i)
    {
        jack_midi_event_t e;
        if (jack_midi_event_get (&e, in, i) != 0)
            continue;
        if (inPeer != nullptr && inPeer->handleAtJackFrame (e.buffer, e.size, cycleNs + (std::int64_t) (e.time * nsPerFrame), blockStart + e.time))
            continue;
        if (e.size < 2 || e.size > 3 || (e.buffer[0] & 0xf0) == 0xf0)
            continue;   // channel voice messages only (MTC went to the peer above)
        Event event;
        event.bytes.size = (std::uint8_t) e.size;
        for (size_t b = 0; b < e.size; ++b)
            event.bytes.data[b] = e.buffer[b];
        event.frameTime = blockStart + e.time;
        if (! incoming.push (event))
            dropped.fetch_add (1, std::memory_order_relaxed);
    }

    auto* out = jack_port_get_buffer (outPort, frames);
    jack_midi_clear_buffer (out);
    MidiBytes message;
    std::uint32_t written = 0;
    // Everything queued goes at the block's start, in order; what the port cannot take waits.
    while (written < 64 && outgoing.getNumReady() > 0 && jack_midi_max_event_size (out) >= 3)
    {
        outgoing.pop (message);
        jack_midi_event_write (out, 0, message.data, message.size);
        ++written;
    }
    cycles.fetch_add (1, std::memory_order_release);
    return 0;
}

} // namespace cuegrid
