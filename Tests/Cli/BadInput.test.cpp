// CueGrid — GPL-3.0-or-later
// Every bad-input case of the CLI: the message says what and where, the exit code is the
// documented one, and nothing is written (an existing good output stays untouched).
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

using namespace cuegrid::test;

namespace
{
    struct Fixture
    {
        TemporaryFolder folder { "badinput" };
        std::filesystem::path session = folder / "show.cuegrid";
        std::filesystem::path script = folder / "script.json";
        std::filesystem::path output = folder / "out.wav";

        Fixture()
        {
            writeText (session, R"({"format": "cuegrid.session", "version": 1, "name": "Bad", "sampleRate": 44100,
  "clips": [
    {"id": "kick", "file": ")" + dataPath ("corpus/p01_sonicpi_heavy_kick.wav").string() + R"(", "group": "A"},
    {"id": "snare", "file": ")" + dataPath ("corpus/p03_colombo_snare.wav").string() + R"(", "group": "B"}
  ]})");
            writeText (script, R"({"durationSec": 1, "commands": [{"timeSec": 0.1, "type": "Trigger", "clip": "kick"},
                                                                  {"timeSec": 0.2, "type": "Trigger", "clip": "snare"}]})");
            writeText (output, "GOOD DATA");
        }

        CommandResult render (const std::string& extra = {}, const std::filesystem::path& out = {}) const
        {
            return run (quote (cliPath()) + " render " + quote (session.string()) + " --script " + quote (script.string())
                        + " --out " + quote ((out.empty() ? output : out).string()) + " " + extra);
        }

        bool outputUntouched() const { return readText (output) == "GOOD DATA"; }

        size_t fileCount() const
        {
            size_t count = 0;
            for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator (folder.path))
                ++count;
            return count;
        }
    };
} // namespace

TEST_CASE ("Malformed session: file, line, column, exit 2, nothing written", "[cli][errors]")
{
    Fixture f;
    writeText (f.session, "{\"format\": \"cuegrid.session\", \"version\": 1,\n \"clips\": [\n  {\"id\": \"kick\" \"file\": \"k.wav\"}]}");
    const auto result = f.render();
    CHECK (result.exitCode == 2);
    CHECK_THAT (result.output, Catch::Contains (f.session.string() + ":3:17: invalid JSON"));
    CHECK (f.outputUntouched());
    CHECK (f.fileCount() == 3);
}

TEST_CASE ("Malformed script: file, line, column, exit 2, nothing written", "[cli][errors]")
{
    Fixture f;
    writeText (f.script, "{\"durationSec\": 1,\n \"commands\": [\n  {\"timeSec\": 0.1, \"type\": \"Trigger\", \"clip\": \"kick\"},,\n]}");
    const auto result = f.render();
    CHECK (result.exitCode == 2);
    CHECK_THAT (result.output, Catch::Contains (f.script.string() + ":3:55: invalid JSON"));
    CHECK (f.outputUntouched());
}

TEST_CASE ("Script naming an unknown clip, a negative time or an unknown type is rejected with its index", "[cli][errors]")
{
    Fixture f;
    struct Case { std::string commands, expected; };
    for (const auto& c : { Case { R"([{"timeSec": 0.1, "type": "Trigger", "clip": "kick"}, {"timeSec": 0.3, "type": "Trigger", "clip": "tom"}])",
                                  "commands[1]: no clip with id \"tom\" in session \"Bad\"" },
                           Case { R"([{"timeSec": -1, "type": "Trigger", "clip": "kick"}])", "commands[0].timeSec: negative time" },
                           Case { R"([{"timeSec": 0, "type": "Stop", "clip": "kick"}, {"timeSec": 0, "type": "Trigger", "clip": "kick"}, {"timeSec": 1, "type": "Rewind"}])",
                                  "commands[2].type: unknown command type \"Rewind\"" } })
    {
        writeText (f.script, "{\"durationSec\": 2, \"commands\": " + c.commands + "}");
        const auto result = f.render();
        INFO (result.output);
        CHECK (result.exitCode == 2);
        CHECK_THAT (result.output, Catch::Contains (c.expected) && Catch::Contains (f.script.string() + ":1:"));
        CHECK (f.outputUntouched());
    }
}

