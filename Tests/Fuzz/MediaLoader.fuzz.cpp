// CueGrid — GPL-3.0-or-later
// libFuzzer harness: opening media (WAV, AIFF, FLAC, Ogg, ...) as a clip at 48 kHz.
// loadMedia never throws: a bad file comes back with an error. Any exception, crash,
// sanitizer report, leak, hang or runaway memory is a finding.
#include "FuzzSupport.h"
#include "Session/MediaLoader.h"

#include <cstdint>
#include <cstdlib>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput (const uint8_t* data, size_t size)
{
    static cuegrid::fuzz::InputFile input ("media");
    const auto result = cuegrid::loadMedia (input.write (data, size), 48000.0);
    // Exactly one of audio and error.
    if ((result.audio == nullptr) == result.error.empty())
    {
        std::fprintf (stderr, "loadMedia: audio %s but error \"%s\"\n", result.audio ? "set" : "null", result.error.c_str());
        std::abort();
    }
    return 0;
}
