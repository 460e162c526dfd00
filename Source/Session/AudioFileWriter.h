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

/** Writes a stereo WAV through libsndfile into an AtomicFile: nothing appears at the
    destination until commit(). Integer formats are clipped at full scale (no dither) and no
    timestamped PEAK chunk is written, so the same render always gives the same bytes.
    One thread at a time. Throws OutputError. */
class AudioFileWriter
{
public:
    AudioFileWriter (const std::string& destination, double sampleRate, SampleFormat format);
    ~AudioFileWriter();

    /** Appends numFrames frames of left/right. */
    void write (const float* left, const float* right, int numFrames);

    /** Finishes the header and renames the file into place. */
    void commit();

private:
    struct SndFile;
    AtomicFile file;
    std::unique_ptr<SndFile> sound;
    std::unique_ptr<float[]> interleaved;
    int interleavedCapacity = 0;
};

} // namespace cuegrid
