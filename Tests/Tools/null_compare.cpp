// CueGrid — GPL-3.0-or-later
// null_compare [--only CHANNELS FROM_SEC TO_SEC]... REFERENCE RECORDING [MAX_RESIDUAL_DBFS]
// Aligns RECORDING to REFERENCE by cross-correlation over all of REFERENCE's channels (coarse
// lag from the first onset, refined over ±1024 samples), subtracts channel by channel, and
// prints each channel's signal and residual peak in dBFS. RECORDING needs at least as many
// channels as REFERENCE (extra ones are ignored).
// --only 5,6 0.05 0.45: in that window of the reference's timeline, the listed channels
// (1-based) carry signal (peak above -80 dBFS) and every other channel is digital silence,
// in the reference and in the aligned recording alike: a bus routed to its own outputs is
// there and nowhere else. Repeatable.
// Exit 0 when the whole reference was found in the recording, every channel's residual peak
// is below the limit (default -90 dBFS; a bit-identical channel is -inf) and every --only
// window holds; 1 otherwise; 2 on bad input.
#include "Support/TestSupport.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using cuegrid::test::AudioData;

namespace
{
    struct OnlyWindow
    {
        std::vector<size_t> channels;   // 0-based
        double fromSec = 0, toSec = 0;
        std::string text;               // as given
    };

    long firstOnset (const AudioData& audio, size_t numChannels, float threshold)
    {
        for (size_t i = 0; i < audio.frames(); ++i)
            for (size_t c = 0; c < numChannels; ++c)
                if (std::abs (audio.channels[c][i]) > threshold)
                    return (long) i;
        return -1;
    }

    double correlation (const AudioData& reference, const AudioData& recording, size_t numChannels, long start, long length, long lag)
    {
        double sum = 0;
        for (long i = start; i < start + length; ++i)
        {
            const auto j = i + lag;
            if (j < 0 || j >= (long) recording.frames() || i >= (long) reference.frames())
                continue;
            for (size_t c = 0; c < numChannels; ++c)
                sum += (double) reference.channels[c][(size_t) i] * recording.channels[c][(size_t) j];
        }
        return sum;
    }

    std::string decibels (double linear)
    {
        std::ostringstream text;
        text << std::fixed << std::setprecision (1) << cuegrid::test::toDecibels (linear);
        return text.str();
    }

    /** Checks one --only window in `audio` (frame i of the reference is frame i + lag of it). */
    bool checkOnly (const AudioData& audio, const char* name, const OnlyWindow& window, size_t numChannels, long lag,
                    double rate)
    {
        const auto from = (long) std::llround (window.fromSec * rate), to = (long) std::llround (window.toSec * rate);
        bool ok = true;
        std::cout << "  " << name << ":";
        for (size_t c = 0; c < numChannels; ++c)
        {
            double peak = 0;
            for (long i = from; i < to; ++i)
                if (const auto j = i + lag; j >= 0 && j < (long) audio.frames())
                    peak = std::max (peak, std::abs ((double) audio.channels[c][(size_t) j]));
            const bool wanted = std::find (window.channels.begin(), window.channels.end(), c) != window.channels.end();
            const bool good = wanted ? cuegrid::test::toDecibels (peak) > -80.0 : peak == 0.0;
            ok = ok && good;
            std::cout << " " << (c + 1) << "=" << decibels (peak) << (good ? "" : "(!)");
        }
        std::cout << (ok ? "" : "  FAILED") << "\n";
        return ok;
    }
} // namespace

