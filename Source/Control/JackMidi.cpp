// CueGrid — GPL-3.0-or-later
#include "Control/JackMidi.h"

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
    if (inPort == nullptr || outPort == nullptr)
    {
        close();
        return "JACK refused the MIDI ports";
    }
    sampleRate = (double) jack_get_sample_rate (client);
    jack_set_process_callback (client, &JackMidi::processCallback, this);
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
    jack_client_close (client);
    client = nullptr;
    inPort = outPort = nullptr;
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
    const auto blockStart = jack_last_frame_time (client);
    auto* in = jack_port_get_buffer (inPort, frames);
    const auto count = jack_midi_get_event_count (in);
    for (std::uint32_t i = 0; i < count; ++i)
    {
        jack_midi_event_t e;
        if (jack_midi_event_get (&e, in, i) != 0 || e.size < 2 || e.size > 3 || (e.buffer[0] & 0xf0) == 0xf0)
            continue;   // channel voice messages only
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
    return 0;
}

} // namespace cuegrid
