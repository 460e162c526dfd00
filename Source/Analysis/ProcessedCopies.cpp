// CueGrid — GPL-3.0-or-later
// Execute mode of SessionPrep 0.3.3 (pipeline.py:601-659, reports.save_json), as written
// down in ../shared/specs/analysis-sessionprep.md sections 2.1 and 5.
#include "ProcessedCopies.h"

#include "AnalysisJson.h"
#include "DetectorResult.h"
#include "ParallelWork.h"
#include "Session/AtomicFile.h"
#include "Session/Errors.h"

#include "Session/MediaFile.h"

#include <sndfile.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <memory>
#include <numeric>
#include <set>

namespace cuegrid::analysis
{

namespace
{
    struct SoundFileCloser { void operator() (SNDFILE* sound) const { sf_close (sound); } };
    using SoundFile = std::unique_ptr<SNDFILE, SoundFileCloser>;

    double rounded2 (double value) { return std::round (value * 100.0) / 100.0; }

    /** Reads `source` and writes it scaled by `gain` into `destination` (same format). */
    void writeGained (const std::filesystem::path& source, const std::filesystem::path& destination, double gainDb)
    {
        auto input = openMediaFile (source);   // regular files only, limits checked
        if (! input)
            throw OutputError (source.string() + ": cannot read: " + input.error);
        const auto& info = input.info;
        AtomicFile file (destination.string());
        SF_INFO outputInfo = info;
        outputInfo.frames = 0;
        SoundFile output (sf_open_fd (file.getDescriptor(), SFM_WRITE, &outputInfo, SF_FALSE));
        if (output == nullptr)
            throw OutputError (destination.string() + ": cannot write this format: " + sf_strerror (nullptr));
        sf_command (output.get(), SFC_SET_ADD_PEAK_CHUNK, nullptr, SF_FALSE);   // no wall-clock stamp

        const auto gain = std::pow (10.0, gainDb / 20.0);
        const sf_count_t blockFrames = std::max<sf_count_t> (512, 131072 / info.channels);
        std::vector<double> block ((size_t) (blockFrames * info.channels));
        for (;;)
        {
            const auto read = sf_readf_double (input.sound.get(), block.data(), blockFrames);
            if (read <= 0)
                break;
            for (size_t i = 0; i < (size_t) (read * info.channels); ++i)
                block[i] *= gain;
            if (sf_writef_double (output.get(), block.data(), read) != read)
                throw OutputError (destination.string() + ": write failed: " + sf_strerror (output.get()));
        }
        output.reset();   // finish the header before the rename
        file.commit();
    }

    std::string localTimestamp()
    {
        const auto now = std::chrono::system_clock::now();
        const auto seconds = std::chrono::system_clock::to_time_t (now);
        const auto micros = std::chrono::duration_cast<std::chrono::microseconds> (now.time_since_epoch()).count() % 1000000;
        std::tm local {};
        localtime_r (&seconds, &local);
        char buffer[64];
        std::strftime (buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &local);
        return buffer + formatNumber (".%06.0f", (double) micros);
    }

