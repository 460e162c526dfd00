// CueGrid — GPL-3.0-or-later
// The bad-input table of issue 7: every input a hostile user found to crash, hang, blow up
// memory, give a silent wrong result or overwrite a user's file. Each row runs the real CLI
// under a memory limit (prlimit) and a time limit (timeout), and checks the exit code, the
// message, the time taken and that no file in the folder changed unless the row expects it.
// The analysis report wraps at 100 columns, so its rows look for words, not whole sentences.
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>
#include <sndfile.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

using namespace cuegrid::test;

namespace
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    constexpr bool sanitized = true;   // sanitizers reserve terabytes of address space: no --as limit
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
    constexpr bool sanitized = true;
#else
    constexpr bool sanitized = false;
#endif
#else
    constexpr bool sanitized = false;
#endif

    void writeBytes (const std::filesystem::path& file, const std::string& bytes)
    {
        std::ofstream stream (file, std::ios::binary);
        stream << bytes;
    }

    std::string le32 (uint32_t v) { return std::string ({ (char) (v & 255), (char) (v >> 8 & 255), (char) (v >> 16 & 255), (char) (v >> 24 & 255) }); }
    std::string le16 (uint16_t v) { return std::string ({ (char) (v & 255), (char) (v >> 8 & 255) }); }
    std::string be32 (uint32_t v) { return std::string ({ (char) (v >> 24 & 255), (char) (v >> 16 & 255), (char) (v >> 8 & 255), (char) (v & 255) }); }
    std::string be16 (uint16_t v) { return std::string ({ (char) (v >> 8 & 255), (char) (v & 255) }); }

    /** A 16-bit PCM WAV whose header says `rate`, `channels`, and `claimedBytes` of data
        (more than it holds: a truncated file). */
    void writeWav (const std::filesystem::path& file, uint32_t rate, uint16_t channels, uint32_t frames, uint32_t claimedBytes = 0)
    {
        const uint32_t blockAlign = channels * 2u, bytes = frames * blockAlign;
        std::string data (bytes, '\0');
        for (uint32_t i = 0; i + 1 < bytes; i += 2)
            data[i + 1] = (char) ((i / 2) % 64);  // not silence
        const auto claimed = claimedBytes != 0 ? claimedBytes : bytes;
        writeBytes (file, "RIFF" + le32 (36 + claimed) + "WAVEfmt " + le32 (16) + le16 (1) + le16 (channels) + le32 (rate)
                              + le32 (rate * blockAlign) + le16 ((uint16_t) blockAlign) + le16 (16) + "data" + le32 (claimed) + data);
    }

    /** An AIFF whose COMM chunk says `rate` (80-bit extended float). */
    void writeAiff (const std::filesystem::path& file, double rate, uint32_t frames)
    {
        int exponent = 0;
        const auto mantissa = std::frexp (rate, &exponent);  // rate = m·2^e, 0.5 ≤ m < 1
        const auto bits = (uint64_t) std::ldexp (mantissa, 64);
        std::string extended = be16 ((uint16_t) (exponent - 1 + 16383));
        for (int shift = 56; shift >= 0; shift -= 8)
            extended += (char) (bits >> shift & 255);
        const std::string sound (frames * 4, '\0');
        const auto comm = "COMM" + be32 (18) + be16 (2) + be32 (frames) + be16 (16) + extended;
        const auto ssnd = "SSND" + be32 (8 + (uint32_t) sound.size()) + be32 (0) + be32 (0) + sound;
        const auto body = "AIFF" + comm + ssnd;
        writeBytes (file, "FORM" + be32 ((uint32_t) body.size()) + body);
    }

    /** A short FLAC made by sox, whose STREAMINFO is patched to claim 2^36 - 1 frames. */
    void writeLyingFlac (const std::filesystem::path& file)
    {
        REQUIRE (run ("sox -n -r 48000 -c 1 -b 16 " + quote (file.string()) + " synth 0.1 sine 300").exitCode == 0);
        auto bytes = readText (file);
        REQUIRE (bytes.substr (0, 4) == "fLaC");
        // STREAMINFO data starts at byte 8; its total-samples field is the low 36 bits of bytes 18–25.
        uint64_t packed = 0;
        for (int i = 0; i < 8; ++i) packed = packed << 8 | (unsigned char) bytes[(size_t) (18 + i)];
        packed |= ((uint64_t) 1 << 36) - 1;
        for (int i = 7; i >= 0; --i, packed >>= 8) bytes[(size_t) (18 + i)] = (char) (packed & 255);
        writeBytes (file, bytes);
    }

    /** Snapshot of every file under a folder (path → size and contents), to prove nothing changed. */
    std::map<std::string, std::string> snapshot (const std::filesystem::path& folder)
    {
        std::map<std::string, std::string> files;
        for (const auto& entry : std::filesystem::recursive_directory_iterator (folder, std::filesystem::directory_options::skip_permission_denied))
        {
            std::error_code code;
            if (entry.is_symlink (code))
                files[entry.path().string()] = "link:" + std::filesystem::read_symlink (entry.path(), code).string();
            else if (entry.is_regular_file (code))
                files[entry.path().string()] = entry.file_size() < (1 << 24) ? readText (entry.path()) : std::to_string (entry.file_size());
            else
                files[entry.path().string()] = "special";
        }
        return files;
    }

    struct Limited
    {
        CommandResult result;
        double seconds = 0.0;
        long maxResidentMb = 0;
    };

    /** Runs the CLI with `arguments` under an address-space limit and a time limit; measures
        the wall time and the peak resident memory (GNU time). Exit 124 = killed by timeout. */
    Limited runLimited (const std::string& arguments, long memoryMb, int timeoutSec, const std::filesystem::path& folder)
    {
        const auto timing = folder / "time.txt";
        std::string command = "/usr/bin/time -o " + quote (timing.string()) + " -f %M ";
        if (! sanitized)
            command += "prlimit --as=" + std::to_string (memoryMb * 1024 * 1024) + " ";
        command += "timeout -s KILL " + std::to_string (timeoutSec) + " " + quote (cliPath()) + " " + arguments;
        Limited limited;
        const auto started = std::chrono::steady_clock::now();
        limited.result = run (command);
        limited.seconds = std::chrono::duration<double> (std::chrono::steady_clock::now() - started).count();
        std::ifstream stream (timing);
        std::string line;
        while (std::getline (stream, line))
            if (! line.empty() && std::isdigit ((unsigned char) line[0]))
                limited.maxResidentMb = std::stol (line) / 1024;
        std::filesystem::remove (timing);
        return limited;
    }

    std::string sessionWith (const std::vector<std::pair<std::string, std::string>>& clips, const std::string& extra = {})
    {
        std::string text = R"({"format": "cuegrid.session", "version": 1, "sampleRate": 48000, )" + extra + R"("clips": [)";
        for (size_t i = 0; i < clips.size(); ++i)
            text += (i ? ", " : "") + std::string (R"({"id": ")") + clips[i].first + R"(", "file": ")" + clips[i].second + R"("})";
        return text + "]}";
    }

    struct Case
    {
        std::string name;
        std::function<void (const std::filesystem::path&)> setup;
        std::string arguments;       // {} is replaced by the case's folder
        int exitCode;
        std::vector<std::string> messages;  // each must appear in the output
        long memoryMb = 1024;        // address-space limit
        int timeoutSec = 30;
        std::vector<std::string> changes;   // files (relative) the command may create or change
    };

    std::string expand (std::string text, const std::filesystem::path& folder)
    {
        for (size_t at; (at = text.find ("{}")) != std::string::npos;)
            text.replace (at, 2, quote (folder.string()).substr (1, quote (folder.string()).size() - 2));
        return text;
    }

    const std::string okClip = "ok.wav";
    const std::string goodScript = R"({"durationSec": 0.5, "commands": [{"timeSec": 0, "type": "Trigger", "clip": "ok"}]})";

    void goodShow (const std::filesystem::path& folder)
    {
        writeWav (folder / okClip, 48000, 2, 4800);
        writeText (folder / "show.cuegrid", sessionWith ({ { "ok", okClip } }));
        writeText (folder / "script.json", goodScript);
    }

    std::vector<Case> cases()
    {
        std::vector<Case> table;
        // --- Malformed JSON: file:line:column, exit 2, bounded memory -------------------------
        table.push_back ({ "JSON nested 100 000 levels", [] (auto& d) { writeText (d / "s.cuegrid", std::string (100000, '[') + std::string (100000, ']')); },
                           "info {}/s.cuegrid", 2, { "s.cuegrid:1:65: nested more than 64 levels deep" }, 256 });
        table.push_back ({ "a number beyond a double (1e400)", [] (auto& d) { writeText (d / "s.cuegrid", "{\"format\": \"cuegrid.session\",\n \"version\": 1, \"sampleRate\": 1e400}"); },
                           "info {}/s.cuegrid", 2, { "s.cuegrid:2:30: invalid JSON: number overflow parsing '1e400'" } });
        table.push_back ({ "version 1e300", [] (auto& d) { writeText (d / "s.cuegrid", R"({"format": "cuegrid.session", "version": 1e300})"); },
                           "info {}/s.cuegrid", 2, { "s.cuegrid:1:42: version: version 1e+300" } });
        table.push_back ({ "rows 1e12", [] (auto& d) { writeText (d / "s.cuegrid", R"({"format": "cuegrid.session", "version": 1, "pages": [{"tabs": [{"rows": 1e12}]}]})"); },
                           "info {}/s.cuegrid", 2, { "pages[0].tabs[0].rows: must be a whole number from 1 to 16" } });
        table.push_back ({ "durationSec 1e12", [] (auto& d) { goodShow (d); writeText (d / "script.json", R"({"durationSec": 1e12, "commands": []})"); },
                           "render {}/show.cuegrid --script {}/script.json --out {}/out.wav", 2, { "script.json:1:17: durationSec: must be greater than 0 and at most 86400 s" } });
        table.push_back ({ "timeSec 1e15", [] (auto& d) { goodShow (d); writeText (d / "script.json", R"({"durationSec": 1, "commands": [{"timeSec": 1e15, "type": "StopAll"}]})"); },
                           "render {}/show.cuegrid --script {}/script.json --out {}/out.wav", 2, { "commands[0].timeSec: time", "beyond the longest show" } });
        table.push_back ({ "timeSec 1e300", [] (auto& d) { goodShow (d); writeText (d / "script.json", R"({"durationSec": 1, "commands": [{"timeSec": 1e300, "type": "StopAll"}]})"); },
                           "render {}/show.cuegrid --script {}/script.json --out {}/out.wav", 2, { "beyond the longest show" } });
        // --- Media: regular files only, rates 8–384 kHz, no allocation from a header's claim --
        table.push_back ({ "a one-frame 192 kHz WAV in a 48 kHz session", [] (auto& d) {
                               writeWav (d / "one.wav", 192000, 2, 1);
                               writeText (d / "show.cuegrid", sessionWith ({ { "one", "one.wav" } }));
                               writeText (d / "script.json", R"({"durationSec": 0.1, "commands": [{"timeSec": 0, "type": "Trigger", "clip": "one"}]})"); },
                           "render {}/show.cuegrid --script {}/script.json --out {}/out.wav", 0, { "rendered 0.1 s" }, 1024, 30, { "out.wav" } });
        table.push_back ({ "a WAV whose header says 1 Hz", [] (auto& d) { writeWav (d / "slow.wav", 1, 1, 100000); writeText (d / "show.cuegrid", sessionWith ({ { "slow", "slow.wav" } })); },
                           "info {}/show.cuegrid", 3, { "slow.wav: sample rate 1 Hz is outside 8000 to 384000 Hz" }, 512 });
        table.push_back ({ "a 614-byte AIFF at 800 MHz", [] (auto& d) { writeAiff (d / "fast.aiff", 800e6, 140); writeText (d / "show.cuegrid", sessionWith ({ { "fast", "fast.aiff" } })); },
                           "info {}/show.cuegrid", 3, { "fast.aiff: sample rate 800000000 Hz is outside 8000 to 384000 Hz" }, 512 });
        table.push_back ({ "a FLAC whose header claims 2^36 frames plays what it holds", [] (auto& d) { writeLyingFlac (d / "liar.flac"); writeText (d / "show.cuegrid", sessionWith ({ { "liar", "liar.flac" } })); },
                           "info {}/show.cuegrid", 0, { "liar.flac  [FLAC 16-bit, 1 ch, 48000.0 Hz, 0.10 s]", "truncated file: the header promises 68719476735 frames, 4800 could be decoded" }, 512 });
        table.push_back ({ "a FLAC whose header claims 2^36 frames is one analysis error", [] (auto& d) { writeLyingFlac (d / "liar.flac"); },
                           "analyze {}/liar.flac", 0, { "truncated file (4800 of 68719476735 frames decoded)" }, 512 });
        table.push_back ({ "a FIFO named as media", [] (auto& d) { ::mkfifo ((d / "pipe.wav").c_str(), 0644); writeText (d / "show.cuegrid", sessionWith ({ { "pipe", "pipe.wav" } })); },
                           "info {}/show.cuegrid", 3, { "pipe.wav is a FIFO (named pipe), not a media file" }, 512, 10 });
        table.push_back ({ "a FIFO given to analyze", [] (auto& d) { goodShow (d); ::mkfifo ((d / "pipe.wav").c_str(), 0644); },
                           "analyze {}", 0, { "FILES WITH ERRORS", "pipe.wav", "FIFO", "ok.wav  " }, 1024, 10 });
        table.push_back ({ "a truncated WAV plays what it holds, with a warning", [] (auto& d) {
                               writeWav (d / "cut.wav", 48000, 2, 48000, 48000 * 4 * 2);
                               writeText (d / "show.cuegrid", sessionWith ({ { "cut", "cut.wav" } })); },
                           "info {}/show.cuegrid", 0, { "warning: clip 'cut' (cut.wav): truncated file: 1.000 s (48000 frames) of audio the header promises are missing" } });
        table.push_back ({ "a 1024-channel WAV analysed in bounded memory", [] (auto& d) { writeWav (d / "wide.wav", 48000, 1024, 2000); },
                           "analyze {}/wide.wav", 0, { "wide.wav" }, 2048 });
        table.push_back ({ "analysis option out of range (--target_peak 5)", goodShow, "analyze {}/ok.wav --target_peak 5", 2, { "--target_peak: Value 5 not in range" } });
        table.push_back ({ "a symlink loop inside an analysed folder is one file's problem", [] (auto& d) {
                               goodShow (d);
                               std::filesystem::create_symlink ("loop.wav", d / "loop.wav"); },
                           "analyze {}", 0, { "FILES WITH ERRORS", "loop.wav", "symbolic", "ok.wav  " } });
        // --- Outputs may not replace the run's own files: exit 4, nothing written -------------
        const auto render = std::string ("render {}/show.cuegrid --script {}/script.json ");
        table.push_back ({ "render --out naming the session", goodShow, render + "--out {}/show.cuegrid", 4, { "refused as the output of --out: it is the session" } });
        table.push_back ({ "render --out naming a clip's media", goodShow, render + "--out {}/ok.wav", 4, { "refused as the output of --out: it is the media of clip 'ok'" } });
        table.push_back ({ "render --out naming the script through a symlink", [] (auto& d) { goodShow (d); std::filesystem::create_symlink ("script.json", d / "link.wav"); },
                           render + "--out {}/link.wav", 4, { "it is the show script" } });
        table.push_back ({ "render --event-log naming the session", goodShow, render + "--out {}/out.wav --event-log {}/show.cuegrid", 4, { "refused as the output of --event-log: it is the session" } });
        table.push_back ({ "render --event-log naming --out", goodShow, render + "--out {}/out.wav --event-log {}/out.wav", 4, { "it is also the output of --out" } });
        table.push_back ({ "render --event-log naming a FIFO", [] (auto& d) { goodShow (d); ::mkfifo ((d / "pipe").c_str(), 0644); },
                           render + "--out {}/out.wav --event-log {}/pipe", 4, { "pipe: is a FIFO (named pipe), not a file" } });
        table.push_back ({ "render --out naming a device", goodShow, render + "--out /dev/null", 4, { "/dev/null: is a character device, not a file" } });
        table.push_back ({ "render --out through a symlink loop", [] (auto& d) { goodShow (d); std::filesystem::create_symlink ("loop.wav", d / "loop.wav"); },
                           render + "--out {}/loop.wav", 4, { "loop.wav: cannot follow the symlink" } });
        table.push_back ({ "analyze --json naming an analysed file", goodShow, "analyze {}/ok.wav --json {}/ok.wav", 4, { "refused as the output of --json: it is an analysed file" } });
        table.push_back ({ "analyze --report naming the session", goodShow, "analyze {}/show.cuegrid --report {}/show.cuegrid", 4, { "refused as the output of --report: it is the session" } });
        table.push_back ({ "analyze --json and --report naming one file", goodShow, "analyze {}/ok.wav --json {}/a.txt --report {}/a.txt", 4, { "it is also the output of --json" } });
        return table;
    }
} // namespace

