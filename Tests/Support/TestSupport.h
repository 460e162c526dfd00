// CueGrid — GPL-3.0-or-later
// Helpers shared by the test executables: paths, temp folders, running the CLI, reading WAVs.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace cuegrid::test
{

/** Tests/data/... in the source tree. */
std::filesystem::path dataPath (const std::string& relative);

/** The built `cuegrid` CLI. */
std::string cliPath();

/** A fresh folder under the build's Testing/ tree, removed at destruction. */
struct TemporaryFolder
{
    explicit TemporaryFolder (const std::string& name);
    ~TemporaryFolder();
    std::filesystem::path operator/ (const std::string& child) const { return path / child; }
    std::filesystem::path path;
};

struct CommandResult
{
    int exitCode = -1;
    std::string output;   // stdout and stderr together
};

/** Runs a shell command, capturing stdout and stderr. */
CommandResult run (const std::string& command);

/** Quotes a path or argument for the shell. */
std::string quote (const std::string& text);

/** A decoded audio file: channels × frames. */
struct AudioData
{
    double sampleRate = 0;
    std::vector<std::vector<float>> channels;
    size_t frames() const { return channels.empty() ? 0 : channels[0].size(); }
};

/** Reads any libsndfile format; throws std::runtime_error. */
AudioData readAudio (const std::filesystem::path& file);

void writeText (const std::filesystem::path& file, const std::string& text);
std::string readText (const std::filesystem::path& file);

/** 20·log10(x), -inf for 0. */
double toDecibels (double linear);

} // namespace cuegrid::test
