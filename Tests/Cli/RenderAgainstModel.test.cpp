// CueGrid — GPL-3.0-or-later
// `cuegrid render --channels 6` of a show using every playback feature of issue 8, on real
// corpus recordings, against an independent model written here from the issue's formulas
// ("Exact semantics"): fades of each curve, cue points, a Trigger offset, a loop played 3
// times with its crossfade, pause and resume, choke steals, a restart retrigger, a solo
// crossfade, pan (mono law and stereo balance) with a ramp, StopGroup, FadeGroup, FadeAll,
// Panic cancelling later commands, an audition, master gain ramp, and Group D routed to its
// own outputs 5/6. The model shares no code with the engine: it simulates sample by sample in
// double precision from the clip definitions below.
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <sstream>

using namespace cuegrid::test;

namespace
{
    constexpr double rate = 44100.0;
    constexpr double pi = 3.14159265358979323846;
    const int protection = (int) std::lround (0.001 * rate);   // F: the 1 ms protection fade

    int64_t frames (double seconds) { return std::llround (seconds * rate); }
    int samples (double ms) { return (int) std::lround (ms * rate / 1000.0); }

    // ---- The show ---------------------------------------------------------------------------

    struct Loop { double inSec, outSec; int count; double crossfadeMs; };

    struct Clip
    {
        std::string id, file, group;
        double gainDb = 0.0, pan = 0.0;
        double fadeInMs = 0.0, fadeOutMs = 0.0;
        std::string fadeInCurve = "linear", fadeOutCurve = "linear";
        std::optional<double> cueInSec, cueOutSec;
        double edgeFadeMs = 1.0;
        std::optional<Loop> loop;
        std::string retrigger = "restart";
        bool solo = false;
    };

    struct Group { std::string id; double gainDb; int chokeLimit; };

    const std::vector<Group> groups { { "A", -7.0, 0 }, { "B", -8.0, 2 }, { "C", -6.0, 0 }, { "D", -3.0, 0 } };
    constexpr double crossfadeMs = 250.0;      // fadeDefaults.crossfadeMs, equalPower

    std::vector<Clip> makeClips()
    {
        std::vector<Clip> clips;
        Clip pad { "pad", "p09_lmms_chorus_dc_offset.wav", "A", -8.0, -0.4 };
        pad.fadeInMs = 200; pad.fadeInCurve = "equalPower"; pad.fadeOutMs = 300; pad.fadeOutCurve = "sCurve";
        pad.cueInSec = 0.5; pad.cueOutSec = 6.0;
        clips.push_back (pad);
        Clip epiano { "epiano", "p11_lmms_epiano_chord.wav", "A", -6.0, 0.0 };
        epiano.solo = true; epiano.fadeOutMs = 150; epiano.fadeOutCurve = "equalPower";
        clips.push_back (epiano);
        clips.push_back ({ "kick", "p01_sonicpi_heavy_kick.wav", "B", -10.0, 0.25 });
        clips.push_back ({ "snare", "p03_colombo_snare.wav", "B", -9.0, 0.0 });
        clips.push_back ({ "hat", "p02_sonicpi_hihat_open.wav", "B", -12.0, -0.8 });
        Clip speech { "speech", "p06_sc_apollo11_speech.wav", "C", -4.0, 0.6 };
        speech.fadeInMs = 50; speech.fadeInCurve = "exponential"; speech.fadeOutMs = 400; speech.fadeOutCurve = "exponential";
        speech.cueInSec = 0.25; speech.cueOutSec = 3.5; speech.retrigger = "pause";
        clips.push_back (speech);
        Clip loop { "loop", "p04_lmms_breakbeat.wav", "C", -9.0, -0.2 };
        loop.loop = Loop { 0.2, 0.9, 3, 5.0 }; loop.edgeFadeMs = 2.0; loop.fadeOutMs = 100;
        clips.push_back (loop);
        Clip bass { "bass", "p07_sonicpi_bass_thick.wav", "D", -6.0, 0.3 };
        bass.fadeInMs = 100; bass.fadeOutMs = 60; bass.fadeOutCurve = "sCurve";
        clips.push_back (bass);
        return clips;
    }

