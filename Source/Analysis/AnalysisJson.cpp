// CueGrid — GPL-3.0-or-later
#include "AnalysisJson.h"

#include "DiagnosticSummary.h"
#include "LoudnessTarget.h"

#include <cmath>
#include <limits>

namespace cuegrid::analysis
{

nlohmann::ordered_json trackToJson (const TrackAnalysis& track)
{
    nlohmann::ordered_json t;
    t["filename"] = track.fileName;
    t["path"] = track.path.string();
    t["status"] = track.ok() ? "OK" : "Error: " + track.error;
    if (track.ok())
    {
        const auto& m = track.metrics;
        t["samplerate"] = track.sampleRate;
        t["channels"] = track.channels;
        t["bitdepth"] = track.bitdepth;
        t["subtype"] = track.subtype;
        t["total_samples"] = track.frames;
        t["duration_sec"] = track.durationSeconds;
        t["group"] = track.group ? nlohmann::ordered_json (*track.group) : nlohmann::ordered_json (nullptr);
        t["peak_dbfs"] = jsonNumber (m.peakDb);
        t["rms_max_dbfs"] = jsonNumber (m.rmsMaxDb);
        t["rms_anchor_dbfs"] = jsonNumber (m.rmsAnchorDb);
        t["rms_anchor_label"] = m.anchorLabel;
        t["crest_db"] = jsonNumber (m.crestDb);
        t["decay_db"] = jsonNumber (m.decayDb);
        t["density"] = jsonNumber (m.density);
        t["classification"] = track.classification.label;
        t["is_transient"] = track.classification.transient;
        t["near_threshold"] = track.classification.nearThreshold;
        t["classification_reason"] = track.classification.reason;
        t["onsets"] = { { "strong", track.onsets.onsets }, { "judged", track.onsets.measured },
                        { "percussive", track.onsets.percussive }, { "median_attack_ms", track.onsets.medianAttackMs },
                        { "median_decay_db_per_s", track.onsets.medianDecayDbPerSecond },
                        { "median_steady_share", track.onsets.medianMonotonic },
                        { "held", track.onsets.held }, { "ringing", track.onsets.ringing },
                        { "per_second", track.onsets.onsetsPerSecond }, { "periodicity", track.onsets.periodicity },
                        { "grid_ms", track.onsets.gridMs }, { "pauses", track.onsets.pauses },
                        { "median_crossings_per_s", track.onsets.medianCrossingsPerSecond },
                        { "speech", track.classification.speech } };
        t["method"] = track.method;
        t["gain_db"] = jsonNumber (track.gainDb);
        t["gain_db_individual"] = jsonNumber (track.gainIndividualDb);
        t["gain_for_peak"] = jsonNumber (track.gainForPeak);
        t["gain_for_rms"] = jsonNumber (track.gainForRms);
        t["fader_offset_db"] = jsonNumber (track.faderOffsetDb);
        t["fader_rebalance_shift_db"] = jsonNumber (track.faderRebalanceShiftDb);
        auto& detectors = t["detectors"] = nlohmann::ordered_json::object();
        for (const auto& [id, detector] : track.detectors)
        {
            auto& entry = detectors[id] = { { "severity", severityName (detector.severity) }, { "summary", detector.summary } };
            auto& data = entry["data"] = nlohmann::ordered_json::object();
            for (const auto& [key, value] : detector.data)
                data[key] = jsonNumber (value);
            for (const auto& [key, value] : detector.details.items())
                data[key] = value;
        }
        t["loudness"] = loudnessJson (track.loudness);
        if (track.loudnessGain)
            t["loudness_target"] = loudnessGainJson (*track.loudnessGain);
    }
    return t;
}

namespace
{
    double numberFrom (const nlohmann::json& value)
    {
        if (value.is_number()) return value.get<double>();
        const auto text = value.is_string() ? value.get<std::string>() : std::string ("nan");
        if (text == "inf") return std::numeric_limits<double>::infinity();
        if (text == "-inf") return -std::numeric_limits<double>::infinity();
        return std::numeric_limits<double>::quiet_NaN();
    }

