// CueGrid — GPL-3.0-or-later
#include "JsonDocument.h"

#include "Limits.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

namespace cuegrid
{

namespace
{
    /** Input iterator over the text that tells how many characters the parser has read. */
    struct CountingIterator
    {
        using iterator_category = std::input_iterator_tag;
        using value_type = char;
        using difference_type = std::ptrdiff_t;
        using pointer = const char*;
        using reference = const char&;

        const char* position;
        size_t* consumed;

        reference operator*() const { return *position; }
        CountingIterator& operator++() { ++position; ++*consumed; return *this; }
        CountingIterator operator++ (int) { auto copy = *this; ++*this; return copy; }
        bool operator== (const CountingIterator& other) const { return position == other.position; }
        bool operator!= (const CountingIterator& other) const { return position != other.position; }
    };

    /** Moves back from `offset` (the last character the lexer read) to the first character
        of the token it belongs to, so positions point where a person would look. */
    size_t tokenStart (const std::string& text, size_t offset)
    {
        if (offset >= text.size())
            return text.empty() ? 0 : text.size() - 1;
        auto isDelimiter = [] (char c) { return c == ',' || c == '}' || c == ']' || c == ':' || std::isspace ((unsigned char) c); };
        if (isDelimiter (text[offset]) && offset > 0 && ! isDelimiter (text[offset - 1]))
            --offset;  // the lexer read one character past a number or literal
        if (text[offset] == '"')
        {
            for (auto i = offset; i-- > 0;)
                if (text[i] == '"' && (i == 0 || text[i - 1] != '\\'))
                    return i;
            return offset;
        }
        while (offset > 0 && (std::isalnum ((unsigned char) text[offset - 1]) || text[offset - 1] == '.'
                              || text[offset - 1] == '-' || text[offset - 1] == '+'))
            --offset;
        return offset;
    }

    /** SAX handler that builds the document (through nlohmann's own DOM builder) and records,
        for every value, the parser's position when it was read. A syntax or range error (such
        as a number too large for a double) is kept with its byte position. */
    class PositionRecorder final : public nlohmann::json_sax<nlohmann::json>
    {
    public:
        PositionRecorder (const std::string& sourceText, const size_t& consumedCount,
                          std::vector<std::pair<uint64_t, size_t>>& offsetsOut, nlohmann::json& documentOut)
            : text (sourceText), consumed (consumedCount), offsets (offsetsOut), dom (documentOut, false) {}

        bool null() override { return value() && dom.null(); }
        bool boolean (bool v) override { return value() && dom.boolean (v); }
        bool number_integer (number_integer_t v) override { return value() && dom.number_integer (v); }
        bool number_unsigned (number_unsigned_t v) override { return value() && dom.number_unsigned (v); }
        bool number_float (number_float_t v, const string_t& s) override { return value() && dom.number_float (v, s); }
        bool string (string_t& v) override { return value() && dom.string (v); }
        bool binary (binary_t& v) override { return value() && dom.binary (v); }
        bool start_object (std::size_t n) override { return open (false) && dom.start_object (n); }
        bool end_object() override { frames.pop_back(); return dom.end_object(); }
        bool start_array (std::size_t n) override { return open (true) && dom.start_array (n); }
        bool end_array() override { frames.pop_back(); return dom.end_array(); }
        bool key (string_t& name) override { frames.back().keyHash = JsonDocument::memberHash (frames.back().hash, name); return dom.key (name); }
        bool parse_error (std::size_t position, const std::string&, const nlohmann::detail::exception& error) override
        {
            errorByte = position;
            errorText = error.what();
            return false;
        }

        size_t errorByte = 0;          // 1-based, as nlohmann counts; meaningful when errorText is set
        std::string errorText;

    private:
        struct Frame
        {
            bool isArray;
            uint64_t hash;          // of this container's path
            uint64_t keyHash = 0;   // objects: of the current member's path
            size_t index = 0;       // arrays: the next element's index
        };

        uint64_t nextChildHash()
        {
            if (frames.empty())
                return JsonDocument::rootHash;
            auto& frame = frames.back();
            return frame.isArray ? JsonDocument::elementHash (frame.hash, frame.index++) : frame.keyHash;
        }

        bool value()
        {
            // The lexer has read the token (and at most one character more).
            offsets.emplace_back (nextChildHash(), tokenStart (text, consumed > 0 ? consumed - 1 : 0));
            return true;
        }

