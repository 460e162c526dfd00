// CueGrid — GPL-3.0-or-later
#include "SessionManifest.h"
#include "SessionManifestTimecode.h"

#include "AtomicFile.h"
#include "ClipPlayback.h"
#include "Limits.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <unordered_set>

namespace cuegrid
{

namespace
{
    int parseGroup (const JsonDocument& document, const std::string& objectPointer, const std::string& key, int fallback)
    {
        if (! document.has (objectPointer, key))
            return fallback;
        const auto letter = document.requireString (objectPointer, key);
        const auto group = groupFromLetter (letter);
        if (! group)
            document.fail (JsonDocument::child (objectPointer, key),
                           "unknown group \"" + letter + "\" (expected A, B, C or D)");
        return *group;
    }

    int parseCount (const JsonDocument& document, const std::string& objectPointer, const std::string& key,
                    int fallback, int minimum, int maximum)
    {
        const auto value = document.optionalNumber (objectPointer, key, fallback);
        // Range first: casting a double outside int's range is undefined.
        if (value < minimum || value > maximum || value != std::floor (value))
            document.fail (JsonDocument::child (objectPointer, key),
                           "must be a whole number from " + std::to_string (minimum) + " to " + std::to_string (maximum));
        return (int) value;
    }

    double parseGainDb (const JsonDocument& document, const std::string& objectPointer)
    {
        const auto gain = document.optionalNumber (objectPointer, "gainDb", 0.0);
        if (gain < limits::minGainDb || gain > limits::maxGainDb)
            document.fail (JsonDocument::child (objectPointer, "gainDb"), "must be between -144 and +24 dB");
        return gain;
    }

    /** "0.25", "3000", "-144": numbers in messages as a person writes them. */
    std::string formatNumber (double value)
    {
        std::ostringstream text;
        text << value;
        return text.str();
    }

    /** A number member in [minimum, maximum], or nullopt when absent. `range` ends the
        message, e.g. "from 0 to 3000 ms". */
    std::optional<double> optionalNumberIn (const JsonDocument& document, const std::string& objectPointer,
                                            const std::string& key, double minimum, double maximum, const std::string& range)
    {
        if (! document.has (objectPointer, key))
            return std::nullopt;
        const auto value = document.requireNumber (objectPointer, key);
        if (value < minimum || value > maximum)
            document.fail (JsonDocument::child (objectPointer, key), "must be " + range);
        return value;
    }

    double numberIn (const JsonDocument& document, const std::string& objectPointer, const std::string& key,
                     double fallback, double minimum, double maximum, const std::string& range)
    {
        return optionalNumberIn (document, objectPointer, key, minimum, maximum, range).value_or (fallback);
    }

    const std::string fadeRange = "from 0 to " + formatNumber (limits::maxFadeMs) + " ms";
    const std::string edgeFadeRange = "from " + formatNumber (limits::minEdgeFadeMs) + " to "
                                      + formatNumber (limits::maxEdgeFadeMs) + " ms";
    const std::string mediaTimeRange = "from 0 to " + formatNumber (limits::maxMediaSeconds) + " s (3 hours)";

    std::optional<FadeCurve> optionalCurve (const JsonDocument& document, const std::string& objectPointer, const std::string& key)
    {
        if (! document.has (objectPointer, key))
            return std::nullopt;
        const auto name = document.requireString (objectPointer, key);
        const auto curve = fadeCurveFromName (name);
        if (! curve)
            document.fail (JsonDocument::child (objectPointer, key),
                           "unknown curve \"" + name + "\" (expected " + fadeCurveChoices + ")");
        return curve;
    }

