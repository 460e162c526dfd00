// CueGrid — GPL-3.0-or-later
#pragma once

#include "Errors.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <string>
#include <unordered_map>
#include <vector>

namespace cuegrid
{

/** A parsed JSON file that remembers where each value stood in the text, so validation
    errors can name the file, line and column (nlohmann/json keeps no positions itself).

    Values are addressed by JSON Pointer ("/clips/0/group"). Reading and validating helpers
    throw InputError with the value's position and a readable path ("clips[0].group").
    Any thread; not shared.
*/
class JsonDocument
{
public:
    using Json = nlohmann::json;

    /** Parses `text`. Syntax errors, numbers out of a double's range, files over
        limits::maxJsonFileBytes and nesting deeper than limits::maxJsonDepth throw InputError
        at the offending line and column. */
    JsonDocument (const std::string& text, std::string fileName);

    /** Reads a whole file; an unreadable file throws InputError (line 0). */
    static std::string readTextFile (const std::string& path);

    /** Reads and parses a file; an unreadable file throws InputError (line 0). */
    static JsonDocument fromFile (const std::string& path);

    const Json& root() const noexcept { return document; }
    const std::string& getFileName() const noexcept { return file; }

    /** Throws InputError at the position of the value at `pointer`. */
    [[noreturn]] void fail (const std::string& pointer, const std::string& message) const;

    /** 1-based line and column of the value at `pointer` (0, 0 if unknown). O(file size). */
    std::pair<int, int> positionOf (const std::string& pointer) const;

    /** positionOf for many values in one pass over the text (O(file size + n log n)). */
    std::vector<std::pair<int, int>> positionsOf (const std::vector<std::string>& pointers) const;

    // Typed access with validation. `pointer` names an object; `key` a member of it.
    const Json& at (const std::string& pointer) const;
    const Json& requireObject (const std::string& pointer) const;
    bool has (const std::string& objectPointer, const std::string& key) const;
    std::string requireString (const std::string& objectPointer, const std::string& key) const;
    std::string optionalString (const std::string& objectPointer, const std::string& key, const std::string& fallback) const;
    double requireNumber (const std::string& objectPointer, const std::string& key) const;
    double optionalNumber (const std::string& objectPointer, const std::string& key, double fallback) const;
    bool optionalBool (const std::string& objectPointer, const std::string& key, bool fallback) const;
    /** Size of the array member; a missing member is 0 when !required. */
    size_t arraySize (const std::string& objectPointer, const std::string& key, bool required) const;

    /** "/clips/0/group" → "clips[0].group"; "" → "(document)". */
    static std::string readablePath (const std::string& pointer);

    static std::string child (const std::string& pointer, const std::string& key);
    static std::string child (const std::string& pointer, size_t index) { return pointer + "/" + std::to_string (index); }

private:
    std::string file, text;
    Json document;
public:
    // Paths are kept as 64-bit hashes built step by step (no string per value): a 10^6-command
    // script records 4 million positions. A collision could only misplace an error message.
    static constexpr uint64_t rootHash = 0x6a09e667f3bcc908ull;
    static uint64_t mix (uint64_t parent, uint64_t value);
    static uint64_t memberHash (uint64_t parent, std::string_view key);
    static uint64_t elementHash (uint64_t parent, size_t index);

private:
    std::vector<std::pair<uint64_t, size_t>> offsets;  // (hash of a value's path, byte offset of the value), sorted

    std::optional<size_t> offsetOf (const std::string& pointer) const;
    /** Resolves an RFC 6901 pointer; nullptr when a step is missing. `hash` ends as the hash of
        the deepest value reached. */
    const Json* walk (std::string_view pointer, uint64_t& hash, size_t& resolvedLength) const;
    std::pair<int, int> lineAndColumn (size_t offset) const;
    static const char* typeName (const Json& value);
};

} // namespace cuegrid
