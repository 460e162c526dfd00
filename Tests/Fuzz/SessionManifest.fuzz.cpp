// CueGrid — GPL-3.0-or-later
// libFuzzer harness: the session manifest loader (*.cuegrid). A rejected manifest is an
// InputError; anything else that escapes, any crash, sanitizer report, leak, hang or
// runaway memory is a finding. An accepted manifest must also survive a save round trip.
#include "Session/Errors.h"
#include "Session/SessionManifest.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput (const uint8_t* data, size_t size)
{
    const std::string text (reinterpret_cast<const char*> (data), size);
    try
    {
        const auto session = cuegrid::SessionManifest::parse (text, "fuzz.cuegrid");
        // What was accepted must serialise (toJson throws on invalid UTF-8) and load again.
        const auto again = cuegrid::SessionManifest::parse (cuegrid::SessionManifest::toJson (session).dump (2), "again.cuegrid");
        (void) again;
    }
    catch (const cuegrid::InputError&)
    {
    }
    return 0;
}
