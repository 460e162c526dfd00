// CueGrid — GPL-3.0-or-later
// session_bench: cost of loading a large session manifest (100 000 clips, 102 400 slots) and
// preparing a large show script (10^6 commands), each against a bare nlohmann::json::parse
// of the same text in the same run (the floor: any validating loader parses at least once).
// Before issue 7 both were quadratic (15 s and 224 s for 10^5 commands); the ratios show the
// price of positions for error messages and of validation. Not a test: prints numbers for
// docs/benchmarks.md.
#include "BenchSupport.h"
#include "Session/SessionManifest.h"
#include "Session/ShowScript.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <string>

using namespace cuegrid;

namespace
{
    std::string largeManifest()
    {
        std::string text = R"({"format": "cuegrid.session", "version": 1, "clips": [)";
        for (int i = 0; i < 100000; ++i)
            text += (i ? ",\n" : "") + std::string (R"({"id": "c)") + std::to_string (i) + R"(", "file": "media/c.wav", "group": "B", "gainDb": -3})";
        text += R"(], "pages": [)";
        for (int page = 0, clip = 0; page < 50; ++page)
        {
            text += (page ? ", " : "") + std::string (R"({"tabs": [)");
            for (int tab = 0; tab < 8; ++tab)
            {
                text += (tab ? ", " : "") + std::string (R"({"rows": 16, "columns": 16, "slots": [)");
                for (int slot = 0; slot < 256; ++slot, ++clip)
                    text += (slot ? ", " : "") + std::string (R"({"row": )") + std::to_string (slot / 16) + R"(, "column": )"
                            + std::to_string (slot % 16) + R"(, "clip": "c)" + std::to_string (clip % 100000) + "\"}";
                text += "]}";
            }
            text += "]}";
        }
        return text + "]}";
    }

    std::string largeScript()
    {
        std::string text = R"({"durationSec": 1000, "commands": [)";
        for (int i = 0; i < 1000000; ++i)
            text += (i ? ",\n" : "") + std::string (R"({"timeSec": )") + std::to_string (i * 1e-3)
                    + R"(, "type": "Trigger", "clip": "c)" + std::to_string (i % 100) + "\"}";
        return text + "]}";
    }
} // namespace

int main()
{
    const auto manifest = largeManifest();
    const auto bareManifest = bench::bestSeconds (3, [&] { volatile auto size = nlohmann::json::parse (manifest).size(); (void) size; });
    Session session;
    const auto loadManifest = bench::bestSeconds (3, [&] { session = SessionManifest::parse (manifest, "bench.cuegrid"); });
    std::printf ("manifest, 100 000 clips + 102 400 slots (%.1f MB): load %.3f s, bare JSON parse %.3f s, ratio %.2f\n",
                 (double) manifest.size() / 1e6, loadManifest, bareManifest, loadManifest / bareManifest);

    const auto script = largeScript();
    const auto bareScript = bench::bestSeconds (2, [&] { volatile auto size = nlohmann::json::parse (script).size(); (void) size; });
    const std::vector<ClipAudioPtr> media (session.clips.size());
    size_t planned = 0;
    const auto prepare = bench::bestSeconds (2, [&]
    {
        const auto parsed = parseShowScript (script, "bench.json");
        planned = resolveShowScript (parsed, session, media, 48000.0).commands.size();
    });
    std::printf ("script, 10^6 commands (%.1f MB): parse + validate + resolve %.3f s, bare JSON parse %.3f s, ratio %.2f (%zu plan entries)\n",
                 (double) script.size() / 1e6, prepare, bareScript, prepare / bareScript, planned);
    return 0;
}