    Severity severityFrom (const std::string& name)
    {
        for (auto severity : { Severity::clean, Severity::information, Severity::attention, Severity::problem })
            if (name == severityName (severity))
                return severity;
        return Severity::clean;
    }
} // namespace

TrackAnalysis trackFromJson (const nlohmann::json& t)
{
    TrackAnalysis track;
    track.fileName = t.value ("filename", "");
    track.path = t.value ("path", "");
    const auto status = t.value ("status", "OK");
    if (status != "OK")
    {
        track.error = status.rfind ("Error: ", 0) == 0 ? status.substr (7) : status;
        return track;
    }
    track.sampleRate = t.at ("samplerate").get<double>();
    track.channels = t.at ("channels").get<int>();
    track.bitdepth = t.at ("bitdepth").get<std::string>();
    track.subtype = t.at ("subtype").get<std::string>();
    track.frames = t.at ("total_samples").get<int64_t>();
    track.durationSeconds = t.at ("duration_sec").get<double>();
    auto& m = track.metrics;
    m.peakDb = numberFrom (t.at ("peak_dbfs"));
    m.silent = std::isinf (m.peakDb);
    m.rmsMaxDb = numberFrom (t.at ("rms_max_dbfs"));
    m.rmsAnchorDb = numberFrom (t.at ("rms_anchor_dbfs"));
    m.anchorLabel = t.value ("rms_anchor_label", "");
    m.crestDb = numberFrom (t.at ("crest_db"));
    m.decayDb = numberFrom (t.at ("decay_db"));
    m.density = numberFrom (t.at ("density"));
    track.classification.label = t.at ("classification").get<std::string>();
    track.classification.transient = t.at ("is_transient").get<bool>();
    track.classification.nearThreshold = t.value ("near_threshold", false);
    track.classification.reason = t.value ("classification_reason", "");
    if (const auto found = t.find ("onsets"); found != t.end() && found->is_object())
    {
        const auto& o = *found;
        auto& f = track.onsets;
        f.onsets = o.value ("strong", 0);
        f.measured = o.value ("judged", 0);
        f.percussive = o.value ("percussive", 0);
        f.medianAttackMs = o.value ("median_attack_ms", 0.0);
        f.medianDecayDbPerSecond = o.value ("median_decay_db_per_s", 0.0);
        f.medianMonotonic = o.value ("median_steady_share", 0.0);
        f.held = o.value ("held", 0);
        f.ringing = o.value ("ringing", 0);
        f.onsetsPerSecond = o.value ("per_second", 0.0);
        f.periodicity = o.value ("periodicity", 0.0);
        f.gridMs = o.value ("grid_ms", 0.0);
        f.pauses = o.value ("pauses", 0);
        f.medianCrossingsPerSecond = o.value ("median_crossings_per_s", 0.0);
        track.classification.speech = o.value ("speech", false);
    }
    track.method = t.at ("method").get<std::string>();
    track.gainForPeak = numberFrom (t.at ("gain_for_peak"));
    track.gainForRms = numberFrom (t.at ("gain_for_rms"));
    track.gainIndividualDb = track.gainDb = numberFrom (t.at ("gain_db_individual"));
    for (const auto& [id, detector] : t.at ("detectors").items())
    {
        DetectorResult result { severityFrom (detector.value ("severity", "clean")), detector.value ("summary", "") };
        const auto data = detector.value ("data", nlohmann::json::object());
        for (const auto& [key, value] : data.items())
        {
            const bool numeric = value.is_number()
                              || (value.is_string() && (value == "inf" || value == "-inf" || value == "nan"));
            if (numeric)
                result.data[key] = numberFrom (value);
            else
                result.details[key] = value;   // flags, region lists, per-channel objects
        }
        track.detectors[id] = result;
    }
    track.loudness = loudnessFromJson (t.value ("loudness", nlohmann::json::object()));
    return track;
}

nlohmann::ordered_json configToJson (const AnalysisConfig& config)
{
    nlohmann::ordered_json c;
    c["target_rms"] = config.targetRms;
    c["target_peak"] = config.targetPeak;
    c["crest_threshold"] = config.crestThreshold;
    c["decay_db_threshold"] = config.decayDbThreshold;
    c["decay_lookahead_ms"] = config.decayLookaheadMs;
    c["sparse_density_threshold"] = config.sparseDensityThreshold;
    c["gate_relative_db"] = config.gateRelativeDb;
    c["rms_anchor"] = config.rmsAnchor;
    c["rms_percentile"] = config.rmsPercentile;
    c["window"] = config.windowMs;
    c["stereo_mode"] = config.stereoMode;
    c["tail_min_exceed_db"] = config.tailMinExceedDb;
    c["tail_hop_ms"] = config.tailHopMs;
    c["tail_max_regions"] = config.tailMaxRegions;
    c["group"] = config.groups;
    c["force_transient"] = config.forceTransient;
    c["force_sustained"] = config.forceSustained;
    c["anchor"] = config.anchor.empty() ? nlohmann::ordered_json (nullptr) : nlohmann::ordered_json (config.anchor);
    c["fader_headroom_db"] = config.faderHeadroomDb;
    return c;
}

std::string trackSettingsKey (const AnalysisConfig& config)
{
    // Everything in the config block except what only planSession uses, plus the classifier.
    auto key = configToJson (config);
    for (const auto* sessionOnly : { "group", "anchor", "fader_headroom_db" })
        key.erase (sessionOnly);
    key["classifier"] = config.classifier;
    key["key_version"] = 4;   // 3: loudness (EBU R 128); 4: detector region lists and audio_classifier
    return key.dump();
}

nlohmann::ordered_json toJson (const SessionAnalysisResult& result, const AnalysisConfig& config)
{
    nlohmann::ordered_json root;
    root["tool"] = "cuegrid";
    root["classifier"] = config.classifier;
    root["config"] = configToJson (config);

    auto& session = root["session"];
    session["fader_ceiling_db"] = config.faderCeilingDb;
    session["fader_rebalance_shift_db"] = result.faderRebalanceShiftDb;
    session["anchor_offset_db"] = result.anchorOffsetDb;
    session["warnings"] = result.warnings;
    session["most_common_sr"] = result.mostCommonSampleRate;
    session["most_common_bd"] = result.mostCommonBitdepth;
    session["most_common_len"] = result.mostCommonLength;

    const auto summary = summarise (result);
    auto& diagnostic = root["diagnostic_summary"];
    const std::pair<const char*, const std::vector<SummaryGroup>*> buckets[] = {
        { "problems", &summary.problems }, { "attention", &summary.attention },
        { "information", &summary.information }, { "clean", &summary.clean } };
    for (const auto& [name, groups] : buckets)
    {
        auto& list = diagnostic[name] = nlohmann::ordered_json::array();
        for (const auto& group : *groups)
            list.push_back ({ { "title", group.title },
                              { "hint", group.hint ? nlohmann::ordered_json (*group.hint) : nlohmann::ordered_json (nullptr) },
                              { "items", group.items },
                              { "standalone", group.standalone } });
    }
    diagnostic["clean_count"] = summary.cleanCount;
    diagnostic["total_ok"] = summary.totalOk;
    root["diagnostic_summary_text"] = summaryText (summary);

    if (result.loudnessTarget)
        root["loudness_target"] = loudnessTargetJson (result);
    auto& tracks = root["tracks"] = nlohmann::ordered_json::array();
    for (const auto& track : result.tracks)
        tracks.push_back (trackToJson (track));
    return root;
}

} // namespace cuegrid::analysis