    /** [left, right]: two different 1-based device channels. */
    ChannelPair parseChannelPair (const JsonDocument& document, const std::string& pointer)
    {
        const auto& value = document.at (pointer);
        if (! value.is_array() || value.size() != 2)
            document.fail (pointer, "expected two channel numbers like [1, 2]");
        ChannelPair pair {};
        for (size_t i = 0; i < 2; ++i)
        {
            const auto elementPointer = JsonDocument::child (pointer, i);
            const auto& element = value[i];
            const auto channel = element.is_number() ? element.get<double>() : 0.0;
            if (! element.is_number() || channel < 1 || channel > limits::maxOutputChannels || channel != std::floor (channel))
                document.fail (elementPointer, "must be a whole number from 1 to " + std::to_string (limits::maxOutputChannels));
            pair[i] = (int) channel;
        }
        if (pair[0] == pair[1])
            document.fail (pointer, "the left and right channels must differ (both are " + std::to_string (pair[0]) + ")");
        return pair;
    }

    void parseFadeDefaults (const JsonDocument& document, Session& session)
    {
        if (! document.has ("", "fadeDefaults"))
            return;
        const std::string pointer = "/fadeDefaults";
        document.requireObject (pointer);
        auto& defaults = session.fadeDefaults;
        defaults.inMs = numberIn (document, pointer, "inMs", defaults.inMs, 0.0, limits::maxFadeMs, fadeRange);
        defaults.outMs = numberIn (document, pointer, "outMs", defaults.outMs, 0.0, limits::maxFadeMs, fadeRange);
        defaults.crossfadeMs = numberIn (document, pointer, "crossfadeMs", defaults.crossfadeMs, 0.0, limits::maxFadeMs, fadeRange);
        defaults.inCurve = optionalCurve (document, pointer, "inCurve").value_or (defaults.inCurve);
        defaults.outCurve = optionalCurve (document, pointer, "outCurve").value_or (defaults.outCurve);
        defaults.crossfadeCurve = optionalCurve (document, pointer, "crossfadeCurve").value_or (defaults.crossfadeCurve);
    }

    void parseRouting (const JsonDocument& document, Session& session, int version)
    {
        if (! document.has ("", "routing"))
            return;
        const std::string pointer = "/routing";
        document.requireObject (pointer);
        auto& routing = session.routing;
        if (document.has (pointer, "master"))
            routing.master = parseChannelPair (document, JsonDocument::child (pointer, "master"));
        if (document.has (pointer, "audition"))
            routing.audition = parseChannelPair (document, JsonDocument::child (pointer, "audition"));
        if (version >= 3)
        {
            // Record A/B's device input pairs.
            if (document.has (pointer, "recordA"))
                routing.recordA = parseChannelPair (document, JsonDocument::child (pointer, "recordA"));
            if (document.has (pointer, "recordB"))
                routing.recordB = parseChannelPair (document, JsonDocument::child (pointer, "recordB"));
        }
        if (document.has (pointer, "groups"))
        {
            const auto groupsPointer = JsonDocument::child (pointer, "groups");
            for (const auto& member : document.requireObject (groupsPointer).items())
            {
                const auto memberPointer = JsonDocument::child (groupsPointer, member.key());
                const auto group = groupFromLetter (member.key());
                if (! group)
                    document.fail (memberPointer, "unknown group \"" + member.key() + "\" (expected A, B, C or D)");
                routing.groups[(size_t) *group] = parseChannelPair (document, memberPointer);
            }
        }
    }

    /** `recording` (version 3): {"format": "wav" | "flac", "sampleFormat": "int24" | "float"} (optional). */
    void parseRecording (const JsonDocument& document, Session& session)
    {
        if (! document.has ("", "recording"))
            return;
        const std::string pointer = "/recording";
        document.requireObject (pointer);
        const auto format = document.optionalString (pointer, "format", "wav");
        if (format != "wav" && format != "flac")
            document.fail (JsonDocument::child (pointer, "format"), "unknown recording format \"" + format + "\" (expected wav or flac)");
        const auto sample = document.optionalString (pointer, "sampleFormat", "int24");
        if (sample != "int24" && sample != "float")
            document.fail (JsonDocument::child (pointer, "sampleFormat"), "unknown sample format \"" + sample + "\" (expected int24 or float)");
        if (format == "flac" && sample == "float")
            document.fail (JsonDocument::child (pointer, "sampleFormat"), "FLAC records 24-bit integer only (use wav for float)");
        session.recording.flac = format == "flac";
        session.recording.floatSamples = sample == "float";
    }

