// CueGrid — GPL-3.0-or-later
// jack_midi_probe: a JACK MIDI test client (issue 11 test 2). Connects its output to PEER:in
// and PEER:out to its input, sends the given messages at the given times, records everything
// that arrives, and prints one line per message received, "recv SECONDS HEXBYTES", after
// DURATION seconds (times from the first JACK cycle after both connections were made, at the
// JACK frame clock: a message sent before would go nowhere).
// Usage: jack_midi_probe PEER DURATION [SECONDS:HEXBYTES ...]   e.g. 1.5:902464 (note on 36 vel 100)
#include <jack/jack.h>
#include <jack/midiport.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace
{
struct Message { jack_nframes_t frame; unsigned char bytes[3]; size_t size; };

jack_client_t* client;
jack_port_t *inPort, *outPort;
std::vector<Message> toSend;               // sorted; read by the process thread only after activation
size_t nextToSend = 0;                     // process thread
jack_nframes_t startFrame = 0;             // process thread: the first cycle after connecting
std::atomic<bool> connected { false };     // main sets it once both ports are connected
bool started = false;                      // process thread: startFrame is set
Message received[4096];                    // process thread writes, main reads after deactivation
std::atomic<size_t> receivedCount { 0 };

int process (jack_nframes_t frames, void*)
{
    const auto blockStart = jack_last_frame_time (client);
    // The clock starts with the first cycle after the connections: taken before activation
    // (jack_frame_time), a busy non-realtime server could put it seconds in the past, and then
    // every message went out at once, before the ports were even connected.
    if (! started)
    {
        if (! connected.load())
            return 0;
        startFrame = blockStart;
        started = true;
    }
    auto* in = jack_port_get_buffer (inPort, frames);
    for (uint32_t i = 0, n = jack_midi_get_event_count (in); i < n; ++i)
    {
        jack_midi_event_t e;
        const auto at = receivedCount.load();
        if (jack_midi_event_get (&e, in, i) != 0 || e.size > 3 || at >= 4096)
            continue;
        received[at].frame = blockStart + e.time - startFrame;
        received[at].size = e.size;
        std::copy (e.buffer, e.buffer + e.size, received[at].bytes);
        receivedCount.store (at + 1);
    }
    auto* out = jack_port_get_buffer (outPort, frames);
    jack_midi_clear_buffer (out);
    const auto blockRel = blockStart - startFrame;
    while (nextToSend < toSend.size() && toSend[nextToSend].frame < blockRel + frames)
    {
        const auto& m = toSend[nextToSend++];
        const auto offset = m.frame > blockRel ? m.frame - blockRel : 0;
        jack_midi_event_write (out, offset, m.bytes, m.size);
    }
    return 0;
}
}

int main (int argc, char** argv)
{
    if (argc < 3)
    {
        std::fprintf (stderr, "usage: jack_midi_probe PEER DURATION [SECONDS:HEXBYTES ...]\n");
        return 2;
    }
    const std::string peer = argv[1];
    const double duration = std::atof (argv[2]);
    client = jack_client_open ("midi_probe", JackNoStartServer, nullptr);
    if (client == nullptr) { std::fprintf (stderr, "jack_midi_probe: no JACK server\n"); return 1; }
    const double rate = jack_get_sample_rate (client);
    for (int i = 3; i < argc; ++i)
    {
        const std::string arg = argv[i];
        const auto colon = arg.find (':');
        const auto hex = colon == std::string::npos ? std::string() : arg.substr (colon + 1);
        if (hex.empty() || hex.size() % 2 != 0 || hex.size() > 6) { std::fprintf (stderr, "jack_midi_probe: bad message %s\n", argv[i]); return 2; }
        Message m {};
        m.frame = (jack_nframes_t) (std::atof (arg.substr (0, colon).c_str()) * rate);
        m.size = hex.size() / 2;
        for (size_t b = 0; b < m.size; ++b)
            m.bytes[b] = (unsigned char) std::strtol (hex.substr (b * 2, 2).c_str(), nullptr, 16);
        toSend.push_back (m);
    }
    std::stable_sort (toSend.begin(), toSend.end(), [] (auto& a, auto& b) { return a.frame < b.frame; });
    inPort = jack_port_register (client, "in", JACK_DEFAULT_MIDI_TYPE, JackPortIsInput, 0);
    outPort = jack_port_register (client, "out", JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput, 0);
    jack_set_process_callback (client, process, nullptr);
    if (jack_activate (client) != 0) { std::fprintf (stderr, "jack_midi_probe: cannot activate\n"); return 1; }
    const auto ours = std::string (jack_get_client_name (client));
    if (jack_connect (client, (ours + ":out").c_str(), (peer + ":in").c_str()) != 0
        || jack_connect (client, (peer + ":out").c_str(), (ours + ":in").c_str()) != 0)
    {
        std::fprintf (stderr, "jack_midi_probe: cannot connect to %s:in / %s:out\n", peer.c_str(), peer.c_str());
        return 1;
    }
    connected.store (true);
    std::this_thread::sleep_for (std::chrono::duration<double> (duration));
    jack_deactivate (client);
    for (size_t i = 0; i < receivedCount.load(); ++i)
    {
        std::printf ("recv %.4f ", received[i].frame / rate);
        for (size_t b = 0; b < received[i].size; ++b)
            std::printf ("%02x", received[i].bytes[b]);
        std::printf ("\n");
    }
    std::printf ("sent %zu of %zu\n", nextToSend, toSend.size());
    jack_client_close (client);
    return 0;
}