    struct Command
    {
        double timeSec;
        std::string type, clip, group, curve, target;
        double fadeMs = -1.0, offsetSec = 0.0, value = 0.0, rampMs = 0.0;
    };

    const std::vector<Command> script {
        { 0.00, "SetParam", "", "", "", "audition:gainDb", -1, 0, -6.0 },
        { 0.00, "Trigger", "pad" },
        { 0.10, "Trigger", "bass" },
        { 0.30, "Trigger", "loop" },
        { 0.50, "Trigger", "kick" },
        { 0.55, "Trigger", "snare" },
        { 0.60, "Trigger", "hat" },                       // choke limit 2: the kick gives way
        { 0.80, "Trigger", "speech", "", "", "", -1, 0.1 },
        { 1.20, "SetParam", "", "", "", "clip:pad:pan", -1, 0, 0.5, 300 },
        { 1.50, "Trigger", "speech" },                    // retrigger "pause": pauses it
        { 2.00, "Resume", "speech" },
        { 2.10, "Audition", "hat" },
        { 2.50, "Stop", "bass", "", "", "", 500 },
        { 2.70, "Pause", "speech" },
        { 2.90, "TogglePause", "speech" },
        { 3.00, "Trigger", "epiano" },                    // solo: the pad crossfades out
        { 3.40, "SetParam", "", "", "", "master:gainDb", -1, 0, -3.0, 200 },
        { 3.60, "PauseAll" },
        { 3.80, "ResumeAll" },
        { 4.00, "StopGroup", "", "C" },
        { 4.20, "Trigger", "bass" },
        { 4.50, "FadeGroup", "", "D", "sCurve", "", 300 },
        { 5.00, "Trigger", "pad" },
        { 5.10, "Trigger", "kick" },
        { 5.15, "Trigger", "kick" },                      // restart: the first is cut
        { 5.50, "FadeAll", "", "", "sCurve", "", 800 },
        { 6.00, "Trigger", "snare" },
        { 6.20, "Trigger", "speech" },
        { 6.50, "Panic" },
        { 6.50, "Trigger", "loop" },                      // same sample, after the Panic: never runs
        { 7.00, "Trigger", "pad" },                       // after the Panic: never runs
        { 7.50, "Audition", "hat" },                      // after the Panic: never runs
    };
    constexpr double durationSec = 8.0;

