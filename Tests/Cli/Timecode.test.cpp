// CueGrid — GPL-3.0-or-later
// `cuegrid timecode decode|generate` as a user runs it (issue 12, test 1): the corpus LTC files
// give exactly EXPECTED.csv's first/last timecode and frame count, a generated drop-frame file
// skips ;00 and ;01, and bad input fails with its message and exit code.
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sndfile.h>

#include <algorithm>
#include <map>
#include <sstream>

using namespace cuegrid::test;

namespace
{
struct Decoded
{
    int exitCode = -1;
    std::vector<nlohmann::json> frames;
    nlohmann::json summary;
    std::string output;
};

Decoded decode (const std::filesystem::path& file, const std::string& extra = {})
{
    const auto result = run (quote (cliPath()) + " timecode decode " + quote (file.string()) + " " + extra);
    Decoded d;
    d.exitCode = result.exitCode;
    d.output = result.output;
    std::istringstream lines (result.output);
    std::string line;
    while (std::getline (lines, line))
    {
        if (line.empty() || line[0] != '{')
            continue;
        auto json = nlohmann::json::parse (line);
        if (json.contains ("first"))
            d.summary = json;
        else
            d.frames.push_back (json);
    }
    return d;
}

std::vector<std::map<std::string, std::string>> readExpected()
{
    std::istringstream csv (readText (dataPath ("corpus/ltc/EXPECTED.csv")));
    std::string line;
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
    const auto split = [] (const std::string& text)
    {
        std::vector<std::string> fields;
        std::stringstream stream (text);
        std::string field;
        while (std::getline (stream, field, ','))
            fields.push_back (field);
        return fields;
    };
    while (std::getline (csv, line))
    {
        if (line.empty())
            continue;
        if (header.empty())
        {
            header = split (line);
            continue;
        }
        const auto fields = split (line);
        std::map<std::string, std::string> row;
        for (size_t i = 0; i < header.size() && i < fields.size(); ++i)
            row[header[i]] = fields[i];
        rows.push_back (row);
    }
    return rows;
}

void writeSilence (const std::filesystem::path& file, int channels, int frames)
{
    SF_INFO info {};
    info.samplerate = 48000;
    info.channels = channels;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    auto* sound = sf_open (file.c_str(), SFM_WRITE, &info);
    REQUIRE (sound != nullptr);
    std::vector<float> zeros ((size_t) (frames * channels), 0.0f);
    sf_writef_float (sound, zeros.data(), frames);
    sf_close (sound);
}
} // namespace

TEST_CASE ("timecode decode: the corpus LTC files give EXPECTED.csv's first, last and frame count", "[cli][timecode]")
{
    const auto rows = readExpected();
    REQUIRE (rows.size() == 2);
    for (const auto& row : rows)
    {
        INFO (row.at ("file"));
        const auto d = decode (dataPath ("corpus/ltc/" + row.at ("file")));
        REQUIRE (d.exitCode == 0);
        const auto frames = std::stoi (row.at ("frames"));
        const bool dropFrame = row.at ("drop_frame") == "1";
        CHECK (d.summary.at ("first") == row.at ("first_tc"));
        CHECK (d.summary.at ("last") == row.at ("last_tc"));
        CHECK (d.summary.at ("frames") == frames);
        CHECK (d.summary.at ("fps").get<double>() == Approx (std::stod (row.at ("fps"))));
        CHECK (d.summary.at ("dropFrame") == dropFrame);
        CHECK (d.summary.at ("discontinuities") == 0);

        // One line per frame, every frame, in order, spans covering the file end to end.
        REQUIRE ((int) d.frames.size() == frames);
        CHECK (d.frames.front().at ("timecode") == row.at ("first_tc"));
        CHECK (d.frames.back().at ("timecode") == row.at ("last_tc"));
        CHECK (d.frames.front().at ("startSample") == std::stoll (row.at ("first_frame_start_sample")));
        // libltc's off_end is 0-2 samples before a frame's true end (the signal's rise time).
        CHECK (d.frames.back().at ("endSample").get<int64_t>() >= std::stoll (row.at ("samples")) - 3);
        CHECK (d.frames.back().at ("endSample").get<int64_t>() <= std::stoll (row.at ("samples")) - 1);
        for (size_t k = 0; k < d.frames.size(); ++k)
        {
            const auto& f = d.frames[k];
            CHECK (f.at ("dropFrame") == dropFrame);
            CHECK (f.at ("reverse") == false);
            if (k > 0)
                CHECK (f.at ("startSample").get<int64_t>() == d.frames[k - 1].at ("endSample").get<int64_t>() + 1);
        }
    }
}

