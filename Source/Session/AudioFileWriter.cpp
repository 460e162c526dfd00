// CueGrid — GPL-3.0-or-later
#include "AudioFileWriter.h"

#include "Errors.h"

#include <sndfile.h>

#include <stdexcept>

namespace cuegrid
{

struct AudioFileWriter::SndFile
{
    SNDFILE* handle = nullptr;
    ~SndFile() { if (handle != nullptr) sf_close (handle); }
};

bool parseSampleFormat (const std::string& text, SampleFormat& format)
{
    if (text == "f32") { format = SampleFormat::float32; return true; }
    if (text == "s24") { format = SampleFormat::int24; return true; }
    if (text == "s16") { format = SampleFormat::int16; return true; }
    return false;
}

bool AudioFileWriter::needsRf64 (int64_t frames, SampleFormat format, int channels)
{
    const int64_t bytesPerFrame = channels * (format == SampleFormat::float32 ? 4 : format == SampleFormat::int24 ? 3 : 2);
    // A RIFF size field is 32 bits; leave room for the header chunks.
    return frames * bytesPerFrame > (int64_t) 0xFFFFFFFF - 4096;
}

AudioFileWriter::AudioFileWriter (const std::string& destination, double sampleRate, int channels,
                                  SampleFormat sampleFormat, int64_t expectedFrames)
    : file (destination), sound (std::make_unique<SndFile>()), format (sampleFormat), numChannels (channels)
{
    // The temporary just created is removed again as `file` unwinds.
    if (numChannels < 1 || numChannels > maxChannels)
        throw std::invalid_argument ("AudioFileWriter: " + std::to_string (numChannels) + " channels (1 to "
                                     + std::to_string (maxChannels) + ")");
    SF_INFO info {};
    info.samplerate = (int) sampleRate;
    info.channels = numChannels;
    rf64 = needsRf64 (expectedFrames, format, numChannels);
    info.format = (rf64 ? SF_FORMAT_RF64 : SF_FORMAT_WAV)
                  | (format == SampleFormat::float32 ? SF_FORMAT_FLOAT
                     : format == SampleFormat::int24 ? SF_FORMAT_PCM_24 : SF_FORMAT_PCM_16);
    sound->handle = sf_open_fd (file.getDescriptor(), SFM_WRITE, &info, SF_FALSE);
    if (sound->handle == nullptr)
        throw OutputError (destination + ": cannot write WAV: " + sf_strerror (nullptr));
    sf_command (sound->handle, SFC_SET_CLIPPING, nullptr, SF_TRUE);
    // libsndfile's PEAK chunk carries a wall-clock timestamp: without it the same render
    // always gives the same bytes.
    sf_command (sound->handle, SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);
}

AudioFileWriter::~AudioFileWriter() = default;

void AudioFileWriter::write (const float* const* channels, int numFrames)
{
    if (! rf64 && needsRf64 (framesWritten + numFrames, format, numChannels))
        throw OutputError (file.getDestination() + ": the WAV would pass 4 GiB; this render should have been RF64");
    framesWritten += numFrames;
    if (numFrames > interleavedCapacity)
    {
        interleaved = std::make_unique<float[]> ((size_t) numFrames * (size_t) numChannels);
        interleavedCapacity = numFrames;
    }
    for (int c = 0; c < numChannels; ++c)
    {
        const auto* source = channels[c];
        auto* destination = interleaved.get() + c;
        for (int i = 0; i < numFrames; ++i)
            destination[(size_t) i * (size_t) numChannels] = source[i];
    }
    if (sf_writef_float (sound->handle, interleaved.get(), numFrames) != numFrames)
        throw OutputError (file.getDestination() + ": write failed: " + sf_strerror (sound->handle));
}

void AudioFileWriter::commit()
{
    sf_write_sync (sound->handle);
    const auto result = sf_close (sound->handle);
    sound->handle = nullptr;
    if (result != 0)
        throw OutputError (file.getDestination() + ": write failed: " + sf_error_number (result));
    file.commit();
}

} // namespace cuegrid
