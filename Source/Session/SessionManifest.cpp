// CueGrid — GPL-3.0-or-later
#include "SessionManifest.h"

#include "AtomicFile.h"
#include "Limits.h"

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

    void parseGroups (const JsonDocument& document, Session& session)
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

    void parseClips (const JsonDocument& document, Session& session, std::unordered_set<std::string>& ids)
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
            session.clips.push_back (std::move (clip));
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
    const auto version = document.requireNumber ("", "version");
    if (version != Session::currentVersion)
    {
        std::ostringstream written;
        written << version;  // never through int: 1e300 is not an int
        document.fail ("/version", version > Session::currentVersion && version == std::floor (version)
                                       ? "version " + written.str() + " was written by a newer CueGrid (this one reads version 1)"
                                       : "unsupported version " + written.str() + " (this CueGrid reads version 1)");
    }

    Session session;
    session.name = document.optionalString ("", "name", session.name);
    session.sampleRate = document.optionalNumber ("", "sampleRate", session.sampleRate);
    if (session.sampleRate < limits::minSampleRate || session.sampleRate > limits::maxSampleRate)
        document.fail ("/sampleRate", "must be between 8000 and 384000 Hz");
    parseGroups (document, session);
    std::unordered_set<std::string> clipIds;
    parseClips (document, session, clipIds);
    parsePages (document, session, clipIds);
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
        root["groups"].push_back ({ { "id", std::string (1, groupLetter (g)) },
                                    { "gainDb", session.groups[(size_t) g].gainDb },
                                    { "muted", session.groups[(size_t) g].muted } });
    root["clips"] = Json::array();
    for (const auto& clip : session.clips)
        root["clips"].push_back ({ { "id", clip.id }, { "file", clip.file }, { "label", clip.label },
                                   { "colour", clip.colour }, { "group", std::string (1, groupLetter (clip.group)) },
                                   { "gainDb", clip.gainDb }, { "levelTrimDb", clip.levelTrimDb } });
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
    return root;
}

void SessionManifest::save (const Session& session, const std::string& path)
{
    writeFileAtomically (path, toJson (session).dump (2) + "\n");
}

} // namespace cuegrid
