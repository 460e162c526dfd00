// CueGrid — GPL-3.0-or-later
#pragma once

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace cuegrid::inspectorText
{

/** A field's text as a number: empty (spaces only) → no value, meaning "the default"; a plain
    decimal number ("250", "-3.5", ".5", "+1") → its value; anything else ("1,5", "2 s", "1e3",
    "nan") → not ok, so a typo is refused rather than misread. Locale-independent. Any thread. */
struct ParsedNumber
{
    std::optional<double> value;
    bool ok = true;
};

inline ParsedNumber parseNumber (std::string_view text)
{
    while (! text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix (1);
    while (! text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix (1);
    if (text.empty())
        return {};
    if (text.front() == '+')   // from_chars takes '-' but not '+'
    {
        text.remove_prefix (1);
        if (text.empty() || text.front() == '-')
            return { std::nullopt, false };
    }
    bool digit = false;
    int points = 0;
    for (size_t i = 0; i < text.size(); ++i)
    {
        const auto c = text[i];
        if (c >= '0' && c <= '9')
            digit = true;
        else if (c == '.')
            ++points;
        else if (! (c == '-' && i == 0))
            return { std::nullopt, false };
    }
    if (! digit || points > 1)
        return { std::nullopt, false };
    double value = 0.0;
    const auto [end, error] = std::from_chars (text.data(), text.data() + text.size(), value, std::chars_format::fixed);
    if (error != std::errc() || end != text.data() + text.size() || ! std::isfinite (value))
        return { std::nullopt, false };
    return { value, true };
}

/** `value` with `decimals` decimals, then trailing zeros beyond `keep` decimals dropped. */
inline std::string formatFixed (double value, int decimals, int keep)
{
    char buffer[64];
    const auto [end, error] = std::to_chars (buffer, buffer + sizeof (buffer), value, std::chars_format::fixed, decimals);
    if (error != std::errc())
        return {};
    std::string text (buffer, end);
    const auto point = text.find ('.');
    if (point == std::string::npos)
        return text;
    auto last = text.size();
    while (last > point + 1 + (size_t) keep && text[last - 1] == '0')
        --last;
    if (last == point + 1)
        --last;   // no decimals left: no point either
    text.resize (last);
    if (text[0] == '-' && text.find_first_not_of ("-0.") == std::string::npos)
        text.erase (0, 1);   // "-0.000": a value rounded to zero has no sign
    return text;
}

/** Seconds as the inspector shows cue and loop points: 3 decimals ("1.250"), and up to 6 when
    the value is finer than 1 ms ("0.0505"), so what is shown is what is stored. */
inline std::string formatSeconds (double seconds) { return formatFixed (seconds, 6, 3); }

/** Milliseconds as the inspector shows fades: whole ("250"), or with the decimals it has, up
    to 3 ("12.5"). */
inline std::string formatMs (double ms) { return formatFixed (ms, 3, 0); }

} // namespace cuegrid::inspectorText
