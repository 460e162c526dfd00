// CueGrid — GPL-3.0-or-later
#include "AudioFileWriter.h"

#include "Errors.h"

#include <sndfile.h>

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

bool AudioFileWriter::needsRf64 (int64_t frames, SampleFormat format)
{
    const int64_t bytesPerFrame = 2 * (format == SampleFormat::float32 ? 4 : format == SampleFormat::int24 ? 3 : 2);
    // A RIFF size field is 32 bits; leave room for the header chunks.
    return frames * bytesPerFrame > (int64_t) 0xFFFFFFFF - 4096;
}

AudioFileWriter::AudioFileWriter (const std::string& destination, double sampleRate, SampleFormat sampleFormat, int64_t expectedFrames)
    : file (destination), sound (std::make_unique<SndFile>()), format (sampleFormat)
{
    SF_INFO info {};
    info.samplerate = (int) sampleRate;
    info.channels = 2;
    rf64 = needsRf64 (expectedFrames, format);
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

void AudioFileWriter::write (const float* left, const float* right, int numFrames)
{
    if (! rf64 && needsRf64 (framesWritten + numFrames, format))
        throw OutputError (file.getDestination() + ": the WAV would pass 4 GiB; this render should have been RF64");
    framesWritten += numFrames;
    if (numFrames > interleavedCapacity)
    {
        interleaved = std::make_unique<float[]> ((size_t) numFrames * 2);
        interleavedCapacity = numFrames;
    }
    for (int i = 0; i < numFrames; ++i)
    {
        interleaved[(size_t) i * 2] = left[i];
        interleaved[(size_t) i * 2 + 1] = right[i];
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
