// CueGrid — GPL-3.0-or-later
#pragma once

#include "Errors.h"
#include "SessionModel.h"

#include <filesystem>
#include <string>
#include <vector>

namespace cuegrid
{

/** An output that would replace one of the run's own inputs (the session, its script, its
    media, an analysed file) or another output of the same run. CLI exit code 4. */
class ProtectedOutputError : public OutputError
{
public:
    using OutputError::OutputError;
};

/** The one check every command runs before it writes anything (`--out`, `--event-log`,
    `--json`, `--report`, `--write`, saves and exports): an output may not be one of the
    run's inputs, nor another output of the same run. Files are compared by identity
    (device and inode, so a hard link, a symlink or "./x/../x" is caught) and, for files that
    do not exist yet, by their canonical path.
    One thread; not shared. */
class OutputGuard
{
public:
    /** Remembers an input, e.g. protectInput (path, "the session"). Missing files are kept
        by path. */
    void protectInput (const std::filesystem::path& path, const std::string& description);

    /** Throws ProtectedOutputError ("OUT: refused: it is the session (S.cuegrid); nothing was
        written") when `output` is a protected input or an output claimed before; otherwise
        claims it. `option` names the output in the message, e.g. "--out". */
    void claimOutput (const std::filesystem::path& output, const std::string& option);

    /** Protects a session: its manifest, its database (`<session>.db`) and every clip's media. */
    void protectSession (const std::string& sessionPath, const Session& session);

    /** The same check without throwing: the reason, or an empty string. */
    std::string conflictOf (const std::filesystem::path& output) const;

private:
    struct Entry
    {
        std::string canonicalPath;
        bool hasIdentity = false;
        unsigned long long device = 0, inode = 0;
        std::string description;
        std::filesystem::path given;
    };
    static Entry identify (const std::filesystem::path& path, const std::string& description);
    static bool same (const Entry& a, const Entry& b);

    std::vector<Entry> inputs, outputs;
};

} // namespace cuegrid