TEST_CASE ("Missing or corrupt media is named per clip, render refuses with exit 3 unless --allow-missing", "[cli][errors]")
{
    Fixture f;
    writeText (f.folder / "corrupt.wav", "RIFF....WAVEfmt garbage");
    writeText (f.session, R"({"format": "cuegrid.session", "version": 1, "name": "Bad", "sampleRate": 44100, "clips": [
        {"id": "kick", "file": ")" + dataPath ("corpus/p01_sonicpi_heavy_kick.wav").string() + R"("},
        {"id": "snare", "file": "media/gone.wav"},
        {"id": "tom", "file": "corrupt.wav"}]})");

    const auto refused = f.render();
    CHECK (refused.exitCode == 3);
    CHECK_THAT (refused.output, Catch::Contains ("clip 'snare' (media/gone.wav): file not found"));
    CHECK_THAT (refused.output, Catch::Contains ("clip 'tom' (corrupt.wav): cannot decode"));
    CHECK_THAT (refused.output, ! Catch::Contains ("clip 'kick'"));
    CHECK (f.outputUntouched());

    const auto allowed = f.render ("--allow-missing");
    INFO (allowed.output);
    CHECK (allowed.exitCode == 0);
    CHECK_THAT (allowed.output, Catch::Contains ("commands[1]: clip \"snare\" has no media; trigger skipped"));
    const auto audio = readAudio (f.output);  // the rest of the session still plays
    float peak = 0;
    for (auto s : audio.channels[0]) peak = std::max (peak, std::abs (s));
    CHECK (peak > 0.1f);

    const auto info = run (quote (cliPath()) + " info " + quote (f.session.string()));
    CHECK (info.exitCode == 3);
    CHECK_THAT (info.output, Catch::Contains ("MISSING: file not found"));
}

TEST_CASE ("Unwritable output: clear error, exit 4, no partial file", "[cli][errors]")
{
    Fixture f;
    const auto noFolder = f.render ({}, f.folder / "no-such-folder" / "out.wav");
    CHECK (noFolder.exitCode == 4);
    CHECK_THAT (noFolder.output, Catch::Contains ("no-such-folder/out.wav: folder ") && Catch::Contains ("does not exist"));

    const auto notAFolder = f.render ({}, f.output / "out.wav");  // out.wav is a file
    CHECK (notAFolder.exitCode == 4);
    CHECK_THAT (notAFolder.output, Catch::Contains ("out.wav/out.wav"));

    const auto isAFolder = f.render ({}, f.folder.path);
    CHECK (isAFolder.exitCode == 4);
    CHECK_THAT (isAFolder.output, Catch::Contains ("is a folder, not a file"));

    CHECK (f.outputUntouched());
    CHECK (f.fileCount() == 3);  // no temporary left behind
}

TEST_CASE ("A successful render replaces the output atomically and leaves no temporary", "[cli]")
{
    Fixture f;
    const auto result = f.render ("--format s24 --event-log " + quote ((f.folder / "events.ndjson").string()));
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    CHECK_FALSE (f.outputUntouched());
    const auto audio = readAudio (f.output);
    CHECK (audio.frames() == 44100);
    CHECK (f.fileCount() == 4);  // session, script, out.wav, events.ndjson
    const auto events = readText (f.folder / "events.ndjson");
    CHECK_THAT (events, Catch::Contains (R"({"event":"voiceStart","sample":4410,"timeSec":0.1,"clip":"kick","group":"A","voice":0)"));
    CHECK_THAT (events, Catch::Contains (R"("event":"voiceEnd")"));
}

TEST_CASE ("Usage errors exit 2", "[cli][errors]")
{
    CHECK (run (quote (cliPath()) + " render").exitCode == 2);
    CHECK (run (quote (cliPath()) + " frobnicate").exitCode == 2);
    CHECK (run (quote (cliPath()) + " render a --script b --out c --format mp3").exitCode == 2);
    CHECK (run (quote (cliPath()) + " info /nonexistent/show.cuegrid").exitCode == 2);
}
