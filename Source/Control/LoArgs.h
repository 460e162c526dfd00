// CueGrid — GPL-3.0-or-later
// liblo hands a message's arguments as lo_arg pointers into the packet, which are only 4-byte
// aligned; lo_arg is a union with 8-byte members, so reading `arg->h` (or any member) there is
// undefined behaviour (UBSan: "member access within misaligned address"). These read the bytes.
#pragma once

#include <lo/lo.h>

#include <cstdint>
#include <cstring>

namespace cuegrid::loargs
{

template <typename T>
inline T read (const lo_arg* arg) noexcept
{
    T value;
    std::memcpy (&value, static_cast<const void*> (arg), sizeof value);
    return value;
}

inline std::int32_t int32 (const lo_arg* arg) noexcept { return read<std::int32_t> (arg); }
inline std::int64_t int64 (const lo_arg* arg) noexcept { return read<std::int64_t> (arg); }
inline float float32 (const lo_arg* arg) noexcept { return read<float> (arg); }
inline double float64 (const lo_arg* arg) noexcept { return read<double> (arg); }
/** An 's' argument: its NUL-terminated bytes (the packet is checked by liblo). */
inline const char* text (const lo_arg* arg) noexcept { return reinterpret_cast<const char*> (arg); }

} // namespace cuegrid::loargs