    void parseMaster (const JsonDocument& document, Session& session)
    {
        if (! document.has ("", "master"))
            return;
        const std::string pointer = "/master";
        document.requireObject (pointer);
        auto& master = session.master;
        master.gainDb = parseGainDb (document, pointer);
        if (document.has (pointer, "limiter"))
        {
            const auto limiterPointer = JsonDocument::child (pointer, "limiter");
            document.requireObject (limiterPointer);
            master.limiterEnabled = document.optionalBool (limiterPointer, "enabled", master.limiterEnabled);
            master.limiterCeilingDb = numberIn (document, limiterPointer, "ceilingDb", master.limiterCeilingDb,
                                                limits::minLimiterCeilingDb, limits::maxLimiterCeilingDb,
                                                "from " + formatNumber (limits::minLimiterCeilingDb) + " to 0 dBFS");
        }
    }

    /** A clip's loop: in and out inside the cue region where both are known, in before out. */
    LoopSettings parseLoop (const JsonDocument& document, const std::string& clipPointer, const ClipDefinition& clip)
    {
        const auto pointer = JsonDocument::child (clipPointer, "loop");
        document.requireObject (pointer);
        LoopSettings loop;
        loop.inSec = optionalNumberIn (document, pointer, "inSec", 0.0, limits::maxMediaSeconds, mediaTimeRange);
        loop.outSec = optionalNumberIn (document, pointer, "outSec", 0.0, limits::maxMediaSeconds, mediaTimeRange);
        loop.count = parseCount (document, pointer, "count", 0, 0, limits::maxLoopCount);
        loop.crossfadeMs = numberIn (document, pointer, "crossfadeMs", loop.crossfadeMs,
                                     limits::minEdgeFadeMs, limits::maxEdgeFadeMs, edgeFadeRange);

        const auto inPointer = JsonDocument::child (pointer, "inSec");
        const auto outPointer = JsonDocument::child (pointer, "outSec");
        if (loop.inSec && clip.cueInSec && *loop.inSec < *clip.cueInSec)
            document.fail (inPointer, "must not be before cueInSec (" + formatNumber (*clip.cueInSec) + " s)");
        if (loop.inSec && clip.cueOutSec && *loop.inSec >= *clip.cueOutSec)
            document.fail (inPointer, "must be before cueOutSec (" + formatNumber (*clip.cueOutSec) + " s)");
        if (loop.outSec)
        {
            const auto loopIn = loop.inSec.value_or (clip.cueInSec.value_or (0.0));
            if (*loop.outSec <= loopIn)
                document.fail (outPointer, "must be after "
                                               + std::string (loop.inSec ? "loop.inSec" : clip.cueInSec ? "cueInSec" : "the start of the file")
                                               + " (" + formatNumber (loopIn) + " s)");
            if (clip.cueOutSec && *loop.outSec > *clip.cueOutSec)
                document.fail (outPointer, "must not be after cueOutSec (" + formatNumber (*clip.cueOutSec) + " s)");
        }
        return loop;
    }

