// CueGrid — GPL-3.0-or-later
// jack_mtc_sender: MTC senders for issue 12 test 4. One JACK client with one output port per
// stream, all on one frame clock (so two streams of the same time agree to the sample); each
// stream sends quarter frames (4 a frame, RP-004) of its own timecode to its own target port
// between its own start and stop times.
// Usage: jack_mtc_sender [--start-on-audio SOURCE] FPS DURATION STREAM...
//   FPS: 24, 25, 29.97df or 30; DURATION: seconds the client runs;
//   STREAM: TARGET@TIMECODE@FROM@UNTIL, e.g. cuegrid-timecode:in@10:00:00:00@0@6 sends
//   10:00:00:00 onwards from 0 s to 6 s (times from the first cycle after every connection).
//   --start-on-audio SOURCE: the client also has an audio input "in", connected to the first
//   audio output port matching the regular expression SOURCE once one exists (polled every
//   10 ms); times count from its first sample above -40 dBFS instead (issue 12 test 3: SOURCE is
//   the LTC player, and MTC starts on the LTC's first sample, in the same cycle). It prints
//   "jack_mtc_sender: waiting for SOURCE" on stderr once its MIDI connections are made.
// Prints "stream N sent K quarter frames" per stream at the end.
#include "Clock/MtcMessages.h"

#include <jack/jack.h>
#include <jack/midiport.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

using namespace cuegrid;

namespace
{
struct Stream
{
    std::string target;
    Timecode start;
    double from = 0.0, until = 0.0;
    jack_port_t* port = nullptr;
    int64_t sent = 0;   // process thread
};

jack_client_t* client;
std::vector<Stream> streams;
double rate = 48000.0, fps = 25.0;
std::atomic<bool> connected { false };
bool started = false;
jack_nframes_t startFrame = 0;
jack_port_t* audioIn = nullptr;   // --start-on-audio

int process (jack_nframes_t frames, void*)
{
    const auto blockStart = jack_last_frame_time (client);
    for (auto& s : streams)
        jack_midi_clear_buffer (jack_port_get_buffer (s.port, frames));
    if (! started)
    {
        if (! connected.load())
            return 0;
        jack_nframes_t first = 0;
        if (audioIn != nullptr)
        {
            const auto* in = static_cast<const float*> (jack_port_get_buffer (audioIn, frames));
            while (first < frames && std::abs (in[first]) < 0.01f)
                ++first;
            if (first == frames)
                return 0;
        }
        startFrame = blockStart + first;
        started = true;
    }
    const auto blockRel = (double) (int32_t) (blockStart - startFrame);   // negative in the first block when it starts mid-block
    const auto quarter = rate / (fps * 4.0);
    for (auto& s : streams)
    {
        auto* out = jack_port_get_buffer (s.port, frames);
        for (;;)
        {
            const auto at = s.from * rate + (double) s.sent * quarter;
            if (at >= blockRel + frames || at >= s.until * rate)
                break;
            const auto label = Timecode::fromFrameNumber (s.start.toFrameNumber() + 2 * (s.sent / 8), s.start.rate);
            const auto bytes = mtc::quarterFrame (label, (int) (s.sent % 8));
            const auto offset = at > blockRel ? (jack_nframes_t) (at - blockRel) : 0;
            jack_midi_event_write (out, offset, bytes.data(), bytes.size());
            ++s.sent;
        }
    }
    return 0;
}
} // namespace

int main (int argc, char** argv)
{
    const bool startOnAudio = argc > 2 && std::string (argv[1]) == "--start-on-audio";
    const std::string audioSource = startOnAudio ? argv[2] : "";
    if (startOnAudio)
    {
        argc -= 2;
        argv += 2;
    }
    if (argc < 4)
    {
        std::fprintf (stderr, "usage: jack_mtc_sender [--start-on-audio SOURCE] FPS DURATION TARGET@TIMECODE@FROM@UNTIL...\n");
        return 2;
    }
    const auto rateName = parseFrameRate (argv[1]);
    if (! rateName) { std::fprintf (stderr, "jack_mtc_sender: bad rate %s\n", argv[1]); return 2; }
    fps = framesPerSecond (*rateName);
    const double duration = std::atof (argv[2]);
    for (int i = 3; i < argc; ++i)
    {
        std::string arg = argv[i];
        std::vector<std::string> parts;
        for (size_t at; (at = arg.find ('@')) != std::string::npos; arg = arg.substr (at + 1))
            parts.push_back (arg.substr (0, at));
        parts.push_back (arg);
        const auto start = parts.size() == 4 ? Timecode::parse (parts[1], *rateName) : std::nullopt;
        if (! start) { std::fprintf (stderr, "jack_mtc_sender: bad stream %s\n", argv[i]); return 2; }
        streams.push_back ({ parts[0], *start, std::atof (parts[2].c_str()), std::atof (parts[3].c_str()) });
    }
    client = jack_client_open ("mtc_sender", JackNoStartServer, nullptr);
    if (client == nullptr) { std::fprintf (stderr, "jack_mtc_sender: no JACK server\n"); return 1; }
    rate = jack_get_sample_rate (client);
    for (size_t i = 0; i < streams.size(); ++i)
        streams[i].port = jack_port_register (client, ("out_" + std::to_string (i + 1)).c_str(), JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput, 0);
    if (startOnAudio)
        audioIn = jack_port_register (client, "in", JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
    jack_set_process_callback (client, process, nullptr);
    if (jack_activate (client) != 0) { std::fprintf (stderr, "jack_mtc_sender: cannot activate\n"); return 1; }
    for (auto& s : streams)
        if (jack_connect (client, jack_port_name (s.port), s.target.c_str()) != 0)
        {
            std::fprintf (stderr, "jack_mtc_sender: cannot connect to %s\n", s.target.c_str());
            return 1;
        }
    connected.store (true);
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double> (duration);
    if (startOnAudio)
    {
        // Connected from here, not by the test with jack_connect/jack_lsp: a client opened and
        // closed while others activate can stall a sync-mode dummy server (seen: 2 runs in 9).
        std::fprintf (stderr, "jack_mtc_sender: waiting for %s\n", audioSource.c_str());
        for (bool found = false; ! found && std::chrono::steady_clock::now() < end;)
        {
            if (const char** ports = jack_get_ports (client, audioSource.c_str(), JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput))
            {
                found = ports[0] != nullptr && jack_connect (client, ports[0], jack_port_name (audioIn)) == 0;
                if (found)
                    std::fprintf (stderr, "jack_mtc_sender: audio from %s\n", ports[0]);
                jack_free (ports);
            }
            if (! found)
                std::this_thread::sleep_for (std::chrono::milliseconds (10));
        }
    }
    std::this_thread::sleep_until (end);
    jack_deactivate (client);
    for (size_t i = 0; i < streams.size(); ++i)
        std::printf ("stream %zu sent %lld quarter frames\n", i + 1, (long long) streams[i].sent);
    jack_client_close (client);
    return 0;
}
