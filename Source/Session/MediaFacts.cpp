// CueGrid — GPL-3.0-or-later
#include "MediaFacts.h"

#include "Analysis/ContentHash.h"
#include "MediaFile.h"
#include "MediaLoader.h"
#include "SessionModel.h"

#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

namespace cuegrid
{

const char* mediaFactsStateName (MediaFactsCheck::State state)
{
    switch (state)
    {
        case MediaFactsCheck::State::unchanged: return "unchanged";
        case MediaFactsCheck::State::measured: return "measured";
        case MediaFactsCheck::State::remeasured: return "remeasured";
        case MediaFactsCheck::State::changed: return "changed";
        case MediaFactsCheck::State::missing: return "missing";
    }
    return "unchanged";
}

std::optional<int> bitDepthOfFormat (int format)
{
    switch (format & SF_FORMAT_SUBMASK)
    {
        case SF_FORMAT_PCM_S8: case SF_FORMAT_PCM_U8: return 8;
        case SF_FORMAT_PCM_16: return 16;
        case SF_FORMAT_PCM_24: return 24;
        case SF_FORMAT_PCM_32: case SF_FORMAT_FLOAT: return 32;
        case SF_FORMAT_DOUBLE: return 64;
        default: return std::nullopt;
    }
}

namespace
{
    using Record = MetadataDatabase::MediaRecord;

    /** One file's facts, measured once however many clips use it. */
    struct Measured
    {
        std::string error;   // non-empty: missing or not media
        Record facts;
    };

    std::string absolutePath (const std::filesystem::path& file)
    {
        std::error_code code;
        const auto canonical = std::filesystem::weakly_canonical (std::filesystem::absolute (file), code);
        return (code ? std::filesystem::absolute (file) : canonical).generic_string();
    }

    void readHeader (const MediaFile& media, Record& facts)
    {
        facts.sampleRate = (double) media.info.samplerate;
        facts.channels = media.info.channels;
        facts.format = describeMediaFormat (media.info.format);
        facts.bitDepth = bitDepthOfFormat (media.info.format);
        facts.durationSec = (double) media.info.frames / media.info.samplerate;   // libsndfile counts what a truncated file holds
    }

    Measured measure (const std::filesystem::path& file, int64_t sizeBytes, int64_t modifiedNs)
    {
        Measured result;
        auto media = openMediaFile (file);
        if (! media)
        {
            result.error = media.error;
            return result;
        }
        const auto hash = analysis::hashFileContent (file);
        if (! hash)
        {
            result.error = "cannot read " + file.string();
            return result;
        }
        auto& facts = result.facts;
        facts.contentHash = *hash;
        facts.sizeBytes = sizeBytes;
        facts.modifiedNs = modifiedNs;
        readHeader (media, facts);
        facts.name = file.filename().string();
        facts.lastGoodPath = absolutePath (file);
        return result;
    }

    std::string formatNumber (double value)
    {
        return value == std::floor (value) ? std::to_string ((int64_t) value) : std::to_string (value);
    }

    /** "content hash a → b; 44100 Hz → 48000 Hz; 1 ch → 2 ch; 16-bit → 24-bit". */
    std::string describeChange (const Record& expected, const Record& found, bool& formatChanged)
    {
        std::string detail = "content hash " + expected.contentHash.value_or ("?") + " → " + found.contentHash.value_or ("?");
        formatChanged = false;
        if (expected.sampleRate && found.sampleRate && *expected.sampleRate != *found.sampleRate)
        {
            detail += "; " + formatNumber (*expected.sampleRate) + " Hz → " + formatNumber (*found.sampleRate) + " Hz";
            formatChanged = true;
        }
        if (expected.channels && found.channels && *expected.channels != *found.channels)
        {
            detail += "; " + std::to_string (*expected.channels) + " ch → " + std::to_string (*found.channels) + " ch";
            formatChanged = true;
        }
        if (expected.bitDepth && found.bitDepth && *expected.bitDepth != *found.bitDepth)
            detail += "; " + std::to_string (*expected.bitDepth) + "-bit → " + std::to_string (*found.bitDepth) + "-bit";
        return detail;
    }