    /** The clip fields version 2 added. */
    void parseClipPlayback (const JsonDocument& document, const std::string& pointer, ClipDefinition& clip)
    {
        clip.fadeInMs = optionalNumberIn (document, pointer, "fadeInMs", 0.0, limits::maxFadeMs, fadeRange);
        clip.fadeOutMs = optionalNumberIn (document, pointer, "fadeOutMs", 0.0, limits::maxFadeMs, fadeRange);
        clip.fadeInCurve = optionalCurve (document, pointer, "fadeInCurve");
        clip.fadeOutCurve = optionalCurve (document, pointer, "fadeOutCurve");
        clip.cueInSec = optionalNumberIn (document, pointer, "cueInSec", 0.0, limits::maxMediaSeconds, mediaTimeRange);
        clip.cueOutSec = optionalNumberIn (document, pointer, "cueOutSec", 0.0, limits::maxMediaSeconds, mediaTimeRange);
        if (clip.cueInSec && clip.cueOutSec && *clip.cueOutSec <= *clip.cueInSec)
            document.fail (JsonDocument::child (pointer, "cueOutSec"),
                           "must be after cueInSec (" + formatNumber (*clip.cueInSec) + " s)");
        clip.edgeFadeMs = numberIn (document, pointer, "edgeFadeMs", clip.edgeFadeMs,
                                    limits::minEdgeFadeMs, limits::maxEdgeFadeMs, edgeFadeRange);
        if (document.has (pointer, "loop"))
            clip.loop = parseLoop (document, pointer, clip);
        if (document.has (pointer, "retrigger"))
        {
            const auto name = document.requireString (pointer, "retrigger");
            const auto mode = retriggerModeFromName (name);
            if (! mode)
                document.fail (JsonDocument::child (pointer, "retrigger"),
                               "unknown retrigger mode \"" + name + "\" (expected " + retriggerModeChoices + ")");
            clip.retrigger = *mode;
        }
        clip.solo = document.optionalBool (pointer, "solo", clip.solo);
        clip.pan = numberIn (document, pointer, "pan", clip.pan, -1.0, 1.0, "from -1 (left) to +1 (right)");
        clip.notes = document.optionalString (pointer, "notes", clip.notes);
    }

    void parseGroups (const JsonDocument& document, Session& session, int version)
    {
        std::set<int> seen;
        const auto count = document.arraySize ("", "groups", false);
        for (size_t i = 0; i < count; ++i)
        {
            const auto pointer = JsonDocument::child ("/groups", i);
            document.requireObject (pointer);
            const auto id = document.requireString (pointer, "id");
            const auto group = groupFromLetter (id);
            if (! group)
                document.fail (JsonDocument::child (pointer, "id"), "unknown group \"" + id + "\" (expected A, B, C or D)");
            if (! seen.insert (*group).second)
                document.fail (JsonDocument::child (pointer, "id"), "group " + id + " is listed twice");
            auto& settings = session.groups[(size_t) *group];
            settings.gainDb = parseGainDb (document, pointer);
            settings.muted = document.optionalBool (pointer, "muted", false);
            if (version >= 2)
                settings.chokeLimit = parseCount (document, pointer, "chokeLimit", 0, 0, limits::maxChokeLimit);
        }
    }

    bool isColour (const std::string& text)
    {
        if (text.size() != 7 || text[0] != '#')
            return false;
        for (size_t i = 1; i < 7; ++i)
            if (! std::isxdigit ((unsigned char) text[i]))
                return false;
        return true;
    }

    void parseClips (const JsonDocument& document, Session& session, std::unordered_set<std::string>& ids, int version)
    {
        const auto count = document.arraySize ("", "clips", false);
        if (count > limits::maxClips)
            document.fail ("/clips", "has " + std::to_string (count) + " clips; a session holds at most "
                                         + std::to_string (limits::maxClips));
        session.clips.reserve (count);
        ids.reserve (count);
        for (size_t i = 0; i < count; ++i)
        {
            const auto pointer = JsonDocument::child ("/clips", i);
            document.requireObject (pointer);
            ClipDefinition clip;
            clip.id = document.requireString (pointer, "id");
            if (clip.id.empty())
                document.fail (JsonDocument::child (pointer, "id"), "must not be empty");
            if (! ids.insert (clip.id).second)
                document.fail (JsonDocument::child (pointer, "id"), "clip id \"" + clip.id + "\" is used twice");
            clip.file = document.requireString (pointer, "file");
            if (clip.file.empty())
                document.fail (JsonDocument::child (pointer, "file"), "must not be empty");
            clip.label = document.optionalString (pointer, "label", clip.id);
            clip.colour = document.optionalString (pointer, "colour", clip.colour);
            if (! isColour (clip.colour))
                document.fail (JsonDocument::child (pointer, "colour"), "expected a colour like \"#d04040\"");
            clip.group = parseGroup (document, pointer, "group", 0);
            clip.gainDb = parseGainDb (document, pointer);
            clip.levelTrimDb = document.optionalNumber (pointer, "levelTrimDb", 0.0);
            if (clip.levelTrimDb < limits::minGainDb || clip.levelTrimDb > limits::maxGainDb)
                document.fail (JsonDocument::child (pointer, "levelTrimDb"), "must be between -144 and +24 dB");
            if (version >= 2)
                parseClipPlayback (document, pointer, clip);
            if (version >= 4)
                manifesttimecode::parseClip (document, pointer, session, clip);
            session.clips.push_back (std::move (clip));
        }
    }

