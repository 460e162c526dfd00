// CueGrid — GPL-3.0-or-later
#include "SessionManifestTimecode.h"

#include <cmath>

namespace cuegrid
{

void manifesttimecode::parseShow (const JsonDocument& document, Session& session)
{
    if (! document.has ("", "timecode"))
        return;
    const std::string pointer = "/timecode";
    document.requireObject (pointer);
    auto& settings = session.timecode;

    if (document.has (pointer, "fps"))
    {
        // A string ("29.97df") or a number (24, 25, 30; 29.97 is drop-frame, as parseFrameRate reads it).
        const auto& value = document.at (JsonDocument::child (pointer, "fps"));
        std::optional<FrameRate> rate;
        if (value.is_string())
            rate = parseFrameRate (value.get<std::string>());
        else if (value.is_number())
        {
            const auto number = value.get<double>();
            rate = number == 24.0 ? std::optional (FrameRate::fps24)
                   : number == 25.0 ? std::optional (FrameRate::fps25)
                   : number == 30.0 ? std::optional (FrameRate::fps30)
                   : number == 29.97 ? std::optional (FrameRate::fps2997drop) : std::nullopt;
        }
        if (! rate)
            document.fail (JsonDocument::child (pointer, "fps"),
                           "unknown frame rate (expected \"24\", \"25\", \"29.97df\", \"29.97ndf\" or \"30\")");
        settings.fps = *rate;
    }
}

void manifesttimecode::parseClip (const JsonDocument& document, const std::string& clipPointer, const Session& session,
                                  ClipDefinition& clip)
{
    if (document.has (clipPointer, "timecode"))
    {
        const auto text = document.requireString (clipPointer, "timecode");
        std::string why;
        clip.timecode = Timecode::parse (text, session.timecode.fps, &why);
        if (! clip.timecode)
            document.fail (JsonDocument::child (clipPointer, "timecode"),
                           "\"" + text + "\" is not a timecode at the show's " + frameRateName (session.timecode.fps)
                               + " fps: " + why + " (expected HH:MM:SS:FF, or HH:MM:SS;FF at 29.97df)");
    }
    clip.chase = document.optionalBool (clipPointer, "chase", false);
    if (clip.chase && ! clip.timecode)
        document.fail (JsonDocument::child (clipPointer, "chase"), "a clip chases its timecode: set \"timecode\" too");
}

void manifesttimecode::addShow (nlohmann::ordered_json& root, const Session& session)
{
    const TimecodeSettings plain;
    const auto& settings = session.timecode;
    nlohmann::ordered_json json = nlohmann::ordered_json::object();
    if (settings.fps != plain.fps) json["fps"] = frameRateName (settings.fps);
    if (! json.empty())
        root["timecode"] = std::move (json);
}

void manifesttimecode::addClip (nlohmann::ordered_json& json, const ClipDefinition& clip)
{
    if (clip.timecode)
        json["timecode"] = clip.timecode->toString();
    if (clip.chase)
        json["chase"] = true;
}

} // namespace cuegrid
