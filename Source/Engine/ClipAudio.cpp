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
    numChannels = (int) channelData.size();
    numFrames = (int64_t) channelData.front().size();
    for (const auto& channel : channelData)
        if ((int64_t) channel.size() != numFrames)
            throw std::invalid_argument ("ClipAudio channels differ in length");
}

ClipAudio::ClipAudio (MediaChunksPtr chunks, std::shared_ptr<const void> keepAlive)
    : streamed (std::move (chunks)), streamedKeepAlive (std::move (keepAlive))
{
    if (streamed == nullptr || streamed->getNumChannels() < 1 || streamed->getNumChannels() > 2)
        throw std::invalid_argument ("ClipAudio needs 1 or 2 channels");
    numChannels = streamed->getNumChannels();
    numFrames = streamed->getNumFrames();
    rate = streamed->getSampleRate();
}

} // namespace cuegrid