    /** `hotkeys` (version 3): the clips' keys per page and session-wide, and the key debounce
        (Session/Hotkeys.h). Each key names a clip of the session; pages[n] a page there is. */
    void parseHotkeys (const JsonDocument& document, Session& session, const std::unordered_set<std::string>& clipIds)
    {
        if (! document.has ("", "hotkeys"))
            return;
        try
        {
            session.hotkeys = hotkeysFromJson (document.at ("/hotkeys"));
        }
        catch (const std::invalid_argument& error)
        {
            document.fail ("/hotkeys", error.what());
        }
        if (session.hotkeys.pages.size() > session.pages.size())
            document.fail ("/hotkeys/pages", "has keys for " + std::to_string (session.hotkeys.pages.size()) + " pages; the session has "
                                                 + std::to_string (session.pages.size()));
        const auto checkClips = [&] (const std::vector<ClipHotkey>& keys, const std::string& pointer)
        {
            for (size_t i = 0; i < keys.size(); ++i)
                if (clipIds.count (keys[i].clip) == 0)
                    document.fail (JsonDocument::child (JsonDocument::child (pointer, i), "clip"), "no clip \"" + keys[i].clip + "\" in this session");
        };
        checkClips (session.hotkeys.global, "/hotkeys/global");
        for (size_t p = 0; p < session.hotkeys.pages.size(); ++p)
            checkClips (session.hotkeys.pages[p], JsonDocument::child ("/hotkeys/pages", p));
    }

    /** `midi` (version 3): the learned MIDI mappings and the feedback values (Session/MidiMappings.h).
        A mapping may name a clip the session no longer has: it then does nothing. */
    void parseMidi (const JsonDocument& document, Session& session)
    {
        if (! document.has ("", "midi"))
            return;
        try
        {
            session.midi = SessionMidi::fromJson (document.at ("/midi"));
        }
        catch (const std::invalid_argument& error)
        {
            document.fail ("/midi", error.what());
        }
    }