TEST_CASE ("Hostile inputs: each gets its exit code and message in bounded time and memory, and changes no file", "[cli][errors][hostile]")
{
    for (const auto& row : cases())
    {
        DYNAMIC_SECTION (row.name)
        {
            TemporaryFolder folder ("hostile");
            row.setup (folder.path);
            const auto before = snapshot (folder.path);
            const auto limited = runLimited (expand (row.arguments, folder.path), row.memoryMb, row.timeoutSec, folder.path);
            INFO (row.name << "\n" << limited.result.output);
            CHECK (limited.result.exitCode == row.exitCode);
            CHECK (limited.seconds < row.timeoutSec);
            if (! sanitized)
                CHECK (limited.maxResidentMb < row.memoryMb);
            for (const auto& message : row.messages)
                CHECK_THAT (limited.result.output, Catch::Contains (message));
            auto after = snapshot (folder.path);
            for (const auto& allowed : row.changes)
                after.erase ((folder / allowed).string());
            for (const auto& [path, contents] : before)
            {
                INFO ("file " << path);
                REQUIRE (after.count (path) == 1);
                CHECK (after.at (path) == contents);
            }
            CHECK (after.size() == before.size());  // nothing new (no temporary left behind)
        }
    }
}

TEST_CASE ("A script of 10^6 commands prepares and renders in seconds", "[cli][errors][hostile]")
{
    TemporaryFolder folder ("hostile-script");
    goodShow (folder.path);
    std::string script = R"({"durationSec": 100, "commands": [)";
    for (int i = 0; i < 1000000; ++i)
        script += (i ? ",\n" : "") + std::string (R"({"timeSec": )") + std::to_string (i * 1e-4) + R"(, "type": "SetParam", "target": "master:gainDb", "value": -)"
                  + std::to_string (i % 12) + "}";
    writeText (folder / "script.json", script + "]}");
    const auto limited = runLimited (expand ("render {}/show.cuegrid --script {}/script.json --out {}/out.wav", folder.path), 4096, 120, folder.path);
    INFO (limited.result.output);
    CHECK (limited.result.exitCode == 0);
    WARN ("10^6 commands: " << limited.seconds << " s, " << limited.maxResidentMb << " MB peak");
    CHECK (limited.seconds < 60);   // quadratic preparation took over 10 minutes
}

