// CueGrid — GPL-3.0-or-later
#include "CliTimecode.h"

#include "CliCommands.h"

#include "Clock/LtcDecoder.h"
#include "Clock/LtcGenerator.h"
#include "Session/AudioFileWriter.h"
#include "Session/Errors.h"

#include <nlohmann/json.hpp>
#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <vector>

namespace cuegrid::cli
{

namespace
{
    nlohmann::json fpsValue (FrameRate rate)
    {
        if (rate == FrameRate::fps2997drop || rate == FrameRate::fps2997)
            return 29.97;
        return nominalFramesPerSecond (rate);
    }

    /** Frames decoded before the rate was confirmed carry the decoder's guess; the file's
        first confirmed rate is the better answer for them. */
    void settleRates (std::vector<LtcFrame>& frames)
    {
        for (const auto& confirmed : frames)
        {
            if (! confirmed.rateConfirmed)
                continue;
            for (auto& f : frames)
            {
                if (f.rateConfirmed)
                    break;
                auto relabelled = f.timecode;
                relabelled.rate = confirmed.timecode.rate;
                if (relabelled.isValid())
                    f.timecode = relabelled;
            }
            break;
        }
        // Discontinuities again, with the settled rates.
        for (size_t i = 0; i < frames.size(); ++i)
        {
            if (i == 0)
            {
                frames[i].discontinuity = false;
                continue;
            }
            auto before = frames[i - 1].timecode;
            before.rate = frames[i].timecode.rate;
            frames[i].discontinuity = ! before.isValid() || before.advancedBy (frames[i].reverse ? -1 : 1) != frames[i].timecode;
        }
    }

    int runDecode (const TimecodeOptions& options)
    {
        const auto& path = options.file;
        std::error_code ec;
        if (! std::filesystem::exists (path, ec))
        {
            std::cerr << "cuegrid: error: " << path << ": file not found\n";
            return missingMedia;
        }
        if (! std::filesystem::is_regular_file (path, ec))
        {
            std::cerr << "cuegrid: error: " << path << ": not a regular file\n";
            return missingMedia;
        }
        SF_INFO info {};
        SNDFILE* sound = sf_open (path.c_str(), SFM_READ, &info);
        if (sound == nullptr)
        {
            std::cerr << "cuegrid: error: " << path << ": not an audio file libsndfile can read (" << sf_strerror (nullptr) << ")\n";
            return missingMedia;
        }
        struct Closer { SNDFILE* s; ~Closer() { sf_close (s); } } closer { sound };
        if (info.channels < 1 || info.samplerate < 8000 || info.samplerate > 384000)
        {
            std::cerr << "cuegrid: error: " << path << ": " << info.channels << " channel(s) at " << info.samplerate
                      << " Hz; LTC needs 8000-384000 Hz\n";
            return missingMedia;
        }
        if (options.channel < 1 || options.channel > info.channels)
        {
            std::cerr << "cuegrid: error: --channel " << options.channel << ": " << path << " has " << info.channels
                      << " channel(s) (channels are counted from 1)\n";
            return invalidInput;
        }

        LtcDecoder decoder (info.samplerate, 256);
        std::vector<LtcFrame> frames;
        const auto drain = [&]
        {
            LtcFrame frame;
            while (decoder.read (frame))
                frames.push_back (frame);
        };
        constexpr int blockFrames = 4096;
        std::vector<float> interleaved ((size_t) blockFrames * (size_t) info.channels), mono (blockFrames);
        int64_t position = 0;
        for (;;)
        {
            const auto got = sf_readf_float (sound, interleaved.data(), blockFrames);
            if (got <= 0)
                break;
            for (sf_count_t i = 0; i < got; ++i)
                mono[(size_t) i] = interleaved[(size_t) (i * info.channels + options.channel - 1)];
            decoder.write (mono.data(), (int) got, position);
            position += got;
            drain();
        }
        decoder.flush();
        drain();

        if (frames.empty())
        {
            std::cerr << "cuegrid: error: " << path << ": no timecode found in channel " << options.channel << " ("
                      << position << " samples at " << info.samplerate << " Hz)\n";
            return noTimecodeFound;
        }
        settleRates (frames);

        int discontinuities = 0;
        for (const auto& f : frames)
        {
            discontinuities += f.discontinuity ? 1 : 0;
            nlohmann::ordered_json line;
            line["timecode"] = f.timecode.toString();
            line["fps"] = fpsValue (f.timecode.rate);
            line["dropFrame"] = isDropFrame (f.timecode.rate);
            line["startSample"] = f.startSample;
            line["endSample"] = f.endSample;
            line["reverse"] = f.reverse;
            std::cout << line.dump() << "\n";
        }
        const auto rate = frames.back().timecode.rate;
        nlohmann::ordered_json summary;
        summary["first"] = frames.front().timecode.toString();
        summary["last"] = frames.back().timecode.toString();
        summary["frames"] = frames.size();
        summary["fps"] = fpsValue (rate);
        summary["dropFrame"] = isDropFrame (rate);
        summary["discontinuities"] = discontinuities;
        std::cout << summary.dump() << "\n";
        std::cout.flush();
        return success;
    }

