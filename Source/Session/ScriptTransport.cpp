// CueGrid — GPL-3.0-or-later
#include "ScriptTransport.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace cuegrid
{

namespace
{
    /** round (numerator / denominator), halves up, for numerator ≥ 0 and denominator > 0. */
    int64_t roundDivide (__int128 numerator, __int128 denominator)
    {
        return (int64_t) ((2 * numerator + denominator) / (2 * denominator));
    }

    bool isWhole (long double value) { return std::floor (value) == value; }
}

void ScriptTransport::addTempoStep (BeatFraction beat, double newBpm, std::string where)
{
    steps.push_back ({ beat, newBpm, std::move (where) });
}

std::vector<std::string> ScriptTransport::finish()
{
    struct Change
    {
        long double start, end;   // end == start: a step
        double bpm;
        std::string where;
    };
    std::vector<Change> changes;
    for (const auto& ramp : ramps)
        changes.push_back ({ (long double) (ramp.fromBar - 1) * beatsPerBar, (long double) (ramp.toBar - 1) * beatsPerBar, ramp.bpm, ramp.where });
    for (const auto& step : steps)
        changes.push_back ({ step.beat.value(), step.beat.value(), step.bpm, step.where });
    std::stable_sort (changes.begin(), changes.end(), [] (const Change& a, const Change& b) { return a.start < b.start; });

    std::vector<std::string> warnings;
    segments.clear();
    long double cursor = 0;
    double current = bpm;
    for (const auto& change : changes)
    {
        if (change.start < cursor)
        {
            std::ostringstream text;
            text << change.where << ": starts at beat " << (double) change.start << ", inside an earlier tempo ramp (to beat "
                 << (double) cursor << "); ignored";
            warnings.push_back (text.str());
            continue;
        }
        if (change.start > cursor)
            segments.push_back ({ cursor, change.start, current, current });
        if (change.end > change.start)
            segments.push_back ({ change.start, change.end, current, change.bpm });
        current = change.bpm;
        cursor = change.end;
    }
    segments.push_back ({ cursor, -1, current, current });
    return warnings;
}

BeatFraction ScriptTransport::beatOf (const MusicalTime& time) const noexcept
{
    return { ((int64_t) time.bar - 1) * beatsPerBar * time.res + ((int64_t) time.step - 1) * beatUnit, time.res };
}

bool ScriptTransport::stepFitsBar (const MusicalTime& time) const noexcept
{
    return ((int64_t) time.step - 1) * beatUnit < (int64_t) beatsPerBar * time.res;
}

long double ScriptTransport::secondsOfSegment (const Segment& segment, long double toBeat) const
{
    const auto end = segment.endBeat < 0 ? toBeat : std::min (toBeat, segment.endBeat);
    const auto beats = end - segment.startBeat;
    if (beats <= 0)
        return 0;
    if (segment.startBpm == segment.endBpm)
        return beats * 60.0L / segment.startBpm;
    const long double slope = ((long double) segment.endBpm - segment.startBpm) / (segment.endBeat - segment.startBeat);
    return 60.0L / slope * std::log ((segment.startBpm + slope * beats) / (long double) segment.startBpm);
}

long double ScriptTransport::secondsAt (BeatFraction beat) const
{
    if (segments.empty())
        return beat.value() * 60.0L / bpm;
    long double seconds = 0;
    for (const auto& segment : segments)
        seconds += secondsOfSegment (segment, beat.value());
    return seconds;
}

int64_t ScriptTransport::sampleAt (BeatFraction beat, double rate) const
{
    const bool beforeAnyChange = segments.size() <= 1 || beat.value() <= segments.front().endBeat;
    const auto milliBpm = (long double) bpm * 1000.0L;
    if (beforeAnyChange && isWhole (milliBpm) && isWhole (rate) && beat.numerator >= 0)
        return roundDivide ((__int128) beat.numerator * 60 * (int64_t) rate * 1000,
                            (__int128) beat.denominator * (int64_t) milliBpm);
    return std::llround (secondsAt (beat) * rate);
}

long double ScriptTransport::beatAtSeconds (long double seconds) const
{
    // secondsAt grows strictly with the beat: bisection to well under a sample.
    long double low = 0, high = 1;
    auto at = [this] (long double beats) { return secondsAt ({ (int64_t) std::llround (beats * 1048576.0L), 1048576 }); };
    while (at (high) < seconds && high < 1e9L)
        high *= 2;
    for (int i = 0; i < 80; ++i)
    {
        const auto middle = (low + high) / 2;
        (at (middle) < seconds ? low : high) = middle;
    }
    return (low + high) / 2;
}

std::string ScriptTransport::label (const MusicalTime& time)
{
    return "bar " + std::to_string (time.bar) + " step " + std::to_string (time.step) + "/" + std::to_string (time.res);
}

std::string ScriptTransport::label (long double seconds, int res) const
{
    const auto beat = beatAtSeconds (seconds);
    // Round to 1/1000 step so that a time on a step reads as that step.
    const auto stepsIn = std::round (beat * res / beatUnit * 1000.0L) / 1000.0L;
    const auto perBar = (long double) beatsPerBar * res / beatUnit;
    const auto bar = (int64_t) std::floor (stepsIn / perBar);
    const auto step = stepsIn - bar * perBar + 1;
    std::ostringstream text;
    text << "bar " << bar + 1 << " step " << (double) step << "/" << res;
    return text.str();
}

} // namespace cuegrid
