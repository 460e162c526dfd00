// CueGrid — GPL-3.0-or-later
// Issue 10, test 1: streaming is invisible in the output. `cuegrid render` of the v2 show with
// every file long enough to stream (CUEGRID_STREAM_MIN_SECONDS=0; the 44.1 kHz
// ones through converted copies) and a 1 MiB chunk budget (the
// readers evict all the time) writes the same bytes, file and event log, as with every clip
// decoded whole, at two block sizes.
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

using namespace cuegrid::test;

TEST_CASE ("cuegrid render of the v2 show with its media streamed from disk is bit-identical to the render with its media in memory", "[cli][render][streaming]")
{
    TemporaryFolder folder ("streamed-render");
    std::string lastOutput;
    auto render = [&] (const std::string& name, const std::string& environment, int blockSize)
    {
        const auto result = run (environment + " " + quote (cliPath()) + " render " + quote (dataPath ("sessions/show-v2.cuegrid").string())
                                 + " --script " + quote (dataPath ("sessions/show-v2-script.json").string()) + " --out "
                                 + quote ((folder / (name + ".wav")).string()) + " --channels 6 --meters --block-size "
                                 + std::to_string (blockSize) + " --event-log " + quote ((folder / (name + ".ndjson")).string()));
        INFO (result.output);
        REQUIRE (result.exitCode == 0);
        lastOutput = result.output;
        return std::make_pair (readText (folder / (name + ".wav")), readText (folder / (name + ".ndjson")));
    };
    for (const int blockSize : { 128, 1031 })
    {
        INFO ("block size " << blockSize);
        const auto resident = render ("resident", "CUEGRID_STREAM_MIN_SECONDS=100000", blockSize);
        const auto streamed = render ("streamed", "CUEGRID_STREAM_MIN_SECONDS=0 CUEGRID_MEDIA_CACHE_MB=1", blockSize);
        REQUIRE (resident.first.size() > (size_t) 408000 * 6 * 4);
        CHECK (lastOutput.find ("clips stream from disk") != std::string::npos);
        CHECK ((streamed.first == resident.first));
        CHECK ((streamed.second == resident.second));
        CHECK (streamed.second.find ("underrun") == std::string::npos);
    }
}
