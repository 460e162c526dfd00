// CueGrid — GPL-3.0-or-later
#include "LtcGenerator.h"

#include <ltc.h>

#include <cmath>
#include <stdexcept>

namespace cuegrid
{

namespace
{
    LTC_TV_STANDARD standardFor (FrameRate rate) noexcept
    {
        switch (rate)
        {
            case FrameRate::fps24: return LTC_TV_FILM_24;
            case FrameRate::fps25: return LTC_TV_625_50;
            default: return LTC_TV_525_60;
        }
    }

    void setLabel (LTCFrame& f, const Timecode& t) noexcept
    {
        f.frame_tens = (unsigned) t.frames / 10;
        f.frame_units = (unsigned) t.frames % 10;
        f.secs_tens = (unsigned) t.seconds / 10;
        f.secs_units = (unsigned) t.seconds % 10;
        f.mins_tens = (unsigned) t.minutes / 10;
        f.mins_units = (unsigned) t.minutes % 10;
        f.hours_tens = (unsigned) t.hours / 10;
        f.hours_units = (unsigned) t.hours % 10;
        f.dfbit = isDropFrame (t.rate) ? 1 : 0;
    }
} // namespace

void LtcGenerator::LibltcDeleter::operator() (LTCEncoder* e) const noexcept { ltc_encoder_free (e); }

LtcGenerator::LtcGenerator (double sampleRate, Timecode start, double levelDb, double initialSpeed)
    : next (start)
{
    if (! (sampleRate >= 8000.0 && sampleRate <= 384000.0))
        throw std::invalid_argument ("LTC generator: sample rate " + std::to_string (sampleRate) + " Hz is outside 8000-384000");
    if (! (levelDb <= 0.0 && levelDb >= -96.0))
        throw std::invalid_argument ("LTC generator: level " + std::to_string (levelDb) + " dBFS is outside -96 to 0");
    if (! start.isValid())
        throw std::invalid_argument ("LTC generator: " + start.toString() + " is not a timecode at " + frameRateName (start.rate) + " fps");

    encoder.reset (ltc_encoder_create (sampleRate, framesPerSecond (start.rate), standardFor (start.rate), 0));
    if (encoder == nullptr)
        throw std::bad_alloc();
    ltc_encoder_set_volume (encoder.get(), 0.0);   // full scale; the level is applied in float
    gain = (float) std::pow (10.0, levelDb / 20.0);
    setSpeed (initialSpeed);
}

void LtcGenerator::setSpeed (double newSpeed)
{
    if (! (newSpeed >= 0.5 && newSpeed <= 2.0))
        throw std::invalid_argument ("LTC generator: speed " + std::to_string (newSpeed) + " is outside 0.5-2");
    speed = newSpeed;
}

LtcGenerator::~LtcGenerator() = default;

void LtcGenerator::renderFrame (std::vector<float>& out)
{
    // The label is set here rather than with libltc's ltc_encoder_inc_timecode, so drop-frame
    // skipping and 29.97 non-drop (libltc sets the drop-frame bit for any 29.97) follow Timecode.
    LTCFrame frame;
    ltc_encoder_get_frame (encoder.get(), &frame);
    setLabel (frame, next);
    ltc_frame_set_parity (&frame, standardFor (next.rate));
    ltc_encoder_set_frame (encoder.get(), &frame);

    // libltc's own varispeed: its encode_byte stretches each bit cell by the factor it is given
    // (1/speed) and carries the fractional samples on. Its buffer holds one frame at speed 1, so
    // it is emptied after every byte (a tenth of a frame; at 0.5× a fifth).
    for (int byte = 0; byte < 10; ++byte)
    {
        ltc_encoder_encode_byte (encoder.get(), byte, 1.0 / speed);
        ltcsnd_sample_t* bytes = nullptr;
        const int count = ltc_encoder_get_bufferptr (encoder.get(), &bytes, 1);
        for (int i = 0; i < count; ++i)
            out.push_back ((float (bytes[i]) - 128.0f) / 127.0f * gain);
    }
    next = next.advancedBy (1);
}

std::vector<float> LtcGenerator::generate (double sampleRate, Timecode start, int64_t frames, double levelDb, double speed)
{
    LtcGenerator generator (sampleRate, start, levelDb, speed);
    std::vector<float> samples;
    samples.reserve ((size_t) std::ceil (double (frames + 1) * sampleRate / speed / framesPerSecond (start.rate)));
    for (int64_t i = 0; i < frames; ++i)
        generator.renderFrame (samples);
    return samples;
}

} // namespace cuegrid
