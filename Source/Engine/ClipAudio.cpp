// CueGrid — GPL-3.0-or-later
#include "ClipAudio.h"

#include <stdexcept>

namespace cuegrid
{

ClipAudio::ClipAudio (std::vector<std::vector<float>> channels, double sampleRate)
    : channelData (std::move (channels)), rate (sampleRate)
{
    if (channelData.empty() || channelData.size() > 2)
        throw std::invalid_argument ("ClipAudio needs 1 or 2 channels");
    numFrames = (int64_t) channelData.front().size();
    for (const auto& channel : channelData)
        if ((int64_t) channel.size() != numFrames)
            throw std::invalid_argument ("ClipAudio channels differ in length");
}

} // namespace cuegrid
