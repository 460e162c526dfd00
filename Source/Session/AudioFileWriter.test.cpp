// CueGrid — GPL-3.0-or-later
#include "AudioFileWriter.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace cuegrid;

TEST_CASE ("AudioFileWriter writes N channels in order, bit-exact in float, atomically", "[writer]")
{
    test::TemporaryFolder folder ("writer");
    const auto path = (folder / "six.wav").string();
    constexpr int channels = 6, frames = 1000;
    std::vector<std::vector<float>> data (channels, std::vector<float> (frames));
    for (int c = 0; c < channels; ++c)
        for (int i = 0; i < frames; ++i)
            data[(size_t) c][(size_t) i] = (float) (c + 1) * 0.1f + (float) i * 1.0e-7f;   // each channel its own values
    std::vector<const float*> pointers;
    for (auto& channel : data)
        pointers.push_back (channel.data());

    AudioFileWriter writer (path, 48000.0, channels, SampleFormat::float32, frames);
    CHECK (writer.getNumChannels() == 6);
    CHECK_FALSE (writer.isRf64());
    writer.write (pointers.data(), 300);   // two writes: the second continues the first
    std::vector<const float*> rest;
    for (auto* pointer : pointers)
        rest.push_back (pointer + 300);
    writer.write (rest.data(), frames - 300);
    CHECK_FALSE (std::filesystem::exists (path));   // nothing at the destination before commit
    writer.commit();

    const auto audio = test::readAudio (path);
    REQUIRE (audio.channels.size() == channels);
    REQUIRE (audio.frames() == frames);
    CHECK (audio.sampleRate == 48000.0);
    for (int c = 0; c < channels; ++c)
        CHECK ((audio.channels[(size_t) c] == data[(size_t) c]));
}

TEST_CASE ("AudioFileWriter refuses 0 or 65 channels and leaves no temporary", "[writer]")
{
    test::TemporaryFolder folder ("writer-bad");
    for (int channels : { 0, 65 })
        CHECK_THROWS_AS (AudioFileWriter ((folder / "bad.wav").string(), 48000.0, channels, SampleFormat::int16), std::invalid_argument);
    CHECK (std::filesystem::is_empty (folder.path));
}

TEST_CASE ("AudioFileWriter switches to RF64 where N channels pass 4 GiB", "[writer]")
{
    // 0xFFFFFFFF − 4096 bytes of data: float stereo 536 870 399 frames, 6 channels a third of it.
    CHECK_FALSE (AudioFileWriter::needsRf64 (536870399, SampleFormat::float32, 2));
    CHECK (AudioFileWriter::needsRf64 (536870400, SampleFormat::float32, 2));
    CHECK_FALSE (AudioFileWriter::needsRf64 (178956799, SampleFormat::float32, 6));
    CHECK (AudioFileWriter::needsRf64 (178956800, SampleFormat::float32, 6));
    CHECK (AudioFileWriter::needsRf64 (536870400, SampleFormat::int16, 4));
}
