// CueGrid — GPL-3.0-or-later
#pragma once

#include "LevelMeter.h"
#include "Control/ShowController.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <array>
#include <functional>

namespace cuegrid
{

/** The REC A and REC B buttons: each toggles its record bus, lit red while it records, with
    the bus's input level (a two-channel meter, recording or not) and the take's elapsed time.
    Message thread; it only shows state and reports clicks (ShowController records). */
class RecordPanel final : public juce::Component
{
public:
    RecordPanel();

    /** One UI frame of bus `bus` (0 = A, 1 = B), `seconds` after the last. */
    void show (int bus, const ShowController::RecordState& state, double seconds);

    /** A click: start (true) or stop (false) bus `bus`'s take. */
    std::function<void (int bus, bool start)> onRecord;

    juce::Component& getButton (int bus) { return buses[(size_t) bus].button; }

    void resized() override;

private:
    struct Bus
    {
        juce::TextButton button;
        LevelMeter meter { 2, false };
        juce::Label time;
        bool recording = false;
    };
    std::array<Bus, 2> buses;
};

} // namespace cuegrid