    std::string sessionJson (const std::vector<Clip>& clips)
    {
        std::ostringstream json;
        json.precision (12);
        json << R"({"format": "cuegrid.session", "version": 2, "name": "model show", "sampleRate": 44100, "groups": [)";
        for (size_t i = 0; i < groups.size(); ++i)
            json << (i ? "," : "") << R"({"id": ")" << groups[i].id << R"(", "gainDb": )" << groups[i].gainDb
                 << R"(, "chokeLimit": )" << groups[i].chokeLimit << "}";
        json << R"(], "fadeDefaults": {"crossfadeMs": )" << crossfadeMs << R"(, "crossfadeCurve": "equalPower"},)"
             << R"("routing": {"master": [1, 2], "audition": [3, 4], "groups": {"D": [5, 6]}},)"
             << R"("master": {"gainDb": 0, "limiter": {"enabled": true, "ceilingDb": 0}}, "clips": [)";
        for (size_t i = 0; i < clips.size(); ++i)
        {
            const auto& c = clips[i];
            json << (i ? "," : "") << R"({"id": ")" << c.id << R"(", "file": ")" << dataPath ("corpus/" + c.file).string()
                 << R"(", "group": ")" << c.group << R"(", "gainDb": )" << c.gainDb << R"(, "pan": )" << c.pan
                 << R"(, "fadeInMs": )" << c.fadeInMs << R"(, "fadeOutMs": )" << c.fadeOutMs << R"(, "fadeInCurve": ")"
                 << c.fadeInCurve << R"(", "fadeOutCurve": ")" << c.fadeOutCurve << R"(", "edgeFadeMs": )" << c.edgeFadeMs
                 << R"(, "retrigger": ")" << c.retrigger << R"(", "solo": )" << (c.solo ? "true" : "false");
            if (c.cueInSec) json << R"(, "cueInSec": )" << *c.cueInSec;
            if (c.cueOutSec) json << R"(, "cueOutSec": )" << *c.cueOutSec;
            if (c.loop)
                json << R"(, "loop": {"inSec": )" << c.loop->inSec << R"(, "outSec": )" << c.loop->outSec << R"(, "count": )"
                     << c.loop->count << R"(, "crossfadeMs": )" << c.loop->crossfadeMs << "}";
            json << "}";
        }
        json << "]}";
        return json.str();
    }

    std::string scriptJson()
    {
        std::ostringstream json;
        json.precision (12);
        json << R"({"durationSec": )" << durationSec << R"(, "commands": [)";
        for (size_t i = 0; i < script.size(); ++i)
        {
            const auto& c = script[i];
            json << (i ? "," : "") << R"({"timeSec": )" << c.timeSec << R"(, "type": ")" << c.type << "\"";
            if (! c.clip.empty()) json << R"(, "clip": ")" << c.clip << "\"";
            if (! c.group.empty()) json << R"(, "group": ")" << c.group << "\"";
            if (! c.curve.empty()) json << R"(, "curve": ")" << c.curve << "\"";
            if (c.fadeMs >= 0) json << R"(, "fadeMs": )" << c.fadeMs;
            if (c.offsetSec > 0) json << R"(, "offsetSec": )" << c.offsetSec;
            if (! c.target.empty()) json << R"(, "target": ")" << c.target << R"(", "value": )" << c.value << R"(, "rampMs": )" << c.rampMs;
            json << "}";
        }
        json << "]}";
        return json.str();
    }

    // ---- The model ----------------------------------------------------------------------------

    double curve (const std::string& name, double x)
    {
        if (name == "equalPower") return std::sin (pi * x / 2.0);
        if (name == "sCurve") return (1.0 - std::cos (pi * x)) / 2.0;
        if (name == "exponential") return x > 0.0 ? std::pow (10.0, -3.0 * (1.0 - x)) : 0.0;
        return x;
    }
    double fadeIn (const std::string& name, int64_t k, int64_t length) { return k >= length ? 1.0 : curve (name, (double) k / length); }
    double fadeOut (const std::string& name, int64_t k, int64_t length) { return k >= length ? 0.0 : curve (name, (double) (length - 1 - k) / length); }

    /** A linear ramp of a value on the timeline (gains in amplitude, pans in pan units). */
    struct Ramp
    {
        double from = 1.0, to = 1.0;
        int64_t start = 0, end = 0;
        double at (int64_t n) const
        {
            if (n >= end) return to;
            if (n <= start) return from;
            return from + (to - from) * (double) (n - start) / (double) (end - start);
        }
        void set (double target, int64_t n, int64_t length) { from = at (n); to = target; start = n; end = n + length; }
    };

    struct MediaClip
    {
        Clip definition;
        AudioData audio;
        int group = 0;
        int64_t cueIn = 0, cueOut = 0, loopIn = 0, loopOut = 0;
        int edge = 0, fadeInLength = 0, fadeOutLength = 0, crossfade = 0;
    };

    struct Voice
    {
        const MediaClip* clip = nullptr;
        bool audition = false;
        uint64_t order = 0;
        int64_t position = 0, played = 0;
        int wrapsLeft = 0;                  // -1 = endless
        int64_t crossfadeAge = -1, crossfadeTail = 0;
        int fadeInLength = 0;
        std::string fadeInCurve;
        std::optional<int64_t> stopAt, cutAt, pauseAt, resumeAt;
        int stopLength = 0;
        std::string stopCurve;
        bool held = false;

        bool stopping() const { return stopAt.has_value() || cutAt.has_value(); }
        bool wraps() const { return clip->loopOut > clip->loopIn && wrapsLeft != 0 && position < clip->loopOut; }
        double sample (int channel, int64_t frame) const
        {
            const auto& channels = clip->audio.channels;
            const auto& data = channels[(size_t) std::min<int> (channel, (int) channels.size() - 1)];
            return frame < (int64_t) data.size() ? (double) data[(size_t) frame] : 0.0;
        }
    };

    struct Model
    {
        std::vector<MediaClip> clips;
        std::vector<Voice> voices;
        std::vector<Ramp> clipPans;
        Ramp masterGain, auditionGain;
        uint64_t nextOrder = 0;
        bool panicked = false;

        const MediaClip& clip (const std::string& id) const
        {
            for (const auto& c : clips)
                if (c.definition.id == id) return c;
            throw std::runtime_error ("no clip " + id);
        }
        int clipIndex (const std::string& id) const { return (int) (&clip (id) - clips.data()); }

        void startStop (Voice& v, int64_t n, int length, const std::string& shape)
        {
            if (v.held) { v.clip = nullptr; return; }    // silent already: ends at once
            if (v.stopping()) return;
            v.stopAt = n;
            v.stopLength = length > 0 ? length : protection;
            v.stopCurve = length > 0 ? shape : "linear";
        }
        void cut (Voice& v, int64_t n)
        {
            if (v.held) { v.clip = nullptr; return; }
            if (! v.cutAt) v.cutAt = n;
        }
        void pause (Voice& v, int64_t n)
        {
            if (! v.stopping() && ! v.pauseAt && ! v.held) v.pauseAt = n;
        }
        void resume (Voice& v, int64_t n)
        {
            if (! v.stopping() && v.held) { v.held = false; v.resumeAt = n; }
        }
        std::vector<Voice*> groupVoices (const std::function<bool (const Voice&)>& which)
        {
            std::vector<Voice*> result;
            for (auto& v : voices)
                if (v.clip != nullptr && ! v.audition && which (v)) result.push_back (&v);
            return result;
        }

        void start (const MediaClip& c, int64_t n, double offsetSec, bool audition)
        {
            Voice v;
            v.clip = &c;
            v.audition = audition;
            v.order = nextOrder++;
            v.position = std::min (c.cueIn + frames (offsetSec), c.cueOut);
            v.wrapsLeft = c.definition.loop ? c.definition.loop->count - 1 : 0;
            if (c.definition.loop && c.definition.loop->count == 0) v.wrapsLeft = -1;
            v.fadeInLength = c.definition.solo ? samples (crossfadeMs) : c.fadeInLength;
            v.fadeInCurve = c.definition.solo ? "equalPower" : c.definition.fadeInCurve;
            voices.push_back (v);
        }

        void trigger (const std::string& id, int64_t n, double offsetSec)
        {
            const auto& c = clip (id);
            auto same = groupVoices ([&] (const Voice& v) { return v.clip == &c && ! v.stopping(); });
            if (! same.empty())
            {
                if (c.definition.retrigger == "pause")
                {
                    const bool anyPaused = std::any_of (same.begin(), same.end(), [] (Voice* v) { return v->held || v->pauseAt; });
                    for (auto* v : same) anyPaused ? resume (*v, n) : pause (*v, n);
                    return;
                }
                if (c.definition.retrigger == "stop")
                {
                    for (auto* v : same) startStop (*v, n, c.fadeOutLength, c.definition.fadeOutCurve);
                    return;
                }
                if (c.definition.retrigger == "restart")
                    for (auto* v : same) cut (*v, n);
            }
            if (c.definition.solo)
                for (auto* v : groupVoices ([&] (const Voice& v) { return v.clip->group == c.group; }))
                    startStop (*v, n, samples (crossfadeMs), "equalPower");
            const auto limit = groups[(size_t) c.group].chokeLimit;
            for (;;)
            {
                auto playing = groupVoices ([&] (const Voice& v) { return v.clip->group == c.group && ! v.stopping(); });
                if (limit == 0 || (int) playing.size() < limit) break;
                cut (**std::min_element (playing.begin(), playing.end(), [] (Voice* a, Voice* b) { return a->order < b->order; }), n);
            }
            start (c, n, offsetSec, false);
        }

        void execute (const Command& command, int64_t n)
        {
            const auto& t = command.type;
            auto fadeLength = [&] { return samples (command.fadeMs); };
            if (t == "Trigger") trigger (command.clip, n, command.offsetSec);
            else if (t == "Stop")
                for (auto* v : groupVoices ([&] (const Voice& v) { return v.clip->definition.id == command.clip; }))
                    startStop (*v, n, command.fadeMs >= 0 ? fadeLength() : v->clip->fadeOutLength, v->clip->definition.fadeOutCurve);
            else if (t == "Pause" || t == "Resume" || t == "TogglePause")
            {
                auto mine = groupVoices ([&] (const Voice& v) { return v.clip->definition.id == command.clip; });
                const bool anyPaused = std::any_of (mine.begin(), mine.end(), [] (Voice* v) { return v->held || v->pauseAt; });
                const bool doResume = t == "Resume" || (t == "TogglePause" && anyPaused);
                for (auto* v : mine) doResume ? resume (*v, n) : pause (*v, n);
            }
            else if (t == "PauseAll") for (auto* v : groupVoices ([] (const Voice&) { return true; })) pause (*v, n);
            else if (t == "ResumeAll") for (auto* v : groupVoices ([] (const Voice&) { return true; })) resume (*v, n);
            else if (t == "StopGroup" || t == "FadeGroup")
            {
                const auto group = command.group[0] - 'A';
                for (auto* v : groupVoices ([&] (const Voice& v) { return v.clip->group == group; }))
                    t == "FadeGroup" ? startStop (*v, n, fadeLength(), command.curve)
                                     : startStop (*v, n, v->clip->fadeOutLength, v->clip->definition.fadeOutCurve);
            }
            else if (t == "FadeAll")
            {
                for (auto& v : voices)
                    if (v.clip != nullptr) startStop (v, n, fadeLength(), command.curve);
            }
            else if (t == "Panic")
            {
                for (auto& v : voices)
                    if (v.clip != nullptr) cut (v, n);
                panicked = true;   // the script's later commands never run
            }
            else if (t == "Audition")
            {
                for (auto& v : voices)
                    if (v.clip != nullptr && v.audition) cut (v, n);
                start (clip (command.clip), n, 0.0, true);
            }
            else if (t == "SetParam")
            {
                const auto ramp = frames (command.rampMs / 1000.0);
                if (command.target == "audition:gainDb") auditionGain.set (std::pow (10.0, command.value / 20.0), n, ramp);
                else if (command.target == "master:gainDb") masterGain.set (std::pow (10.0, command.value / 20.0), n, ramp);
                else clipPans[(size_t) clipIndex (command.target.substr (5, command.target.size() - 9))].set (command.value, n, ramp);
            }
        }

        static int rank (const std::string& type)
        {
            if (type == "SetParam") return 0;
            if (type == "Trigger") return 2;
            if (type == "Audition") return 3;
            return 1;
        }

        /** Renders the whole show: 6 channels × total frames. */
        std::vector<std::vector<double>> render (int64_t total)
        {
            std::vector<size_t> order (script.size());
            for (size_t i = 0; i < order.size(); ++i) order[i] = i;
            std::stable_sort (order.begin(), order.end(), [] (size_t a, size_t b)
            {
                const auto ta = frames (script[a].timeSec), tb = frames (script[b].timeSec);
                return ta != tb ? ta < tb : rank (script[a].type) < rank (script[b].type);
            });
            std::vector<std::vector<double>> out (6, std::vector<double> ((size_t) total));
            size_t next = 0;
            for (int64_t n = 0; n < total; ++n)
            {
                while (next < order.size() && frames (script[order[next]].timeSec) == n)
                {
                    if (! panicked) execute (script[order[next]], n);
                    ++next;
                }
                double bus[5][2] {};   // groups A–D, audition
                for (auto& v : voices)
                    if (v.clip != nullptr)
                        renderSample (v, n, v.audition ? bus[4] : bus[v.clip->group]);
                voices.erase (std::remove_if (voices.begin(), voices.end(), [] (const Voice& v) { return v.clip == nullptr; }), voices.end());

                const auto master = masterGain.at (n);
                for (int side = 0; side < 2; ++side)
                {
                    double sum = 0.0;
                    for (int g = 0; g < 3; ++g)
                        sum += bus[g][side] * std::pow (10.0, groups[(size_t) g].gainDb / 20.0);
                    out[(size_t) side][(size_t) n] = sum * master;
                    out[(size_t) (2 + side)][(size_t) n] = bus[4][side] * auditionGain.at (n);
                    out[(size_t) (4 + side)][(size_t) n] = bus[3][side] * std::pow (10.0, groups[3].gainDb / 20.0);
                }
            }
            return out;
        }

        void renderSample (Voice& v, int64_t n, double* bus)
        {
            const auto& c = *v.clip;
            // Ends and state changes before sample n.
            if ((v.stopAt && n - *v.stopAt >= v.stopLength) || (v.cutAt && n - *v.cutAt >= protection)
                || (! v.wraps() && v.position >= c.cueOut))
            {
                v.clip = nullptr;
                return;
            }
            if (v.pauseAt && n - *v.pauseAt >= protection) { v.pauseAt.reset(); v.held = true; }
            if (v.held) return;

            double gain = 1.0;
            if (v.played < c.edge) gain *= (double) v.played / c.edge;
            gain *= fadeIn (v.fadeInCurve, v.played, v.fadeInLength);
            if (! v.wraps())
            {
                const auto d = c.cueOut - 1 - v.position;
                if (d < c.edge) gain *= (double) d / c.edge;
                if (d < c.fadeOutLength) gain *= curve (c.definition.fadeOutCurve, (double) d / c.fadeOutLength);
            }
            if (v.stopAt) gain *= fadeOut (v.stopCurve, n - *v.stopAt, v.stopLength);
            if (v.cutAt) gain *= fadeOut ("linear", n - *v.cutAt, protection);
            if (v.pauseAt) gain *= fadeOut ("linear", n - *v.pauseAt, protection);
            if (v.resumeAt) gain *= fadeIn ("linear", n - *v.resumeAt, protection);

            const bool mono = c.audio.channels.size() == 1;
            const auto p = v.audition ? 0.0 : clipPans[(size_t) clipIndex (c.definition.id)].at (n);
            double panLeft, panRight;
            if (mono)
            {
                panLeft = std::cos ((p + 1.0) * pi / 4.0) / std::cos (pi / 4.0);
                panRight = std::sin ((p + 1.0) * pi / 4.0) / std::cos (pi / 4.0);
            }
            else
            {
                panLeft = p <= 0.0 ? 1.0 : 1.0 - p;
                panRight = p >= 0.0 ? 1.0 : 1.0 + p;
            }
            const auto clipGain = std::pow (10.0, c.definition.gainDb / 20.0);   // an audition too: pre-fader listen
            for (int side = 0; side < 2; ++side)
            {
                auto x = v.sample (side, v.position);
                if (v.crossfadeAge >= 0)
                {
                    const auto k = (double) v.crossfadeAge / c.crossfade;
                    x = x * k + v.sample (side, v.crossfadeTail + v.crossfadeAge) * (1.0 - k);
                }
                bus[side] += x * gain * clipGain * (side == 0 ? panLeft : panRight);
            }

            ++v.position;
            ++v.played;
            if (v.crossfadeAge >= 0 && ++v.crossfadeAge >= c.crossfade) v.crossfadeAge = -1;
            if (c.loopOut > c.loopIn && v.wrapsLeft != 0 && v.position == c.loopOut)
            {
                v.position = c.loopIn;
                v.crossfadeTail = c.loopOut;
                v.crossfadeAge = 0;
                if (v.wrapsLeft > 0) --v.wrapsLeft;
            }
        }
    };
} // namespace