    void parsePages (const JsonDocument& document, Session& session, const std::unordered_set<std::string>& clipIds)
    {
        const auto pageCount = document.arraySize ("", "pages", false);
        if (pageCount > limits::maxPages)
            document.fail ("/pages", "has " + std::to_string (pageCount) + " pages; a session holds at most "
                                         + std::to_string (limits::maxPages));
        for (size_t p = 0; p < pageCount; ++p)
        {
            const auto pagePointer = JsonDocument::child ("/pages", p);
            document.requireObject (pagePointer);
            Page page;
            page.name = document.optionalString (pagePointer, "name", "Page " + std::to_string (p + 1));
            const auto tabCount = document.arraySize (pagePointer, "tabs", false);
            if (tabCount > (size_t) Page::maxTabs)
                document.fail (JsonDocument::child (pagePointer, "tabs"), "a page has at most 8 tabs");
            for (size_t t = 0; t < tabCount; ++t)
            {
                const auto tabPointer = JsonDocument::child (JsonDocument::child (pagePointer, "tabs"), t);
                document.requireObject (tabPointer);
                Tab tab;
                tab.name = document.optionalString (tabPointer, "name", "Tab " + std::to_string (t + 1));
                tab.rows = parseCount (document, tabPointer, "rows", 4, 1, Tab::maxRows);
                tab.columns = parseCount (document, tabPointer, "columns", 8, 1, Tab::maxColumns);
                const auto slotCount = document.arraySize (tabPointer, "slots", false);
                if (slotCount > (size_t) (tab.rows * tab.columns))
                    document.fail (JsonDocument::child (tabPointer, "slots"), "has " + std::to_string (slotCount)
                                       + " slots; a " + std::to_string (tab.rows) + " x " + std::to_string (tab.columns)
                                       + " tab holds at most " + std::to_string (tab.rows * tab.columns));
                for (size_t s = 0; s < slotCount; ++s)
                {
                    const auto slotPointer = JsonDocument::child (JsonDocument::child (tabPointer, "slots"), s);
                    document.requireObject (slotPointer);
                    GridSlot slot;
                    slot.row = parseCount (document, slotPointer, "row", 0, 0, tab.rows - 1);
                    slot.column = parseCount (document, slotPointer, "column", 0, 0, tab.columns - 1);
                    slot.clip = document.requireString (slotPointer, "clip");
                    if (clipIds.count (slot.clip) == 0)
                        document.fail (JsonDocument::child (slotPointer, "clip"), "no clip with id \"" + slot.clip + "\"");
                    if (tab.slotAt (slot.row, slot.column) != nullptr)
                        document.fail (slotPointer, "row " + std::to_string (slot.row) + ", column "
                                                        + std::to_string (slot.column) + " is already taken");
                    tab.slots.push_back (std::move (slot));
                }
                page.tabs.push_back (std::move (tab));
            }
            session.pages.push_back (std::move (page));
        }
    }
} // namespace

Session SessionManifest::fromDocument (const JsonDocument& document)
{
    document.requireObject ("");
    const auto format = document.requireString ("", "format");
    if (format != Session::formatName)
        document.fail ("/format", "expected \"" + std::string (Session::formatName) + "\", found \"" + format + "\"");
    const auto number = document.requireNumber ("", "version");
    if (number < 1 || number > Session::currentVersion || number != std::floor (number))
    {
        const auto written = formatNumber (number);  // never through int: 1e300 is not an int
        const auto readable = "versions 1 to " + std::to_string (Session::currentVersion);
        document.fail ("/version", number > Session::currentVersion && number == std::floor (number)
                                       ? "version " + written + " was written by a newer CueGrid (this one reads " + readable + ")"
                                       : "unsupported version " + written + " (this CueGrid reads " + readable + ")");
    }
    // An older version is migrated by reading only its own fields: the keys later versions
    // added were unknown to it (ignored), so the file plays exactly as it always did. Each
    // field is read under `version >= n`, n the version that added it.
    const int version = (int) number;

    Session session;
    session.name = document.optionalString ("", "name", session.name);
    session.sampleRate = document.optionalNumber ("", "sampleRate", session.sampleRate);
    if (session.sampleRate < limits::minSampleRate || session.sampleRate > limits::maxSampleRate)
        document.fail ("/sampleRate", "must be between 8000 and 384000 Hz");
    parseGroups (document, session, version);
    if (version >= 2)
    {
        parseFadeDefaults (document, session);
        parseRouting (document, session, version);
        parseMaster (document, session);
    }
    if (version >= 3)
        parseRecording (document, session);
    if (version >= 4)
        manifesttimecode::parseShow (document, session);   // before the clips: their triggers are at its fps
    std::unordered_set<std::string> clipIds;
    parseClips (document, session, clipIds, version);
    parsePages (document, session, clipIds);
    if (version >= 3)
        parseHotkeys (document, session, clipIds);
    if (version >= 3)
        parseMidi (document, session);
    return session;
}

Session SessionManifest::parse (const std::string& text, const std::string& fileName)
{
    return fromDocument (JsonDocument (text, fileName));
}

Session SessionManifest::load (const std::string& path)
{
    return fromDocument (JsonDocument::fromFile (path));
}

namespace
{
    using OrderedJson = nlohmann::ordered_json;