TEST_CASE ("timecode generate then decode: 29.97 drop-frame across a minute skips 00 and 01", "[cli][timecode]")
{
    TemporaryFolder folder ("timecode-generate");
    const auto file = folder / "df.wav";
    const auto generated = run (quote (cliPath()) + " timecode generate --fps 29.97 --start '00:00:58;00' --seconds 4 --out "
                                + quote (file.string()));
    REQUIRE (generated.exitCode == 0);
    CHECK_THAT (generated.output, Catch::Contains ("120 frames"));

    const auto d = decode (file);
    REQUIRE (d.exitCode == 0);
    REQUIRE (d.frames.size() == 120);
    CHECK (d.summary.at ("first") == "00:00:58;00");
    CHECK (d.summary.at ("last") == "00:01:02;01");   // 120 frames on, two labels skipped
    CHECK (d.summary.at ("dropFrame") == true);
    CHECK (d.summary.at ("discontinuities") == 0);
    std::vector<std::string> labels;
    for (const auto& f : d.frames)
        labels.push_back (f.at ("timecode"));
    const auto at = std::find (labels.begin(), labels.end(), "00:00:59;29");
    REQUIRE (at != labels.end());
    CHECK (*(at + 1) == "00:01:00;02");
    CHECK (std::find (labels.begin(), labels.end(), "00:01:00;00") == labels.end());
    CHECK (std::find (labels.begin(), labels.end(), "00:01:00;01") == labels.end());

    // A quiet 24 fps file at 44.1 kHz, on the second channel of a stereo file read with --channel.
    const auto quiet = folder / "quiet.wav";
    REQUIRE (run (quote (cliPath()) + " timecode generate --fps 24 --start 10:00:00:00 --seconds 2 --rate 44100 --level -30 --out "
                  + quote (quiet.string())).exitCode == 0);
    const auto q = decode (quiet);
    REQUIRE (q.exitCode == 0);
    CHECK (q.summary.at ("frames") == 48);
    CHECK (q.summary.at ("fps") == 24);
    CHECK (q.summary.at ("last") == "10:00:01:23");
    for (const auto& f : q.frames)
        CHECK (f.at ("fps") == 24);   // the frames before the rate was certain too

    // The drop-frame file played backwards, as a reversed stereo file with the LTC on channel 2.
    const auto audio = readAudio (file);
    auto samples = audio.channels.at (0);
    std::reverse (samples.begin(), samples.end());
    const auto backwards = folder / "backwards.wav";
    {
        SF_INFO info {};
        info.samplerate = 48000;
        info.channels = 2;
        info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
        auto* sound = sf_open (backwards.c_str(), SFM_WRITE, &info);
        REQUIRE (sound != nullptr);
        std::vector<float> interleaved;
        for (const auto s : samples)
        {
            interleaved.push_back (0.0f);
            interleaved.push_back (s);
        }
        sf_writef_float (sound, interleaved.data(), (sf_count_t) samples.size());
        sf_close (sound);
    }
    CHECK (decode (backwards).exitCode == 6);   // channel 1 is silent
    const auto r = decode (backwards, "--channel 2");
    REQUIRE (r.exitCode == 0);
    CHECK (r.summary.at ("first") == "00:01:02;01");
    CHECK (r.summary.at ("last") == "00:00:58;00");
    CHECK (r.summary.at ("frames") == 120);
    CHECK (r.summary.at ("discontinuities") == 0);
    for (const auto& f : r.frames)
    {
        CHECK (f.at ("reverse") == true);
        CHECK (f.at ("startSample").get<int64_t>() < f.at ("endSample").get<int64_t>());
    }
}

TEST_CASE ("timecode decode and generate: bad input fails with a clear message and exit code", "[cli][timecode]")
{
    TemporaryFolder folder ("timecode-errors");

    auto d = decode (folder / "missing.wav");
    CHECK (d.exitCode == 3);
    CHECK_THAT (d.output, Catch::Contains ("missing.wav: file not found"));

    writeText (folder / "notes.wav", "these are not samples");
    d = decode (folder / "notes.wav");
    CHECK (d.exitCode == 3);
    CHECK_THAT (d.output, Catch::Contains ("notes.wav: not an audio file"));

    writeSilence (folder / "silence.wav", 2, 48000);
    d = decode (folder / "silence.wav");
    CHECK (d.exitCode == 6);
    CHECK_THAT (d.output, Catch::Contains ("silence.wav: no timecode found in channel 1"));
    d = decode (folder / "silence.wav", "--channel 3");
    CHECK (d.exitCode == 2);
    CHECK_THAT (d.output, Catch::Contains ("--channel 3: "));
    CHECK_THAT (d.output, Catch::Contains ("has 2 channel(s)"));
    d = decode (dataPath ("corpus/ltc/ltc_25fps_start_01-00-00-00_48k.wav"), "--channel 0");
    CHECK (d.exitCode == 2);

    const auto out = folder / "out.wav";
    const auto generate = [&] (const std::string& args) { return run (quote (cliPath()) + " timecode generate " + args + " --out " + quote (out.string())); };
    auto g = generate ("--fps 23.976 --start 00:00:00:00 --seconds 1");
    CHECK (g.exitCode == 2);
    CHECK_THAT (g.output, Catch::Contains ("--fps 23.976: not a timecode rate"));
    g = generate ("--fps 29.97 --start '00:01:00;00' --seconds 1");
    CHECK (g.exitCode == 2);
    CHECK_THAT (g.output, Catch::Contains ("does not exist at 29.97 drop-frame"));
    g = generate ("--fps 25 --start 00:00:00:25 --seconds 1");
    CHECK (g.exitCode == 2);
    CHECK_THAT (g.output, Catch::Contains ("frame 25 is not below 25"));
    CHECK_FALSE (std::filesystem::exists (out));
    g = run (quote (cliPath()) + " timecode generate --fps 25 --start 00:00:00:00 --seconds 1 --out "
             + quote ((folder / "no-such-folder" / "x.wav").string()));
    CHECK (g.exitCode == 4);
}
