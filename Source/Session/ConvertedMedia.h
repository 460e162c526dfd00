// CueGrid — GPL-3.0-or-later
#pragma once

#include <sndfile.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tuple>

namespace cuegrid
{

/** Converted copies: media the streaming reader cannot read as it is (compressed, or at another
    rate than the engine's) is converted once into a float32 WAV at the engine's rate, whose
    samples are exactly what loadMedia (file, rate) returns for the file (same libsndfile decode,
    same first-two-channels rule, same libsoxr very-high-quality conversion per channel), so
    streamed playback and offline renders stay bit-identical to whole-file loading.
    docs/architecture.md "Converted copies". */
struct ConvertedMedia
{
    /** True when `info` (from sf_open / openMediaFile) can be streamed as it is at `engineRate`
        (Hz): uncompressed integer PCM or float/double in WAV, WAVE_FORMAT_EXTENSIBLE, RF64, W64,
        AIFF or CAF, at exactly the engine's rate. Anything else (FLAC, Ogg Vorbis/Opus, MP3,
        µ-law/A-law/ADPCM, another rate) needs a converted copy. Any thread; no I/O. */
    static bool isStreamable (const SF_INFO& info, double engineRate) noexcept;

    /** The copy's file name for a content hash (16 hex digits, analysis::hashFileContent) and a
        rate (Hz): "<hash>-48000.f32.wav". */
    static std::string copyName (const std::string& contentHash, double rate);

    /** Converts `media` into `destination` (float32 WAV, RF64 beyond 4 GB; 1 or 2 channels at
        `rate` Hz), block by block in bounded memory (a few MB whatever the file's length),
        written atomically: a temporary file beside `destination`, fsync, rename. Returns false
        with `error` set (unreadable or corrupt media, non-finite samples, longer than
        limits::maxMediaSeconds, disk full, cancelled: "cancelled") and leaves no file behind.
        `cancel`, when given, is polled between blocks (every ~64k samples). Blocking: a
        loader/reader thread, never the audio or the message thread. */
    static bool convert (const std::filesystem::path& media, double rate, const std::filesystem::path& destination,
                         std::string& error, const std::atomic<bool>* cancel = nullptr);

    /** True when `copy` is a complete converted copy at `rate` as convert() writes it (float32
        WAV/RF64 at `rate`, the frame count recorded in it matching its header and its size).
        Any non-audio thread. */
    static bool isValidCopy (const std::filesystem::path& copy, double rate);
};

/** The folder of converted copies (`<CueGrid home>/Cache/Media/`), bounded in size: when the
    copies pass `maxBytes`, the least recently used ones (file mtime, touched on every use) are
    removed, never one that a Copy handle still holds.

    Thread safety: every member may be called from any thread except the audio and the message
    thread (they block on disk work); calls run in parallel, and a copy wanted by two threads at
    once is made once (the second waits for the first). Several processes may share the folder:
    copies appear only by atomic rename, so they never see a partial one. */
class ConvertedMediaCache
{
public:
    static constexpr uint64_t defaultMaxBytes = 20ull * 1024 * 1024 * 1024;

    /** `folder` is created on first use. `maxBytes`: the size the copies may take on disk. */
    explicit ConvertedMediaCache (std::filesystem::path folder, uint64_t maxBytes = defaultMaxBytes);
    ~ConvertedMediaCache();

    ConvertedMediaCache (const ConvertedMediaCache&) = delete;
    ConvertedMediaCache& operator= (const ConvertedMediaCache&) = delete;

    /** `<home>/Cache/Media` for an AppFolders home (AppFolders::getHome()). */
    static std::filesystem::path defaultFolder (const std::filesystem::path& cueGridHome);

    /** What the streaming reader should open for one media file. Copyable; while any copy of
        it lives, a converted file it names is never evicted (it may outlive the cache). */
    struct Copy
    {
        std::filesystem::path path;      // the media file itself, or its converted copy; empty on failure
        bool converted = false;          // true: `path` is a copy in the cache (float32 WAV at the rate asked)
        std::shared_ptr<const void> lease;

        explicit operator bool() const noexcept { return ! path.empty(); }
    };

    /** The file to stream for `media` at `rate` (Hz): the media file itself when it is
        streamable (ConvertedMedia::isStreamable), else its converted copy, made now if missing
        or invalid (about 0.4 s for a 3-minute stereo FLAC at 44.1→48 kHz on this machine,
        see docs/benchmarks.md convert_bench). The copy's mtime is touched (LRU). Returns an empty
        Copy with `error` set when the media cannot be opened or converted, or "cancelled" when
        `*cancel` became true; never throws but std::bad_alloc. A copy read with libsndfile
        (sf_readf_float) gives exactly loadMedia's samples and frame count; the media file
        itself gives what it holds (the reader keeps its first two channels, as loadMedia does).
        Keep the Copy while the file is open. Blocking; reader/loader threads only. */
    Copy copyFor (const std::filesystem::path& media, double rate, std::string& error,
                  const std::atomic<bool>* cancel = nullptr);

    /** Removes least recently used copies (not in use, not being made) until the folder's copies
        take at most `targetBytes`. Returns the bytes they take after. */
    uint64_t trim (uint64_t targetBytes);

    /** Bytes the copies in the folder take now. */
    uint64_t bytesOnDisk() const;

    /** Copies this cache object made (converted, not found) since construction. */
    uint64_t getConversionCount() const noexcept { return conversions.load(); }

    const std::filesystem::path& getFolder() const noexcept { return folder; }
    uint64_t getMaxBytes() const noexcept { return maxBytes; }

private:
    struct Leases;   // copies in use, shared with the Copy handles

    std::string hashOf (const std::filesystem::path& media, std::string& error);

    const std::filesystem::path folder;
    const uint64_t maxBytes;
    std::shared_ptr<Leases> leases;
    std::atomic<uint64_t> conversions { 0 };

    std::mutex lock;                      // guards the members below
    std::condition_variable madeOrFailed; // a copy being made is done
    std::set<std::string> beingMade;      // copy file names in progress
    // (path, size, mtime ns, inode) → content hash: a file is hashed once per cache lifetime.
    std::map<std::tuple<std::string, uint64_t, int64_t, uint64_t>, std::string> hashes;
};

} // namespace cuegrid