    int runGenerate (const TimecodeOptions& options)
    {
        const auto rate = parseFrameRate (options.fps);
        if (! rate)
        {
            std::cerr << "cuegrid: error: --fps " << options.fps << ": not a timecode rate (24, 25, 29.97 = 29.97df drop-frame, 29.97ndf, 30)\n";
            return invalidInput;
        }
        std::string why;
        const auto start = Timecode::parse (options.start, *rate, &why);
        if (! start)
        {
            std::cerr << "cuegrid: error: --start " << options.start << ": " << why << "\n";
            return invalidInput;
        }
        const auto frames = (int64_t) std::ceil (options.seconds * framesPerSecond (*rate) - 1e-9);
        if (frames < 1)
        {
            std::cerr << "cuegrid: error: --seconds " << options.seconds << ": shorter than one frame\n";
            return invalidInput;
        }

        removeTemporaryFilesOnSignals();
        try
        {
            LtcGenerator generator (options.sampleRate, *start, options.levelDb);
            const auto expected = (int64_t) std::llround (double (frames) * options.sampleRate / framesPerSecond (*rate));
            AudioFileWriter writer (options.out, options.sampleRate, 1, SampleFormat::int16, expected);
            std::vector<float> samples;
            int64_t written = 0;
            for (int64_t i = 0; i < frames; ++i)
            {
                samples.clear();
                generator.renderFrame (samples);
                const float* channels[] = { samples.data() };
                writer.write (channels, (int) samples.size());
                written += (int64_t) samples.size();
            }
            writer.commit();
            const auto last = start->advancedBy (frames - 1);
            std::cout << "cuegrid: wrote " << frames << " frames of " << frameRateName (*rate) << " fps LTC (" << start->toString()
                      << " to " << last.toString() << "), " << written << " samples at " << options.sampleRate << " Hz, "
                      << options.levelDb << " dBFS, to " << options.out << "\n";
        }
        catch (const OutputError& error)
        {
            std::cerr << "cuegrid: error: " << error.what() << "\n";
            return outputUnwritable;
        }
        return success;
    }
} // namespace

void addTimecodeCommands (CLI::App& app, TimecodeOptions& options)
{
    options.command = app.add_subcommand ("timecode", "Decode LTC from an audio file, or generate an LTC file");
    options.command->require_subcommand (1);

    options.decode = options.command->add_subcommand ("decode", "Decode every LTC frame of a file as NDJSON, then a summary line");
    options.decode->add_option ("FILE", options.file, "Audio file (WAV, FLAC, AIFF, ...)")->required();
    options.decode->add_option ("--channel", options.channel, "Channel holding the LTC, from 1 (default 1)");

    options.generate = options.command->add_subcommand ("generate", "Write an LTC signal to a mono 16-bit WAV");
    options.generate->add_option ("--fps", options.fps, "24, 25, 29.97 (drop-frame; also 29.97df), 29.97ndf or 30")->required();
    options.generate->add_option ("--start", options.start, "First frame, HH:MM:SS:FF (HH:MM:SS;FF at drop-frame)")->required();
    options.generate->add_option ("--seconds", options.seconds, "Length in seconds (rounded up to whole frames)")
        ->required()->check (CLI::Range (0.0, 86400.0));
    options.generate->add_option ("--out", options.out, "Output WAV file")->required();
    options.generate->add_option ("--rate", options.sampleRate, "Sample rate, Hz (default 48000)")->check (CLI::Range (8000.0, 384000.0));
    options.generate->add_option ("--level", options.levelDb, "Peak level, dBFS (default -6)")->check (CLI::Range (-96.0, 0.0));

    options.monitor = options.command->add_subcommand ("monitor", "Follow every timecode source live (LTC input, MIDI inputs' MTC, PTP): health as NDJSON");
    options.monitor->add_option ("--ltc-channel", options.ltcChannel, "Device input holding LTC, from 1 (default: no LTC input)")
        ->check (CLI::Range (0, 64));
    options.monitor->add_option ("--device-type", options.deviceType, "Audio device type: JACK or ALSA (default: the first that opens)");
    options.monitor->add_option ("--seconds", options.monitorSeconds, "Stop after this many seconds (default: at Ctrl+C)")
        ->check (CLI::Range (0.0, 1.0e7));
    options.monitor->add_option ("--rate", options.monitorRate, "Sample rate to ask the device for, Hz (default 48000)")
        ->check (CLI::Range (8000.0, 384000.0));
    options.monitor->add_option ("--quality-threshold", options.qualityThreshold, "Stability (0-100) below which a source is unfit (default 50)")
        ->check (CLI::Range (0, 100));
    options.monitor->add_option ("--flywheel", options.flywheelSeconds, "Seconds a silent source predicts before it counts as lost (default 1)")
        ->check (CLI::Range (0.0, 60.0));
    options.monitor->add_option ("--master-trace", options.masterTrace,
                                 "Write the master at every audio block to this NDJSON file (docs/cli.md)");
}

int runTimecode (const TimecodeOptions& options)
{
    if (options.decode->parsed())
        return runDecode (options);
    if (options.generate->parsed())
        return runGenerate (options);
    if (options.monitor->parsed())
        return runTimecodeMonitor (options);
    return invalidInput;
}

} // namespace cuegrid::cli