TEST_CASE ("cuegrid render --channels 6 of every show feature nulls against an independent model below -120 dBFS", "[cli][render][model]")
{
    const auto definitions = makeClips();
    TemporaryFolder folder ("model-null");
    writeText (folder / "show.cuegrid", sessionJson (definitions));
    writeText (folder / "script.json", scriptJson());
    const auto rendered = folder / "render.wav";
    const auto log = folder / "events.ndjson";
    const auto result = run (quote (cliPath()) + " render " + quote ((folder / "show.cuegrid").string()) + " --script "
                             + quote ((folder / "script.json").string()) + " --out " + quote (rendered.string())
                             + " --channels 6 --event-log " + quote (log.string()));
    INFO (result.output);
    REQUIRE (result.exitCode == 0);

    Model model;
    for (const auto& definition : definitions)
    {
        MediaClip c;
        c.definition = definition;
        c.audio = readAudio (dataPath ("corpus/" + definition.file));
        REQUIRE (c.audio.sampleRate == rate);
        c.group = definition.group[0] - 'A';
        const auto length = (int64_t) c.audio.frames();
        c.cueIn = std::clamp<int64_t> (frames (definition.cueInSec.value_or (0.0)), 0, length);
        c.cueOut = std::clamp<int64_t> (definition.cueOutSec ? frames (*definition.cueOutSec) : length, c.cueIn, length);
        c.edge = samples (definition.edgeFadeMs);
        c.fadeInLength = samples (definition.fadeInMs);
        c.fadeOutLength = samples (definition.fadeOutMs);
        if (definition.loop)
        {
            c.loopIn = frames (definition.loop->inSec);
            c.loopOut = frames (definition.loop->outSec);
            c.crossfade = samples (definition.loop->crossfadeMs);
        }
        model.clips.push_back (std::move (c));
        Ramp pan;
        pan.from = pan.to = definition.pan;
        model.clipPans.push_back (pan);
    }
    const auto expected = model.render (frames (durationSec));

    const auto ours = readAudio (rendered);
    REQUIRE (ours.channels.size() == 6);
    REQUIRE (ours.frames() == (size_t) frames (durationSec));

    for (size_t channel = 0; channel < 6; ++channel)
    {
        double residualPeak = 0, signalPeak = 0;
        int64_t firstOff = -1;   // the first sample off by more than -120 dBFS, to find the feature at fault
        for (size_t i = 0; i < ours.frames(); ++i)
        {
            const auto residual = std::abs (ours.channels[channel][i] - expected[channel][i]);
            if (firstOff < 0 && residual > 1.0e-6)
                firstOff = (int64_t) i;
            residualPeak = std::max (residualPeak, residual);
            signalPeak = std::max (signalPeak, std::abs (expected[channel][i]));
        }
        INFO ("channel " << channel + 1 << ": model peak " << toDecibels (signalPeak) << " dBFS, residual peak "
                         << toDecibels (residualPeak) << " dBFS, first off at sample " << firstOff << " ("
                         << (double) firstOff / rate << " s)");
        CHECK (toDecibels (signalPeak) > -30.0);      // every output carries a real signal
        CHECK (toDecibels (signalPeak) < 0.0);        // under the limiter's ceiling: it must pass unchanged
        CHECK (toDecibels (residualPeak) < -120.0);
    }

    // The Panic cancelled the script's later commands: nothing starts after 6.5 s.
    const auto events = readText (log);
    size_t starts = 0, at = 0;
    while ((at = events.find ("\"voiceStart\"", at)) != std::string::npos) { ++starts; ++at; }
    CHECK (starts == 15);   // 14 triggers and 1 audition before the Panic
    CHECK (events.find ("\"panic\"") != std::string::npos);
}