TEST_CASE ("100 000 clips on one media file load once, in bounded memory", "[cli][errors][hostile]")
{
    TemporaryFolder folder ("hostile-clips");
    writeWav (folder / "ok.wav", 48000, 2, 24000);
    std::string text = R"({"format": "cuegrid.session", "version": 1, "clips": [)";
    for (int i = 0; i < 100000; ++i)
        text += (i ? ",\n" : "") + std::string (R"({"id": "c)") + std::to_string (i) + R"(", "file": "ok.wav"})";
    text += R"(], "pages": [)";
    for (int page = 0, clip = 0; page < 50; ++page)
    {
        text += (page ? ", " : "") + std::string (R"({"tabs": [)");
        for (int tab = 0; tab < 8; ++tab)
        {
            text += (tab ? ", " : "") + std::string (R"({"rows": 16, "columns": 16, "slots": [)");
            for (int slot = 0; slot < 256 && clip < 100000; ++slot, ++clip)
                text += (slot ? ", " : "") + std::string (R"({"row": )") + std::to_string (slot / 16) + R"(, "column": )"
                        + std::to_string (slot % 16) + R"(, "clip": "c)" + std::to_string (clip) + "\"}";
            text += "]}";
        }
        text += "]}";
    }
    writeText (folder / "show.cuegrid", text + "]}");
    const auto limited = runLimited (expand ("info {}/show.cuegrid", folder.path), 2048, 60, folder.path);
    CHECK (limited.result.exitCode == 0);
    CHECK_THAT (limited.result.output, Catch::Contains ("Clips:       100000"));
    WARN ("100 000 clips: " << limited.seconds << " s, " << limited.maxResidentMb << " MB peak");
    CHECK (limited.maxResidentMb < 1024);   // was 18 GB: every clip decoded its own copy
}