int main (int argc, char** argv)
{
    std::vector<std::string> positional;
    std::vector<OnlyWindow> windows;
    for (int i = 1; i < argc; ++i)
    {
        const std::string argument = argv[i];
        if (argument == "--only" && i + 3 < argc)
        {
            OnlyWindow window;
            window.text = std::string (argv[i + 1]) + " from " + argv[i + 2] + " s to " + argv[i + 3] + " s";
            std::stringstream list (argv[i + 1]);
            for (std::string item; std::getline (list, item, ',');)
                if (const auto channel = std::atoi (item.c_str()); channel >= 1)
                    window.channels.push_back ((size_t) channel - 1);
            window.fromSec = std::atof (argv[i + 2]);
            window.toSec = std::atof (argv[i + 3]);
            if (window.channels.empty() || window.toSec <= window.fromSec)
            {
                std::cerr << "null_compare: bad --only " << window.text << "\n";
                return 2;
            }
            windows.push_back (window);
            i += 3;
        }
        else
            positional.push_back (argument);
    }
    if (positional.size() < 2 || positional.size() > 3)
    {
        std::cerr << "usage: null_compare [--only CHANNELS FROM_SEC TO_SEC]... REFERENCE RECORDING [MAX_RESIDUAL_DBFS]\n";
        return 2;
    }
    const double limit = positional.size() > 2 ? std::atof (positional[2].c_str()) : -90.0;
    AudioData reference, recording;
    try
    {
        reference = cuegrid::test::readAudio (positional[0]);
        recording = cuegrid::test::readAudio (positional[1]);
    }
    catch (const std::exception& error)
    {
        std::cerr << "null_compare: " << error.what() << "\n";
        return 2;
    }
    const auto numChannels = reference.channels.size();
    if (numChannels == 0 || recording.channels.size() < numChannels)
    {
        std::cerr << "null_compare: the recording has " << recording.channels.size() << " channel(s), the reference "
                  << numChannels << "\n";
        return 2;
    }
    for (const auto& window : windows)
        for (auto channel : window.channels)
            if (channel >= numChannels)
            {
                std::cerr << "null_compare: --only " << window.text << ": the reference has " << numChannels << " channels\n";
                return 2;
            }

    const auto referenceOnset = firstOnset (reference, numChannels, 1.0e-4f);
    const auto recordingOnset = firstOnset (recording, numChannels, 1.0e-4f);
    if (referenceOnset < 0 || recordingOnset < 0)
    {
        std::cerr << "null_compare: no signal in " << (referenceOnset < 0 ? positional[0] : positional[1]) << "\n";
        return 1;
    }
    const auto coarseLag = recordingOnset - referenceOnset;
    const auto window = std::min<long> ((long) reference.frames() - referenceOnset, (long) reference.sampleRate);
    long bestLag = coarseLag;
    double best = -INFINITY;
    for (long lag = coarseLag - 1024; lag <= coarseLag + 1024; ++lag)
        if (const auto value = correlation (reference, recording, numChannels, referenceOnset, window, lag); value > best)
        {
            best = value;
            bestLag = lag;
        }

    std::vector<double> residualPeak (numChannels, 0.0), signalPeak (numChannels, 0.0);
    std::vector<size_t> differing (numChannels, 0);
    size_t missing = 0;
    for (size_t i = 0; i < reference.frames(); ++i)
    {
        const auto j = (long) i + bestLag;
        if (j < 0 || j >= (long) recording.frames())
        {
            ++missing;
            continue;
        }
        for (size_t c = 0; c < numChannels; ++c)
        {
            const auto difference = std::abs ((double) reference.channels[c][i] - recording.channels[c][(size_t) j]);
            residualPeak[c] = std::max (residualPeak[c], difference);
            signalPeak[c] = std::max (signalPeak[c], std::abs ((double) reference.channels[c][i]));
            differing[c] += difference != 0.0 ? 1 : 0;
        }
    }

    bool ok = missing == 0;
    double worst = 0, loudest = 0;
    std::cout << "lag " << bestLag << " samples, " << numChannels << " channel(s), reference frames missing from recording: "
              << missing << "\n";
    for (size_t c = 0; c < numChannels; ++c)
    {
        const auto residualDb = cuegrid::test::toDecibels (residualPeak[c]);
        ok = ok && residualDb < limit;
        worst = std::max (worst, residualPeak[c]);
        loudest = std::max (loudest, signalPeak[c]);
        std::cout << "channel " << (c + 1) << ": signal peak " << decibels (signalPeak[c]) << " dBFS, residual peak "
                  << decibels (residualPeak[c]) << " dBFS"
                  << (differing[c] == 0 ? " (bit-identical)" : ", " + std::to_string (differing[c]) + " sample(s) differ") << "\n";
    }
    // The summary line the stereo test has always printed.
    std::cout << "lag " << bestLag << " samples, signal peak " << cuegrid::test::toDecibels (loudest) << " dBFS, residual peak "
              << cuegrid::test::toDecibels (worst) << " dBFS, reference frames missing from recording: " << missing << "\n";
    for (const auto& only : windows)
    {
        std::cout << "signal only on channel(s) " << only.text << " (peaks in dBFS):\n";
        ok = checkOnly (reference, "reference", only, numChannels, 0, reference.sampleRate) && ok;
        ok = checkOnly (recording, "recording", only, numChannels, bestLag, reference.sampleRate) && ok;
    }
    return ok ? 0 : 1;
}