    OrderedJson pairJson (const ChannelPair& pair) { return OrderedJson::array ({ pair[0], pair[1] }); }

    /** Session-wide settings of version 2 and later, each only where it differs from the
        default, so a migrated older session saves as small as it was. */
    void addSessionPlayback (OrderedJson& root, const Session& session)
    {
        const FadeDefaults noFades;
        OrderedJson fades = OrderedJson::object();
        const auto& f = session.fadeDefaults;
        if (f.inMs != noFades.inMs) fades["inMs"] = f.inMs;
        if (f.outMs != noFades.outMs) fades["outMs"] = f.outMs;
        if (f.crossfadeMs != noFades.crossfadeMs) fades["crossfadeMs"] = f.crossfadeMs;
        if (f.inCurve != noFades.inCurve) fades["inCurve"] = fadeCurveName (f.inCurve);
        if (f.outCurve != noFades.outCurve) fades["outCurve"] = fadeCurveName (f.outCurve);
        if (f.crossfadeCurve != noFades.crossfadeCurve) fades["crossfadeCurve"] = fadeCurveName (f.crossfadeCurve);
        if (! fades.empty())
            root["fadeDefaults"] = std::move (fades);

        const RoutingSettings noRouting;
        OrderedJson routing = OrderedJson::object();
        const auto& r = session.routing;
        if (r.master != noRouting.master) routing["master"] = pairJson (r.master);
        if (r.audition != noRouting.audition) routing["audition"] = pairJson (r.audition);
        if (r.recordA != noRouting.recordA) routing["recordA"] = pairJson (r.recordA);   // version 3
        if (r.recordB != noRouting.recordB) routing["recordB"] = pairJson (r.recordB);
        OrderedJson groups = OrderedJson::object();
        for (int g = 0; g < groupCount; ++g)
            if (const auto& pair = r.groups[(size_t) g])
                groups[std::string (1, groupLetter (g))] = pairJson (*pair);
        if (! groups.empty())
            routing["groups"] = std::move (groups);
        if (! routing.empty())
            root["routing"] = std::move (routing);

        const MasterSettings noMaster;
        OrderedJson master = OrderedJson::object();
        const auto& m = session.master;
        if (m.gainDb != noMaster.gainDb) master["gainDb"] = m.gainDb;
        OrderedJson limiter = OrderedJson::object();
        if (m.limiterEnabled != noMaster.limiterEnabled) limiter["enabled"] = m.limiterEnabled;
        if (m.limiterCeilingDb != noMaster.limiterCeilingDb) limiter["ceilingDb"] = m.limiterCeilingDb;
        if (! limiter.empty())
            master["limiter"] = std::move (limiter);
        if (! master.empty())
            root["master"] = std::move (master);

        OrderedJson recording = OrderedJson::object();   // version 3
        if (session.recording.flac) recording["format"] = "flac";
        if (session.recording.floatSamples) recording["sampleFormat"] = "float";
        if (! recording.empty())
            root["recording"] = std::move (recording);
    }