TEST_CASE ("A replaced render keeps the permissions and the symlink of what it replaces", "[cli][outputs]")
{
    TemporaryFolder folder ("hostile-perms");
    goodShow (folder.path);
    writeText (folder / "target.wav", "old");
    ::chmod ((folder / "target.wav").c_str(), 0600);
    std::filesystem::create_symlink ("target.wav", folder / "link.wav");
    const auto result = run (quote (cliPath()) + " render " + quote ((folder / "show.cuegrid").string()) + " --script "
                             + quote ((folder / "script.json").string()) + " --out " + quote ((folder / "link.wav").string()));
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    CHECK (std::filesystem::is_symlink (folder / "link.wav"));
    CHECK (readAudio (folder / "target.wav").frames() == 24000);
    struct stat status {};
    REQUIRE (::stat ((folder / "target.wav").c_str(), &status) == 0);
    CHECK ((status.st_mode & 0777) == 0600);
}

TEST_CASE ("An interrupted render leaves no temporary file, and an ignored signal stays ignored", "[cli][outputs]")
{
    TemporaryFolder folder ("hostile-interrupt");
    goodShow (folder.path);
    writeText (folder / "script.json", R"({"durationSec": 86400, "commands": [{"timeSec": 0, "type": "Trigger", "clip": "ok"}]})");
    const auto command = quote (cliPath()) + " render " + quote ((folder / "show.cuegrid").string()) + " --script "
                         + quote ((folder / "script.json").string()) + " --out " + quote ((folder / "out.wav").string());
    // Job control (set -m): a background job of a non-interactive shell ignores SIGINT, and a
    // signal the caller ignores must stay ignored (nohup); Ctrl-C reaches a job that has it.
    const auto result = run ("bash -c " + quote ("set -m; " + command + " & pid=$!; sleep 1; kill -INT $pid; wait $pid; echo exit=$?"));
    INFO (result.output);
    CHECK_THAT (result.output, Catch::Contains ("exit=130"));   // died of SIGINT, as before
    for (const auto& entry : std::filesystem::directory_iterator (folder.path))
        CHECK (entry.path().filename().string().find (".tmp-") == std::string::npos);
    CHECK_FALSE (std::filesystem::exists (folder / "out.wav"));

    // nohup-style: a SIGHUP the caller ignores does not end the (24 h) render; SIGTERM does.
    const auto ignored = run ("bash -c " + quote ("trap '' HUP; " + command + " & pid=$!; sleep 0.5; kill -HUP $pid; sleep 0.3; "
                                                  "kill -0 $pid && echo alive; kill -TERM $pid; wait $pid; echo exit=$?"));
    INFO (ignored.output);
    CHECK_THAT (ignored.output, Catch::Contains ("alive") && Catch::Contains ("exit=143"));
    for (const auto& entry : std::filesystem::directory_iterator (folder.path))
        CHECK (entry.path().filename().string().find (".tmp-") == std::string::npos);
}