    template <typename T>
    nlohmann::json optionalJson (const std::optional<T>& value)
    {
        return value ? nlohmann::json (*value) : nlohmann::json();
    }

    std::string replacedToJson (const Record& found, const std::string& detail, bool formatChanged)
    {
        return nlohmann::json { { "contentHash", optionalJson (found.contentHash) }, { "sizeBytes", optionalJson (found.sizeBytes) },
                                { "modifiedNs", optionalJson (found.modifiedNs) }, { "durationSec", optionalJson (found.durationSec) },
                                { "sampleRate", optionalJson (found.sampleRate) }, { "channels", optionalJson (found.channels) },
                                { "bitDepth", optionalJson (found.bitDepth) }, { "format", optionalJson (found.format) },
                                { "name", optionalJson (found.name) }, { "detail", detail }, { "formatChanged", formatChanged } }
            .dump();
    }

    template <typename T>
    std::optional<T> optionalFrom (const nlohmann::json& object, const char* key)
    {
        const auto found = object.find (key);
        if (found == object.end() || found->is_null())
            return std::nullopt;
        try
        {
            return found->get<T>();
        }
        catch (const nlohmann::json::exception&)
        {
            return std::nullopt;
        }
    }
} // namespace

std::vector<MediaFactsCheck> refreshMediaFacts (MetadataDatabase& database, const Session& session, const std::string& sessionPath,
                                                const std::atomic<bool>* stop)
{
    database.mirrorSession (session);
    std::unordered_map<std::string, Record> recorded;
    for (auto& record : database.allMedia())
        recorded.emplace (record.clipId, std::move (record));

    std::map<std::filesystem::path, Measured> measuredFiles;
    std::vector<MediaFactsCheck> checks;
    std::vector<Record> updates;
    checks.reserve (session.clips.size());
    for (const auto& clip : session.clips)
    {
        if (stop != nullptr && stop->load())
            break;
        MediaFactsCheck check;
        check.clipId = clip.id;
        check.file = clip.file;
        const auto path = resolveMediaPath (sessionPath, clip.file);
        const auto found = recorded.find (clip.id);
        Record record;
        if (found != recorded.end())
            record = found->second;
        else
        {
            record.clipId = clip.id;
            record.file = clip.file;
        }
        const auto replaced = record.replacedJson ? nlohmann::json::parse (*record.replacedJson, nullptr, false) : nlohmann::json();
        check.contentHash = record.contentHash.value_or ("");

        struct stat status {};
        const bool exists = ::stat (path.c_str(), &status) == 0;
        const auto sizeBytes = (int64_t) status.st_size;
        const auto modifiedNs = (int64_t) status.st_mtim.tv_sec * 1000000000 + status.st_mtim.tv_nsec;
        if (exists && replaced.is_object() && optionalFrom<int64_t> (replaced, "sizeBytes") == sizeBytes
            && optionalFrom<int64_t> (replaced, "modifiedNs") == modifiedNs)
        {
            // Still the replacement flagged before: flagged again, not read again.
            check.state = MediaFactsCheck::State::changed;
            check.detail = optionalFrom<std::string> (replaced, "detail").value_or ("");
            check.formatChanged = optionalFrom<bool> (replaced, "formatChanged").value_or (false);
            checks.push_back (std::move (check));
            continue;
        }
        if (exists && ! record.replacedJson && record.contentHash && record.sizeBytes == sizeBytes && record.modifiedNs == modifiedNs)
        {
            // Unchanged: not hashed. A version 1 row gets what version 2 added, from the header at most.
            auto toppedUp = record;
            if (! toppedUp.bitDepth && toppedUp.format && toppedUp.format->find ("Vorbis") == std::string::npos)
                if (const auto media = openMediaFile (path))
                    toppedUp.bitDepth = bitDepthOfFormat (media.info.format);
            toppedUp.name = path.filename().string();
            toppedUp.lastGoodPath = absolutePath (path);
            if (! (toppedUp == record))
                updates.push_back (std::move (toppedUp));
            checks.push_back (std::move (check));
            continue;
        }

        auto measuredFile = measuredFiles.find (path);
        if (measuredFile == measuredFiles.end())
        {
            Measured result;
            if (exists)
                result = measure (path, sizeBytes, modifiedNs);
            else
                result.error = "file not found: " + path.string();
            measuredFile = measuredFiles.emplace (path, std::move (result)).first;
        }
        const auto& result = measuredFile->second;
        if (! result.error.empty())
        {
            check.state = MediaFactsCheck::State::missing;
            check.detail = result.error;
            checks.push_back (std::move (check));
            continue;
        }
        if (record.contentHash && *record.contentHash != *result.facts.contentHash)
        {
            // Other content under the clip's name: flagged, the expected facts kept.
            check.state = MediaFactsCheck::State::changed;
            check.detail = describeChange (record, result.facts, check.formatChanged);
            auto flagged = record;
            flagged.replacedJson = replacedToJson (result.facts, check.detail, check.formatChanged);
            updates.push_back (std::move (flagged));
            checks.push_back (std::move (check));
            continue;
        }
        check.state = record.contentHash ? MediaFactsCheck::State::remeasured : MediaFactsCheck::State::measured;
        check.contentHash = result.facts.contentHash.value_or ("");
        auto updated = result.facts;
        updated.clipId = clip.id;
        updated.file = clip.file;
        updated.tags = record.tags;   // the editor's, not the file's
        updates.push_back (std::move (updated));
        checks.push_back (std::move (check));
    }
    if (! updates.empty())
        database.putMedia (updates);
    return checks;
}

bool acceptReplacedMedia (MetadataDatabase& database, const std::string& clipId, const std::string& acceptedBy)
{
    auto record = database.findMedia (clipId);
    if (! record || ! record->replacedJson)
        return false;
    const auto replaced = nlohmann::json::parse (*record->replacedJson, nullptr, false);
    if (! replaced.is_object())
        return false;
    const auto from = record->contentHash;
    record->contentHash = optionalFrom<std::string> (replaced, "contentHash");
    record->sizeBytes = optionalFrom<int64_t> (replaced, "sizeBytes");
    record->modifiedNs = optionalFrom<int64_t> (replaced, "modifiedNs");
    record->durationSec = optionalFrom<double> (replaced, "durationSec");
    record->sampleRate = optionalFrom<double> (replaced, "sampleRate");
    record->channels = optionalFrom<int> (replaced, "channels");
    record->bitDepth = optionalFrom<int> (replaced, "bitDepth");
    record->format = optionalFrom<std::string> (replaced, "format");
    record->name = optionalFrom<std::string> (replaced, "name");
    record->replacedJson.reset();
    database.putMedia ({ *record });
    database.addAudit ("accept-replaced", nlohmann::json { { "clip", clipId }, { "from", optionalJson (from) },
                                                           { "to", optionalJson (record->contentHash) },
                                                           { "evidence", optionalFrom<std::string> (replaced, "detail").value_or ("") },
                                                           { "acceptedBy", acceptedBy } }
                                              .dump());
    return true;
}

KeptReplacedMedia keepReplacedMedia (MetadataDatabase& database, const Session& session, const std::string& sessionPath,
                                     const std::string& clipId, const std::string& acceptedBy)
{
    const auto checks = refreshMediaFacts (database, session, sessionPath);
    const auto check = std::find_if (checks.begin(), checks.end(), [&] (const MediaFactsCheck& c) { return c.clipId == clipId; });
    if (check == checks.end())
        return { false, "no clip '" + clipId + "' in the session" };
    if (check->state == MediaFactsCheck::State::missing)
        return { false, "the file is missing: " + check->detail };
    if (check->state != MediaFactsCheck::State::changed)
        return { false, "the file holds the recorded content: nothing to keep" };
    if (! acceptReplacedMedia (database, clipId, acceptedBy))
        return { false, "the clip has no replaced file to accept" };
    return { true, check->detail };
}

} // namespace cuegrid