    /** A clip's version 2 fields, each only when set or not the default. */
    void addClipPlayback (OrderedJson& json, const ClipDefinition& clip)
    {
        const ClipDefinition plain;
        if (clip.fadeInMs) json["fadeInMs"] = *clip.fadeInMs;
        if (clip.fadeInCurve) json["fadeInCurve"] = fadeCurveName (*clip.fadeInCurve);
        if (clip.fadeOutMs) json["fadeOutMs"] = *clip.fadeOutMs;
        if (clip.fadeOutCurve) json["fadeOutCurve"] = fadeCurveName (*clip.fadeOutCurve);
        if (clip.cueInSec) json["cueInSec"] = *clip.cueInSec;
        if (clip.cueOutSec) json["cueOutSec"] = *clip.cueOutSec;
        if (clip.edgeFadeMs != plain.edgeFadeMs) json["edgeFadeMs"] = clip.edgeFadeMs;
        if (const auto& loop = clip.loop)
        {
            const LoopSettings plainLoop;
            OrderedJson loopJson = OrderedJson::object();  // {} is a loop: the whole region, until stopped
            if (loop->inSec) loopJson["inSec"] = *loop->inSec;
            if (loop->outSec) loopJson["outSec"] = *loop->outSec;
            if (loop->count != plainLoop.count) loopJson["count"] = loop->count;
            if (loop->crossfadeMs != plainLoop.crossfadeMs) loopJson["crossfadeMs"] = loop->crossfadeMs;
            json["loop"] = std::move (loopJson);
        }
        if (clip.retrigger != plain.retrigger) json["retrigger"] = retriggerModeName (clip.retrigger);
        if (clip.solo != plain.solo) json["solo"] = clip.solo;
        if (clip.pan != plain.pan) json["pan"] = clip.pan;
        if (! clip.notes.empty()) json["notes"] = clip.notes;
    }
} // namespace

nlohmann::ordered_json SessionManifest::toJson (const Session& session)
{
    using Json = nlohmann::ordered_json;
    Json root;
    root["format"] = Session::formatName;
    root["version"] = Session::currentVersion;
    root["name"] = session.name;
    root["sampleRate"] = session.sampleRate;
    root["groups"] = Json::array();
    for (int g = 0; g < 4; ++g)
    {
        const auto& settings = session.groups[(size_t) g];
        Json group { { "id", std::string (1, groupLetter (g)) }, { "gainDb", settings.gainDb }, { "muted", settings.muted } };
        if (settings.chokeLimit != 0)
            group["chokeLimit"] = settings.chokeLimit;
        root["groups"].push_back (std::move (group));
    }
    addSessionPlayback (root, session);
    manifesttimecode::addShow (root, session);   // version 4
    root["clips"] = Json::array();
    for (const auto& clip : session.clips)
    {
        Json json { { "id", clip.id }, { "file", clip.file }, { "label", clip.label },
                    { "colour", clip.colour }, { "group", std::string (1, groupLetter (clip.group)) },
                    { "gainDb", clip.gainDb }, { "levelTrimDb", clip.levelTrimDb } };
        addClipPlayback (json, clip);
        manifesttimecode::addClip (json, clip);   // version 4
        root["clips"].push_back (std::move (json));
    }
    root["pages"] = Json::array();
    for (const auto& page : session.pages)
    {
        Json tabs = Json::array();
        for (const auto& tab : page.tabs)
        {
            Json slots = Json::array();
            for (const auto& slot : tab.slots)
                slots.push_back ({ { "row", slot.row }, { "column", slot.column }, { "clip", slot.clip } });
            tabs.push_back ({ { "name", tab.name }, { "rows", tab.rows }, { "columns", tab.columns }, { "slots", slots } });
        }
        root["pages"].push_back ({ { "name", page.name }, { "tabs", tabs } });
    }
    // Version 3: only keys of clips and pages the session still has (an edit may have removed them).
    auto hotkeys = session.hotkeys;
    const auto index = session.clipIndexById();
    const auto gone = [&index] (const ClipHotkey& key) { return index.count (key.clip) == 0; };
    hotkeys.global.erase (std::remove_if (hotkeys.global.begin(), hotkeys.global.end(), gone), hotkeys.global.end());
    if (hotkeys.pages.size() > session.pages.size())
        hotkeys.pages.resize (session.pages.size());
    for (auto& keys : hotkeys.pages)
        keys.erase (std::remove_if (keys.begin(), keys.end(), gone), keys.end());
    if (! hotkeys.isEmpty())
        root["hotkeys"] = hotkeysToJson (hotkeys);
    if (! session.midi.isDefault())
        root["midi"] = session.midi.toJson();
    return root;
}

void SessionManifest::save (const Session& session, const std::string& path)
{
    writeFileAtomically (path, toJson (session).dump (2) + "\n");
}

} // namespace cuegrid
