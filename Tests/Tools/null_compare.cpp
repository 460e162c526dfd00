// CueGrid — GPL-3.0-or-later
// null_compare REFERENCE RECORDING [MAX_RESIDUAL_DBFS]
// Aligns RECORDING to REFERENCE by cross-correlation (coarse lag from the first onset, refined
// over ±1024 samples), subtracts, and prints the residual's peak in dBFS. Exit 0 when the
// whole reference was found in the recording and the residual peak is below the limit
// (default -90 dBFS), 1 otherwise, 2 on bad input.
#include "Support/TestSupport.h"

#include <cmath>
#include <iostream>

using cuegrid::test::AudioData;

namespace
{
    long firstOnset (const AudioData& audio, float threshold)
    {
        for (size_t i = 0; i < audio.frames(); ++i)
            for (const auto& channel : audio.channels)
                if (std::abs (channel[i]) > threshold)
                    return (long) i;
        return -1;
    }

    double correlation (const AudioData& reference, const AudioData& recording, long start, long length, long lag)
    {
        double sum = 0;
        for (long i = start; i < start + length; ++i)
        {
            const auto j = i + lag;
            if (j < 0 || j >= (long) recording.frames() || i >= (long) reference.frames())
                continue;
            for (size_t c = 0; c < 2; ++c)
                sum += (double) reference.channels[c][(size_t) i] * recording.channels[c][(size_t) j];
        }
        return sum;
    }
} // namespace

int main (int argc, char** argv)
{
    if (argc < 3)
    {
        std::cerr << "usage: null_compare REFERENCE RECORDING [MAX_RESIDUAL_DBFS]\n";
        return 2;
    }
    const double limit = argc > 3 ? std::atof (argv[3]) : -90.0;
    AudioData reference, recording;
    try
    {
        reference = cuegrid::test::readAudio (argv[1]);
        recording = cuegrid::test::readAudio (argv[2]);
    }
    catch (const std::exception& error)
    {
        std::cerr << "null_compare: " << error.what() << "\n";
        return 2;
    }
    if (reference.channels.size() < 2 || recording.channels.size() < 2)
    {
        std::cerr << "null_compare: both files must be stereo\n";
        return 2;
    }

    const auto referenceOnset = firstOnset (reference, 1.0e-4f), recordingOnset = firstOnset (recording, 1.0e-4f);
    if (referenceOnset < 0 || recordingOnset < 0)
    {
        std::cerr << "null_compare: no signal in " << (referenceOnset < 0 ? argv[1] : argv[2]) << "\n";
        return 1;
    }
    const auto coarseLag = recordingOnset - referenceOnset;
    const auto window = std::min<long> ((long) reference.frames() - referenceOnset, (long) reference.sampleRate);
    long bestLag = coarseLag;
    double best = -INFINITY;
    for (long lag = coarseLag - 1024; lag <= coarseLag + 1024; ++lag)
        if (const auto value = correlation (reference, recording, referenceOnset, window, lag); value > best)
        {
            best = value;
            bestLag = lag;
        }

    double residualPeak = 0, signalPeak = 0;
    size_t missing = 0;
    for (size_t i = 0; i < reference.frames(); ++i)
    {
        const auto j = (long) i + bestLag;
        if (j < 0 || j >= (long) recording.frames())
        {
            ++missing;
            continue;
        }
        for (size_t c = 0; c < 2; ++c)
        {
            residualPeak = std::max (residualPeak, std::abs ((double) reference.channels[c][i] - recording.channels[c][(size_t) j]));
            signalPeak = std::max (signalPeak, std::abs ((double) reference.channels[c][i]));
        }
    }
    const auto residualDb = cuegrid::test::toDecibels (residualPeak);
    std::cout << "lag " << bestLag << " samples, signal peak " << cuegrid::test::toDecibels (signalPeak)
              << " dBFS, residual peak " << residualDb << " dBFS, reference frames missing from recording: " << missing << "\n";
    return missing == 0 && residualDb < limit ? 0 : 1;
}
