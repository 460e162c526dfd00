// CueGrid — GPL-3.0-or-later
// What OscServer's network side and its dictionary (OscDictionary.cpp) both read from a request:
// the address's parts, numbers, group names, the JSON answer. Network and message threads.
#pragma once

#include "OscServer.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

namespace cuegrid::osc
{

inline std::vector<std::string> splitAddress (const std::string& address)
{
    std::vector<std::string> parts;
    size_t start = 1;
    while (start <= address.size())
    {
        const auto end = address.find ('/', start);
        parts.push_back (address.substr (start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return parts;
}

inline nlohmann::json answer (const std::string& address, const char* status, nlohmann::json data = nullptr)
{
    return { { "address", address }, { "status", status }, { "data", std::move (data) } };
}

/** A number argument (int, float, double, int64, or a numeric string such as "-inf"). */
inline bool numberArg (const OscServer::Request& request, size_t index, double& value)
{
    if (index >= request.args.size())
        return false;
    if (const auto* number = std::get_if<double> (&request.args[index]))
    {
        value = *number;
        return true;
    }
    const auto& text = std::get<std::string> (request.args[index]);
    if (text == "-inf")
    {
        value = -144.0;
        return true;
    }
    char* end = nullptr;
    value = std::strtod (text.c_str(), &end);
    return ! text.empty() && end != nullptr && *end == '\0';
}

inline int groupOf (const std::string& name)
{
    if (name.size() == 1)
    {
        const auto c = (char) std::toupper ((unsigned char) name[0]);
        if (c >= 'A' && c <= 'D') return c - 'A';
        if (c >= '1' && c <= '4') return c - '1';
    }
    return -1;
}

inline bool positiveInt (const std::string& text, int& value)
{
    if (text.empty() || text.size() > 4 || ! std::all_of (text.begin(), text.end(), [] (char c) { return c >= '0' && c <= '9'; }))
        return false;
    value = std::stoi (text);
    return value >= 1;
}

} // namespace cuegrid::osc
