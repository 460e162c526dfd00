// CueGrid — GPL-3.0-or-later
#include "ShowController.h"

#include <catch2/catch.hpp>

#include <limits>

using namespace cuegrid;

namespace
{
    juce::BigInteger channels (std::initializer_list<int> enabled)
    {
        juce::BigInteger bits;
        for (auto channel : enabled)
            bits.setBit (channel);
        return bits;
    }

    constexpr auto notThere = std::numeric_limits<int16_t>::max();
}

TEST_CASE ("ShowController routing: every channel enabled keeps the session's channels, 0-based")
{
    RoutingSettings settings;
    settings.master = { 1, 2 };
    settings.audition = { 7, 8 };
    settings.groups[3] = ChannelPair { 5, 6 };
    const auto routing = ShowController::routingForDevice (settings, channels ({ 0, 1, 2, 3, 4, 5, 6, 7 }));
    CHECK (routing.masterLeft == 0);
    CHECK (routing.masterRight == 1);
    CHECK (routing.auditionLeft == 6);
    CHECK (routing.auditionRight == 7);
    CHECK (routing.groupLeft[3] == 4);
    CHECK (routing.groupRight[3] == 5);
    for (int group = 0; group < 3; ++group)
        CHECK (routing.groupLeft[group] == -1);  // not listed: feeds the master
}

TEST_CASE ("ShowController routing: the engine numbers only enabled channels, in order")
{
    // A JACK device with outputs 1-2 and 5-6 connected: the engine gets four channels, and
    // device channels 5-6 are its channels 2-3.
    RoutingSettings settings;
    settings.master = { 1, 2 };
    settings.audition = { 3, 4 };
    settings.groups[1] = ChannelPair { 5, 6 };
    const auto routing = ShowController::routingForDevice (settings, channels ({ 0, 1, 4, 5 }));
    CHECK (routing.masterLeft == 0);
    CHECK (routing.masterRight == 1);
    CHECK (routing.groupLeft[1] == 2);
    CHECK (routing.groupRight[1] == 3);
    // 3-4 are not enabled: past every engine channel, so the audition falls back to the master's.
    CHECK (routing.auditionLeft == notThere);
    CHECK (routing.auditionRight == notThere);
}

TEST_CASE ("ShowController routing: a master pair the device lacks falls back")
{
    RoutingSettings settings;
    settings.master = { 3, 4 };
    const auto routing = ShowController::routingForDevice (settings, channels ({ 0, 1 }));
    CHECK (routing.masterLeft == notThere);
    CHECK (routing.masterRight == notThere);
    CHECK (routing.auditionLeft == notThere);
}
