// CueGrid — GPL-3.0-or-later
#include "CliTimecodeShow.h"

#include "Session/Errors.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>

namespace cuegrid::cli
{

std::vector<float> readLtcChannel (const std::string& path, int channel, double sampleRate)
{
    SF_INFO info {};
    auto* file = sf_open (path.c_str(), SFM_READ, &info);
    if (file == nullptr)
        throw InputError (path, 0, 0, std::string ("cannot read the LTC file: ") + sf_strerror (nullptr));
    struct Closer { SNDFILE* f; ~Closer() { sf_close (f); } } closer { file };
    if (channel < 1 || channel > info.channels)
        throw InputError (path, 0, 0, "--ltc-channel " + std::to_string (channel) + ": the file has "
                                          + std::to_string (info.channels) + " channel(s) (counted from 1)");
    if ((double) info.samplerate != sampleRate)
        throw InputError (path, 0, 0, "the LTC file is at " + std::to_string (info.samplerate) + " Hz, the session at "
                                          + std::to_string ((int) sampleRate) + " Hz (it is fed sample for sample, not resampled)");
    std::vector<float> interleaved ((size_t) 65536 * (size_t) info.channels);
    std::vector<float> mono;
    mono.reserve ((size_t) std::max<sf_count_t> (0, info.frames));
    for (;;)
    {
        const auto got = sf_readf_float (file, interleaved.data(), 65536);
        if (got <= 0)
            break;
        for (sf_count_t i = 0; i < got; ++i)
            mono.push_back (interleaved[(size_t) (i * info.channels + channel - 1)]);
    }
    return mono;
}

} // namespace cuegrid::cli
