// CueGrid — GPL-3.0-or-later
#include "TestSupport.h"

#include <sndfile.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <sys/wait.h>

namespace cuegrid::test
{

std::filesystem::path dataPath (const std::string& relative)
{
    return std::filesystem::path (CUEGRID_TEST_DATA_DIR) / relative;
}

std::string cliPath()
{
    return CUEGRID_CLI_PATH;
}

TemporaryFolder::TemporaryFolder (const std::string& name)
{
    std::random_device random;
    path = std::filesystem::path (CUEGRID_TEST_WORK_DIR) / (name + "-" + std::to_string (random() % 1000000));
    std::filesystem::remove_all (path);
    std::filesystem::create_directories (path);
}

TemporaryFolder::~TemporaryFolder()
{
    std::error_code ignored;
    std::filesystem::permissions (path, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ignored);
    std::filesystem::remove_all (path, ignored);
}

std::string quote (const std::string& text)
{
    std::string quoted = "'";
    for (auto c : text)
        quoted += c == '\'' ? std::string ("'\\''") : std::string (1, c);
    return quoted + "'";
}

CommandResult run (const std::string& command)
{
    CommandResult result;
    auto* pipe = ::popen ((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr)
        throw std::runtime_error ("cannot run: " + command);
    std::array<char, 4096> buffer {};
    while (auto count = std::fread (buffer.data(), 1, buffer.size(), pipe))
        result.output.append (buffer.data(), count);
    const auto status = ::pclose (pipe);
    result.exitCode = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
    return result;
}

AudioData readAudio (const std::filesystem::path& file)
{
    SF_INFO info {};
    auto* sound = sf_open (file.c_str(), SFM_READ, &info);
    if (sound == nullptr)
        throw std::runtime_error ("cannot open " + file.string() + ": " + sf_strerror (nullptr));
    std::vector<float> interleaved ((size_t) info.frames * (size_t) info.channels);
    const auto frames = sf_readf_float (sound, interleaved.data(), info.frames);
    sf_close (sound);
    AudioData audio;
    audio.sampleRate = info.samplerate;
    audio.channels.assign ((size_t) info.channels, std::vector<float> ((size_t) frames));
    for (sf_count_t f = 0; f < frames; ++f)
        for (int c = 0; c < info.channels; ++c)
            audio.channels[(size_t) c][(size_t) f] = interleaved[(size_t) (f * info.channels + c)];
    return audio;
}

void writeText (const std::filesystem::path& file, const std::string& text)
{
    std::ofstream stream (file, std::ios::binary);
    stream << text;
}

std::string readText (const std::filesystem::path& file)
{
    std::ifstream stream (file, std::ios::binary);
    std::ostringstream contents;
    contents << stream.rdbuf();
    return contents.str();
}

double toDecibels (double linear)
{
    return linear > 0 ? 20.0 * std::log10 (linear) : -INFINITY;
}

} // namespace cuegrid::test