    nlohmann::ordered_json wholeOrNot (double value)   // 400 stays 400, 95.0 stays 95.0
    {
        return value == std::floor (value) && std::abs (value) < 1e9 ? nlohmann::ordered_json ((long long) value) : nlohmann::ordered_json (value);
    }
} // namespace

nlohmann::ordered_json sessionPrepJson (const SessionAnalysisResult& result, const AnalysisConfig& config,
                                        const std::string& sourceDirectory, const std::string& timestamp)
{
    std::vector<std::string> warnings = result.warnings;
    auto listTracks = [&] (const std::string& heading, auto&& describe)
    {
        std::vector<std::string> lines;
        for (const auto& track : result.tracks)
            if (track.ok())
                if (auto line = describe (track); ! line.empty())
                    lines.push_back ("  - " + line);
        if (lines.empty())
            return;
        warnings.push_back (heading);
        warnings.insert (warnings.end(), lines.begin(), lines.end());
    };
    auto severityOf = [] (const TrackAnalysis& track, const char* id)
    {
        const auto found = track.detectors.find (id);
        return found == track.detectors.end() ? Severity::clean : found->second.severity;
    };
    listTracks ("Samplerate mismatch detected! Most common: " + std::to_string ((int) result.mostCommonSampleRate) + " Hz",
                [&] (const TrackAnalysis& t) { return t.sampleRate != result.mostCommonSampleRate ? t.fileName + " is " + std::to_string ((int) t.sampleRate) + " Hz" : std::string(); });
    listTracks ("Bit-depth mismatch detected! Most common: " + result.mostCommonBitdepth,
                [&] (const TrackAnalysis& t) { return t.bitdepth != result.mostCommonBitdepth ? t.fileName + " is " + t.bitdepth : std::string(); });
    listTracks ("Digital Clipping detected in source (>" + std::to_string (config.clipConsecutive) + " samples @ ±1.0):",
                [&] (const TrackAnalysis& t) { return severityOf (t, "clipping") != Severity::clean ? t.fileName : std::string(); });
    listTracks (formatNumber ("DC offset detected (>%.1f dBFS):", config.dcOffsetWarnDb), [&] (const TrackAnalysis& t)
    {
        const auto found = t.detectors.find ("dc_offset");
        if (found == t.detectors.end() || found->second.severity == Severity::clean)
            return std::string();
        return t.fileName + " is " + formatNumber ("%.1f dBFS", found->second.data.at ("dc_db"));
    });
    listTracks ("Silent files detected:", [&] (const TrackAnalysis& t) { return t.metrics.silent ? t.fileName : std::string(); });

    nlohmann::ordered_json root;
    root["schema_version"] = "1.0";
    auto& session = root["session"];
    session["timestamp"] = timestamp;
    session["source_directory"] = sourceDirectory;
    session["warnings"] = warnings;
    session["config"] = { { "target_rms", config.targetRms }, { "target_peak", config.targetPeak },
                          { "stereo_mode", config.stereoMode }, { "window_ms", wholeOrNot (config.windowMs) },
                          { "rms_anchor", config.rmsAnchor }, { "rms_percentile", config.rmsPercentile },
                          { "tail_hop_ms", wholeOrNot (config.tailHopMs) } };
    auto& tracks = root["tracks"] = nlohmann::ordered_json::array();
    int index = 0;
    for (const auto& track : result.tracks)
    {
        if (! track.ok())
            continue;
        nlohmann::ordered_json monoLoss = nullptr;
        bool monoWarn = false;
        if (const auto stereo = track.detectors.find ("stereo_compat"); stereo != track.detectors.end() && ! track.metrics.silent)
            if (const auto loss = stereo->second.data.find ("mono_loss_db"); loss != stereo->second.data.end())
            {
                monoLoss = jsonNumber (loss->second);
                monoWarn = std::isfinite (loss->second) && loss->second > 6.0;
            }
        tracks.push_back ({
            { "sort_index", index++ },
            { "filename", track.fileName },
            { "diagnostics", { { "samplerate", (int) track.sampleRate }, { "bitdepth", track.bitdepth },
                               { "duration_sec", track.durationSeconds }, { "samples", track.frames },
                               { "is_clipped", severityOf (track, "clipping") != Severity::clean },
                               { "is_silent", track.metrics.silent },
                               { "mono_loss_db", monoLoss }, { "mono_loss_warn", monoWarn } } },
            { "processing", { { "fader_db", rounded2 (track.faderOffsetDb) }, { "classification", track.classification.label },
                              { "gain_applied_db", rounded2 (track.gainDb) }, { "gain_individual_db", rounded2 (track.gainIndividualDb) },
                              { "group", track.group ? nlohmann::ordered_json (*track.group) : nlohmann::ordered_json (nullptr) } } } });
    }
    return root;
}

ProcessedCopiesResult writeGainedCopies (const SessionAnalysisResult& result, const std::filesystem::path& folder,
                                         const std::function<double (const TrackAnalysis&)>& gainDbOf, int jobs)
{
    std::error_code code;
    std::filesystem::create_directories (folder, code);
    if (! std::filesystem::is_directory (folder))
        throw OutputError (folder.string() + ": cannot create the output folder" + (code ? ": " + code.message() : std::string()));

    std::set<std::filesystem::path> sources, outputs;
    for (const auto& track : result.tracks)
        sources.insert (std::filesystem::weakly_canonical (track.path, code));

    // Decided in track order first (refusals), then written on `jobs` threads, largest first;
    // the lists come out in track order whatever the threads do.
    struct Copy { const TrackAnalysis* track; std::filesystem::path destination; double gainDb; std::string error; bool done; };
    std::vector<Copy> copies;
    for (const auto& track : result.tracks)
    {
        if (! track.ok())
            continue;
        const auto destination = folder / track.fileName;
        const auto canonical = std::filesystem::weakly_canonical (destination, code);
        if (sources.count (canonical) != 0)
            copies.push_back ({ &track, destination, 0.0, track.fileName + ": not written: " + destination.string() + " is a source file (originals are never overwritten)", false });
        else if (! outputs.insert (canonical).second)
            copies.push_back ({ &track, destination, 0.0, track.fileName + ": not written: another analysed file of the same name already went to " + destination.string(), false });
        else
            copies.push_back ({ &track, destination, gainDbOf (track), {}, false });
    }
    std::vector<size_t> order (copies.size());
    std::iota (order.begin(), order.end(), 0);
    std::stable_sort (order.begin(), order.end(), [&] (size_t a, size_t b)
                      { return copies[a].track->frames * copies[a].track->channels > copies[b].track->frames * copies[b].track->channels; });
    runInParallel (order, analysisJobs (jobs, copies.size()), [&] (size_t index)
    {
        auto& copy = copies[index];   // this thread's alone
        if (! copy.error.empty())
            return;
        try
        {
            writeGained (copy.track->path, copy.destination, copy.gainDb);
            copy.done = true;
        }
        catch (const OutputError& error)
        {
            copy.error = copy.track->fileName + ": " + error.what();
        }
    });
    ProcessedCopiesResult written;
    for (const auto& copy : copies)
    {
        if (copy.done)
            written.written.push_back (copy.destination);
        else
            written.errors.push_back (copy.error);
    }
    return written;
}

ProcessedCopiesResult writeProcessedCopies (const SessionAnalysisResult& result, const AnalysisConfig& config,
                                            const std::filesystem::path& folder, const std::string& sourceDirectory, int jobs)
{
    auto written = writeGainedCopies (result, folder, [] (const TrackAnalysis& track) { return track.gainDb; }, jobs);
    writeFileAtomically ((folder / "sessionprep.json").string(),
                         sessionPrepJson (result, config, sourceDirectory, localTimestamp()).dump (4) + "\n");
    return written;
}

} // namespace cuegrid::analysis
