// CueGrid — GPL-3.0-or-later
// libFuzzer harness: what `cuegrid analyze FILE --json OUT --report OUT` does per file:
// analyseFiles (scan, measures, detectors, classifier, gain plan), then the JSON document and
// the text report. A file that cannot be analysed comes back as an error track. Any
// exception, crash, sanitizer report, leak, hang or runaway memory is a finding.
#include "Analysis/AnalysisJson.h"
#include "Analysis/AnalysisReport.h"
#include "Analysis/SessionAnalysis.h"
#include "FuzzSupport.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput (const uint8_t* data, size_t size)
{
    static cuegrid::fuzz::InputFile input ("analysis");
    cuegrid::analysis::AnalysisConfig config;
    config.classifier = "cuegrid";   // the CLI's default
    const auto result = cuegrid::analysis::analyseFiles ({ input.write (data, size) }, config);
    if (result.tracks.size() != 1)
    {
        std::fprintf (stderr, "analyseFiles: %zu tracks for one file\n", result.tracks.size());
        std::abort();
    }
    (void) cuegrid::analysis::toJson (result, config).dump (2);
    (void) cuegrid::analysis::textReport (result, config, { "2026-01-01 00:00:00", "fuzz", config.classifier, false });
    return 0;
}
