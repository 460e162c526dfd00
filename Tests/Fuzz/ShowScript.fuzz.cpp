// CueGrid — GPL-3.0-or-later
// libFuzzer harness: the show-script parser. A rejected script is an InputError; anything
// else that escapes, any crash, sanitizer report, leak, hang or runaway memory is a finding.
// An accepted script is also described command by command, with bar/step labels (--dump-events does that).
#include "Session/Errors.h"
#include "Session/ShowScript.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput (const uint8_t* data, size_t size)
{
    const std::string text (reinterpret_cast<const char*> (data), size);
    try
    {
        const auto script = cuegrid::parseShowScript (text, "fuzz-script.json");
        for (const auto& command : script.commands)
            (void) cuegrid::describeScriptCommand (command);
        (void) cuegrid::describePlan (script, {}, 48000.0);   // bar/step labels of every command
    }
    catch (const cuegrid::InputError&)
    {
    }
    return 0;
}
