// CueGrid — GPL-3.0-or-later
#pragma once

#include "AtomicFile.h"

#include <memory>
#include <string>

namespace cuegrid
{

/** Sample format of a written WAV file. */
enum class SampleFormat { float32, int24, int16 };

/** Parses "f32" / "s24" / "s16"; nullptr-like std::nullopt on anything else. */
bool parseSampleFormat (const std::string& text, SampleFormat& format);

/** Writes a WAV of 1 … maxChannels channels through libsndfile into an AtomicFile: nothing
    appears at the destination until commit(). Integer formats are clipped at full scale (no
    dither) and no timestamped PEAK chunk is written, so the same render always gives the same
    bytes. A render whose data passes 4 GiB (the RIFF size field's limit; e.g. 3.1 h of float
    stereo, or 62 min of float 6-channel, at 48 kHz) is written as RF64 (EBU Tech 3306), which
    readers of long WAVs accept; a writer that was told fewer frames than it gets refuses to
    pass 4 GiB as plain WAV rather than write a header that wraps.
    One thread at a time. Throws OutputError. */
class AudioFileWriter
{
public:
    static constexpr int maxChannels = 64;

    /** `numChannels`: 1 … maxChannels (std::invalid_argument otherwise). `expectedFrames`:
        the render's length in frames, which picks WAV or RF64. */
    AudioFileWriter (const std::string& destination, double sampleRate, int numChannels, SampleFormat format,
                     int64_t expectedFrames = 0);

    /** True when `frames` frames of `numChannels` channels of `format` do not fit a plain WAV. */
    static bool needsRf64 (int64_t frames, SampleFormat format, int numChannels = 2);
    bool isRf64() const noexcept { return rf64; }
    int getNumChannels() const noexcept { return numChannels; }
    ~AudioFileWriter();

    /** Appends numFrames frames: `channels[c]` holds numFrames samples of channel c, for each
        of the getNumChannels() channels. */
    void write (const float* const* channels, int numFrames);

    /** Finishes the header and renames the file into place. */
    void commit();

private:
    struct SndFile;
    AtomicFile file;
    std::unique_ptr<SndFile> sound;
    std::unique_ptr<float[]> interleaved;
    int interleavedCapacity = 0;
    SampleFormat format;
    int numChannels = 2;
    bool rf64 = false;
    int64_t framesWritten = 0;
};

} // namespace cuegrid
