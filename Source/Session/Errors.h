// CueGrid — GPL-3.0-or-later
#pragma once

#include <stdexcept>
#include <string>

namespace cuegrid
{

/** A malformed input file (session manifest, show script): says which file, where in it
    (1-based line and column, 0 when unknown) and what is wrong. what() is the full
    "file:line:column: message" text. CLI exit code 2. */
class InputError : public std::runtime_error
{
public:
    InputError (std::string fileName, int lineNumber, int columnNumber, std::string description)
        : std::runtime_error (format (fileName, lineNumber, columnNumber, description)),
          file (std::move (fileName)), line (lineNumber), column (columnNumber),
          message (std::move (description))
    {
    }

    const std::string file;
    const int line;
    const int column;
    const std::string message;

private:
    static std::string format (const std::string& file, int line, int column, const std::string& message)
    {
        if (line <= 0)
            return file + ": " + message;
        return file + ":" + std::to_string (line) + ":" + std::to_string (column) + ": " + message;
    }
};

/** An output that cannot be written (unwritable folder, full disk). CLI exit code 4. */
class OutputError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

} // namespace cuegrid
