// CueGrid — GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cuegrid
{

/** A musical position as a show script writes it: `bar` (from 1), `step` (from 1) in steps of
    a 1/`res` note (res 16 = sixteenth notes). */
struct MusicalTime
{
    int bar = 1;
    int step = 1;
    int res = 16;
};

/** Beats from script start as an exact fraction numerator / denominator (denominator > 0). */
struct BeatFraction
{
    int64_t numerator = 0;
    int64_t denominator = 1;
    long double value() const noexcept { return (long double) numerator / (long double) denominator; }
};

/** The show script's transport: a tempo (`bpm`, beats of 1/beatUnit note per minute), a time
    signature, linear tempo ramps by bar and tempo steps (a scene's bpm at its recall). Maps
    musical positions to seconds and samples (docs/cli.md, "Musical time"):

        beats(bar, step, res) = (bar − 1) × beatsPerBar + (step − 1) × beatUnit / res
        constant tempo:       sample = round (beats × 60 × rate / bpm)   (integer arithmetic
                              when bpm × 1000 and the rate are whole numbers)
        ramp over L beats from b0 to b1 bpm (tempo linear in beats, k = (b1 − b0) / L):
                              seconds(x beats in) = 60 / k × ln ((b0 + k x) / b0)

    Built on the control thread while a script is parsed; read-only afterwards. */
class ScriptTransport
{
public:
    struct Ramp
    {
        int fromBar = 1, toBar = 2;   // from the start of fromBar to the start of toBar
        double bpm = 120.0;           // the tempo reached at toBar, kept after it
        std::string where;            // "file:line:column: tempoRamps[i]" for warnings
    };

    double bpm = 0.0;                 // 0: the script has no transport (musical positions are an error)
    int beatsPerBar = 4, beatUnit = 4;
    std::vector<Ramp> ramps;

    bool isSet() const noexcept { return bpm > 0.0; }

    /** Adds a tempo step (a scene's bpm) at `beat`; call before finish(). */
    void addTempoStep (BeatFraction beat, double newBpm, std::string where);

    /** Builds the tempo map. Returns warnings: a ramp or step that overlaps an earlier ramp is
        ignored ("overlaps ... ignored"). */
    std::vector<std::string> finish();

    BeatFraction beatOf (const MusicalTime& time) const noexcept;
    /** Steps of the bar at `res` (a fraction in 7/8 at res 4: 3.5); a step at or past it is invalid. */
    bool stepFitsBar (const MusicalTime& time) const noexcept;
    double stepsPerBar (int res) const noexcept { return (double) beatsPerBar * res / beatUnit; }

    long double secondsAt (BeatFraction beat) const;
    /** The sample of `beat` at `rate` Hz: exact integer arithmetic before the first tempo change. */
    int64_t sampleAt (BeatFraction beat, double rate) const;
    /** Beats at `seconds` (inverse of secondsAt), for labels. */
    long double beatAtSeconds (long double seconds) const;

    /** "bar 3 step 5/16" for a position given musically, or for `seconds` (e.g. "bar 3 step 5.5/16"). */
    static std::string label (const MusicalTime& time);
    std::string label (long double seconds, int res = 16) const;

private:
    struct Segment
    {
        long double startBeat = 0, endBeat = 0;   // endBeat < 0: to the end of the show
        double startBpm = 120, endBpm = 120;
    };
    struct TempoStep
    {
        BeatFraction beat;
        double bpm;
        std::string where;
    };
    std::vector<TempoStep> steps;
    std::vector<Segment> segments;
    long double secondsOfSegment (const Segment& segment, long double toBeat) const;
};

} // namespace cuegrid