        bool open (bool isArray)
        {
            const auto hash = nextChildHash();
            offsets.emplace_back (hash, consumed > 0 ? consumed - 1 : 0);
            frames.push_back ({ isArray, hash });
            return true;
        }

        const std::string& text;
        const size_t& consumed;
        std::vector<std::pair<uint64_t, size_t>>& offsets;
        nlohmann::detail::json_sax_dom_parser<nlohmann::json> dom;
        std::vector<Frame> frames;
    };

    /** Offset of the first bracket that opens level maxJsonDepth + 1, or npos. A linear scan
        that skips strings, so a deeply nested file is refused before any parsing. */
    size_t findExcessiveNesting (const std::string& text)
    {
        int depth = 0;
        bool inString = false;
        for (size_t i = 0; i < text.size(); ++i)
        {
            const auto c = text[i];
            if (inString)
            {
                if (c == '\\') ++i;
                else if (c == '"') inString = false;
            }
            else if (c == '"') inString = true;
            else if (c == '[' || c == '{')
            {
                if (++depth > limits::maxJsonDepth)
                    return i;
            }
            else if (c == ']' || c == '}')
                --depth;
        }
        return std::string::npos;
    }

    /** nlohmann's messages start with "[json.exception.…] " and, for syntax errors, "parse error
        at line L, column C: "; the file:line:column prefix says that already. */
    std::string readableParseError (std::string reason)
    {
        if (! reason.empty() && reason[0] == '[')
            if (const auto end = reason.find ("] "); end != std::string::npos)
                reason = reason.substr (end + 2);
        if (reason.rfind ("parse error", 0) == 0)
            if (const auto colon = reason.find (": "); colon != std::string::npos)
                reason = reason.substr (colon + 2);
        return reason;
    }
} // namespace

std::string JsonDocument::child (const std::string& pointer, const std::string& key)
{
    std::string escaped;
    for (auto c : key)
    {
        if (c == '~') escaped += "~0";
        else if (c == '/') escaped += "~1";
        else escaped += c;
    }
    return pointer + "/" + escaped;
}

JsonDocument::JsonDocument (const std::string& sourceText, std::string fileName)
    : file (std::move (fileName)), text (sourceText)
{
    if (text.size() > limits::maxJsonFileBytes)
        throw InputError (file, 0, 0, "file is " + std::to_string (text.size() >> 20) + " MiB; the limit is "
                                          + std::to_string (limits::maxJsonFileBytes >> 20) + " MiB");
    if (const auto tooDeep = findExcessiveNesting (text); tooDeep != std::string::npos)
    {
        const auto [line, column] = lineAndColumn (tooDeep);
        throw InputError (file, line, column, "nested more than " + std::to_string (limits::maxJsonDepth) + " levels deep");
    }

    size_t consumed = 0;
    // About one value per 8 bytes of a typical manifest or script: no rehash on the way.
    offsets.reserve (text.size() / 8 + 16);
    PositionRecorder recorder (text, consumed, offsets, document);
    CountingIterator begin { text.data(), &consumed }, end { text.data() + text.size(), &consumed };
    if (! Json::sax_parse (begin, end, &recorder) || ! recorder.errorText.empty())
    {
        // errorByte is 1-based: the position of the character where parsing failed.
        const auto [line, column] = lineAndColumn (tokenStart (text, recorder.errorByte > 0 ? recorder.errorByte - 1 : 0));
        throw InputError (file, line, column, "invalid JSON: " + readableParseError (recorder.errorText));
    }
    // Appending then sorting once is several times faster than a hash map for millions of values.
    std::sort (offsets.begin(), offsets.end());
}

std::string JsonDocument::readTextFile (const std::string& path)
{
    std::error_code code;
    const auto status = std::filesystem::status (path, code);
    if (std::filesystem::is_directory (status))
        throw InputError (path, 0, 0, "is a folder, not a file");
    if (std::filesystem::exists (status) && ! std::filesystem::is_regular_file (status))
        throw InputError (path, 0, 0, "is not a regular file (a pipe, device or socket cannot be read as JSON)");
    if (std::filesystem::is_regular_file (status))
        if (const auto size = std::filesystem::file_size (path, code); ! code && size > limits::maxJsonFileBytes)
            throw InputError (path, 0, 0, "file is " + std::to_string (size >> 20) + " MiB; the limit is "
                                              + std::to_string (limits::maxJsonFileBytes >> 20) + " MiB");
    std::ifstream stream (path, std::ios::binary);
    if (! stream)
        throw InputError (path, 0, 0, std::filesystem::exists (status) ? "cannot open file for reading" : "file not found");
    std::ostringstream contents;
    contents << stream.rdbuf();
    if (stream.bad())
        throw InputError (path, 0, 0, "read error");
    return contents.str();
}

JsonDocument JsonDocument::fromFile (const std::string& path)
{
    return JsonDocument (readTextFile (path), path);
}

std::pair<int, int> JsonDocument::lineAndColumn (size_t offset) const
{
    int line = 1, column = 1;
    for (size_t i = 0; i < offset && i < text.size(); ++i)
    {
        if (text[i] == '\n') { ++line; column = 1; }
        else if ((text[i] & 0xC0) != 0x80) { ++column; }  // count UTF-8 characters
    }
    return { line, column };
}

std::vector<std::pair<int, int>> JsonDocument::positionsOf (const std::vector<std::string>& pointers) const
{
    // One sweep over the text for all of them: a position each would be quadratic.
    std::vector<std::pair<size_t, size_t>> wanted;  // (offset, index)
    std::vector<std::pair<int, int>> positions (pointers.size(), { 0, 0 });
    for (size_t i = 0; i < pointers.size(); ++i)
        if (const auto offset = offsetOf (pointers[i]))
            wanted.emplace_back (*offset, i);
    std::sort (wanted.begin(), wanted.end());
    int line = 1, column = 1;
    size_t at = 0;
    for (const auto& [offset, index] : wanted)
    {
        for (; at < offset && at < text.size(); ++at)
        {
            if (text[at] == '\n') { ++line; column = 1; }
            else if ((text[at] & 0xC0) != 0x80) { ++column; }
        }
        positions[index] = { line, column };
    }
    return positions;
}

uint64_t JsonDocument::mix (uint64_t parent, uint64_t value)
{
    // splitmix64's finaliser over the parent and the step: paths, not strings, are hashed.
    auto z = parent ^ (value + 0x9e3779b97f4a7c15ull + (parent << 6) + (parent >> 2));
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t JsonDocument::memberHash (uint64_t parent, std::string_view key)
{
    return mix (parent, std::hash<std::string_view> {} (key) << 1);
}

uint64_t JsonDocument::elementHash (uint64_t parent, size_t index)
{
    return mix (parent, ((uint64_t) index << 1) | 1u);
}

const JsonDocument::Json* JsonDocument::walk (std::string_view pointer, uint64_t& hash, size_t& resolvedLength) const
{
    // RFC 6901 without allocating per step (nlohmann's json_pointer splits into strings).
    const Json* node = &document;
    hash = rootHash;
    resolvedLength = 0;
    std::string unescaped;
    size_t start = 0;
    while (start < pointer.size())
    {
        if (pointer[start] != '/')
            return nullptr;
        auto end = pointer.find ('/', start + 1);
        if (end == std::string_view::npos) end = pointer.size();
        auto token = pointer.substr (start + 1, end - start - 1);
        if (token.find ('~') != std::string_view::npos)
        {
            unescaped.clear();
            for (size_t i = 0; i < token.size(); ++i)
            {
                if (token[i] == '~' && i + 1 < token.size())
                    unescaped += token[++i] == '1' ? '/' : '~';
                else
                    unescaped += token[i];
            }
            token = unescaped;
        }
        if (node->is_array())
        {
            size_t index = 0;
            if (token.empty() || token.size() > 18 || token.find_first_not_of ("0123456789") != std::string_view::npos)
                return nullptr;
            for (const auto c : token) index = index * 10 + (size_t) (c - '0');
            if (index >= node->size())
                return nullptr;
            node = &(*node)[index];
            hash = elementHash (hash, index);
        }
        else if (node->is_object())
        {
            const auto found = node->find (std::string (token));
            if (found == node->end())
                return nullptr;
            node = &*found;
            hash = memberHash (hash, token);
        }
        else
            return nullptr;
        resolvedLength = end;
        start = end;
    }
    return node;
}

std::optional<size_t> JsonDocument::offsetOf (const std::string& pointer) const
{
    // A missing member is reported at its deepest existing parent.
    uint64_t hash = rootHash;
    size_t resolved = 0;
    walk (pointer, hash, resolved);
    // The last of equal paths: a member given twice keeps its last value, as nlohmann does.
    const auto after = std::upper_bound (offsets.begin(), offsets.end(), std::make_pair (hash, SIZE_MAX));
    if (after != offsets.begin() && std::prev (after)->first == hash)
        return std::prev (after)->second;
    return std::nullopt;
}

std::pair<int, int> JsonDocument::positionOf (const std::string& pointer) const
{
    const auto offset = offsetOf (pointer);
    return offset ? lineAndColumn (*offset) : std::pair<int, int> { 0, 0 };
}

void JsonDocument::fail (const std::string& pointer, const std::string& message) const
{
    const auto [line, column] = positionOf (pointer);
    throw InputError (file, line, column, readablePath (pointer) + ": " + message);
}

std::string JsonDocument::readablePath (const std::string& pointer)
{
    if (pointer.empty())
        return "(document)";
    std::string readable;
    size_t start = 1;
    while (start <= pointer.size())
    {
        auto end = pointer.find ('/', start);
        if (end == std::string::npos) end = pointer.size();
        auto token = pointer.substr (start, end - start);
        const bool isIndex = ! token.empty() && token.find_first_not_of ("0123456789") == std::string::npos;
        readable += isIndex ? "[" + token + "]" : (readable.empty() ? token : "." + token);
        start = end + 1;
    }
    return readable;
}

const char* JsonDocument::typeName (const Json& value)
{
    return value.type_name();
}

const JsonDocument::Json& JsonDocument::at (const std::string& pointer) const
{
    uint64_t hash = rootHash;
    size_t resolved = 0;
    if (const auto* node = walk (pointer, hash, resolved))
        return *node;
    fail (pointer, "is missing");
}

const JsonDocument::Json& JsonDocument::requireObject (const std::string& pointer) const
{
    const auto& value = at (pointer);
    if (! value.is_object())
        fail (pointer, std::string ("expected an object, found ") + typeName (value));
    return value;
}

bool JsonDocument::has (const std::string& objectPointer, const std::string& key) const
{
    return requireObject (objectPointer).contains (key);
}

std::string JsonDocument::requireString (const std::string& objectPointer, const std::string& key) const
{
    const auto pointer = child (objectPointer, key);
    if (! has (objectPointer, key))
        fail (pointer, "is missing (a string is required)");
    const auto& value = at (pointer);
    if (! value.is_string())
        fail (pointer, std::string ("expected a string, found ") + typeName (value));
    return value.get<std::string>();
}

std::string JsonDocument::optionalString (const std::string& objectPointer, const std::string& key,
                                          const std::string& fallback) const
{
    return has (objectPointer, key) ? requireString (objectPointer, key) : fallback;
}

double JsonDocument::requireNumber (const std::string& objectPointer, const std::string& key) const
{
    const auto pointer = child (objectPointer, key);
    if (! has (objectPointer, key))
        fail (pointer, "is missing (a number is required)");
    const auto& value = at (pointer);
    if (! value.is_number())
        fail (pointer, std::string ("expected a number, found ") + typeName (value));
    const auto number = value.get<double>();
    if (! std::isfinite (number))
        fail (pointer, "must be finite");
    return number;
}

double JsonDocument::optionalNumber (const std::string& objectPointer, const std::string& key, double fallback) const
{
    return has (objectPointer, key) ? requireNumber (objectPointer, key) : fallback;
}

bool JsonDocument::optionalBool (const std::string& objectPointer, const std::string& key, bool fallback) const
{
    if (! has (objectPointer, key))
        return fallback;
    const auto pointer = child (objectPointer, key);
    const auto& value = at (pointer);
    if (! value.is_boolean())
        fail (pointer, std::string ("expected true or false, found ") + typeName (value));
    return value.get<bool>();
}

size_t JsonDocument::arraySize (const std::string& objectPointer, const std::string& key, bool required) const
{
    const auto pointer = child (objectPointer, key);
    if (! has (objectPointer, key))
    {
        if (required)
            fail (pointer, "is missing (an array is required)");
        return 0;
    }
    const auto& value = at (pointer);
    if (! value.is_array())
        fail (pointer, std::string ("expected an array, found ") + typeName (value));
    return value.size();
}

} // namespace cuegrid