TEST_CASE ("A render past 4 GiB is written as RF64 that reads back whole", "[cli][outputs][slow]")
{
    TemporaryFolder folder ("hostile-rf64");
    goodShow (folder.path);
    // 3.2 h of float stereo at 48 kHz: 4.42 GB of data, past the RIFF size field.
    writeText (folder / "script.json", R"({"durationSec": 11520, "commands": [{"timeSec": 11519, "type": "Trigger", "clip": "ok"}]})");
    const auto space = std::filesystem::space (folder.path);
    if (space.available < (uintmax_t) 6 << 30)
    {
        WARN ("skipped: less than 6 GiB free for a 4.4 GB render");
        SUCCEED();
        return;
    }
    const auto out = folder / "long.wav";
    const auto result = run (quote (cliPath()) + " render " + quote ((folder / "show.cuegrid").string()) + " --script "
                             + quote ((folder / "script.json").string()) + " --out " + quote (out.string()));
    INFO (result.output);
    REQUIRE (result.exitCode == 0);
    CHECK_THAT (result.output, Catch::Contains ("RF64"));
    SF_INFO info {};
    auto* sound = sf_open (out.c_str(), SFM_READ, &info);
    REQUIRE (sound != nullptr);
    CHECK ((info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_RF64);
    CHECK (info.frames == (sf_count_t) 11520 * 48000);
    // The trigger at 11519 s is really at the end of the file: the header did not wrap.
    std::vector<float> frame (2 * 4800);
    sf_seek (sound, (sf_count_t) 11519 * 48000, SEEK_SET);
    CHECK (sf_readf_float (sound, frame.data(), 4800) == 4800);
    sf_close (sound);
    float peak = 0.0f;
    for (auto sample : frame) peak = std::max (peak, std::abs (sample));
    CHECK (peak > 0.01f);
    std::filesystem::remove (out);
}

TEST_CASE ("An unreadable subfolder inside an analysed folder is one file's problem", "[cli][errors][hostile]")
{
    TemporaryFolder folder ("hostile-unreadable");
    goodShow (folder.path);
    std::filesystem::create_directory (folder / "locked");
    writeWav (folder / "locked" / "hidden.wav", 48000, 2, 4800);
    ::chmod ((folder / "locked").c_str(), 0);
    // Root reads any folder: drop to nobody for the run, as an operator's account would be.
    const auto asUser = ::geteuid() == 0 ? std::string ("setpriv --reuid=nobody --regid=nogroup --clear-groups ") : std::string();
    const auto result = run (asUser + quote (cliPath()) + " analyze --recursive " + quote (folder.path.string()));
    ::chmod ((folder / "locked").c_str(), 0755);
    INFO (result.output);
    CHECK (result.exitCode == 0);
    CHECK_THAT (result.output, Catch::Contains ("FILES WITH ERRORS") && Catch::Contains ("locked: cannot read")
                                   && Catch::Contains ("Permission") && Catch::Contains ("ok.wav  "));
}

TEST_CASE ("100 000 clips with their own gains: the last clip starts on time at its gain", "[cli][hostile][render]")
{
    // The session's clip gains reach the engine as one table: per-clip commands overflowed
    // the 8192-command FIFO, so a trigger at time 0 started 6144 samples late.
    TemporaryFolder folder ("hostile-gains");
    writeWav (folder / "ok.wav", 48000, 1, 4800);
    std::string text = R"({"format": "cuegrid.session", "version": 1, "clips": [)";
    for (int i = 0; i < 100000; ++i)
        text += (i ? ",\n" : "") + std::string (R"({"id": "c)") + std::to_string (i) + R"(", "file": "ok.wav", "gainDb": )"
                + (i == 99999 ? "-6.0206" : "-20") + "}";
    writeText (folder / "show.cuegrid", text + "]}");
    writeText (folder / "script.json", R"({"durationSec": 0.1, "commands": [{"timeSec": 0, "type": "Trigger", "clip": "c99999"}]})");
    const auto result = run (quote (cliPath()) + " render " + quote ((folder / "show.cuegrid").string()) + " --script "
                             + quote ((folder / "script.json").string()) + " --out " + quote ((folder / "out.wav").string())
                             + " --dump-events --block-size 64");
    INFO (result.output.substr (0, 2000));
    REQUIRE (result.exitCode == 0);
    CHECK_THAT (result.output, Catch::Contains (R"({"event":"voiceStart","sample":0,)"));
    CHECK_THAT (result.output, ! Catch::Contains ("commandLate"));
    const auto source = readAudio (folder / "ok.wav");
    const auto out = readAudio (folder / "out.wav");
    REQUIRE (out.frames() == 4800);
    for (size_t i = 100; i < 4700; i += 97)   // away from the 1 ms protection fades
        CHECK (out.channels[0][i] == Approx (source.channels[0][i] * 0.5f).margin (1e-4));
}

TEST_CASE ("A render whose event log fills the disk leaves no partial file and keeps the old log", "[cli][outputs]")
{
    if (::geteuid() != 0)
    {
        WARN ("skipped: mounting a small tmpfs needs root");
        SUCCEED();
        return;
    }
    TemporaryFolder folder ("hostile-fulldisk");
    goodShow (folder.path);
    const auto disk = folder / "disk";
    std::filesystem::create_directory (disk);
    if (run ("mount -t tmpfs -o size=16k tmpfs " + quote (disk.string())).exitCode != 0)
    {
        WARN ("skipped: cannot mount a tmpfs here");
        SUCCEED();
        return;
    }
    struct Unmount { std::filesystem::path path; ~Unmount() { run ("umount " + quote (path.string())); } } unmount { disk };
    writeText (disk / "events.ndjson", "OLD\n");
    // 2000 retriggers: about 500 kB of events for a 16 kB disk.
    std::string script = R"({"durationSec": 2.5, "commands": [)";
    for (int i = 0; i < 2000; ++i)
        script += (i ? ", " : "") + std::string (R"({"timeSec": )") + std::to_string (i * 0.001) + R"(, "type": "Trigger", "clip": "ok"})";
    writeText (folder / "script.json", script + "]}");
    const auto result = run (quote (cliPath()) + " render " + quote ((folder / "show.cuegrid").string()) + " --script "
                             + quote ((folder / "script.json").string()) + " --out " + quote ((folder / "out.wav").string())
                             + " --event-log " + quote ((disk / "events.ndjson").string()));
    INFO (result.output);
    CHECK (result.exitCode == 4);
    CHECK_THAT (result.output, Catch::Contains ("events.ndjson: write failed: No space left on device"));
    CHECK (readText (disk / "events.ndjson") == "OLD\n");
    size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator (disk))
        ++files;
    CHECK (files == 1);                                              // no temporary left behind
    CHECK_FALSE (std::filesystem::exists (folder / "out.wav"));      // the render failed as a whole
}
