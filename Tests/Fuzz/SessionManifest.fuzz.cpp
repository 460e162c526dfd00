// CueGrid — GPL-3.0-or-later
// libFuzzer harness: the session manifest loader (*.cuegrid). A rejected manifest is an
// InputError; anything else that escapes, any crash, sanitizer report, leak, hang or
// runaway memory is a finding. An accepted manifest must also survive a save round trip,
// and save → load → save must give the same manifest.
#include "Session/Errors.h"
#include "Session/SessionManifest.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput (const uint8_t* data, size_t size)
{
    const std::string text (reinterpret_cast<const char*> (data), size);
    try
    {
        const auto session = cuegrid::SessionManifest::parse (text, "fuzz.cuegrid");
        // What was accepted must serialise (toJson throws on invalid UTF-8) and load again.
        const auto saved = cuegrid::SessionManifest::toJson (session).dump (2);
        const auto again = cuegrid::SessionManifest::parse (saved, "again.cuegrid");
        if (cuegrid::SessionManifest::toJson (again).dump (2) != saved)
        {
            std::fputs ("save -> load -> save changed the manifest\n", stderr);
            std::abort();
        }
    }
    catch (const cuegrid::InputError&)
    {
    }
    return 0;
}
