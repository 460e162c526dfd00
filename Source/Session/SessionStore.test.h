// CueGrid — GPL-3.0-or-later
// The show SessionStore's tests share: saving (SessionStore.test.cpp) and recovery
// (SessionStoreRecovery.test.cpp).
#pragma once

#include "SessionManifest.h"
#include "Support/TestSupport.h"

#include <filesystem>
#include <string>

namespace cuegrid::test
{

/** A real session in `folder`: show.cuegrid with two clips whose media is copied from the
    corpus into folder/media (relative paths, as the app writes them). */
inline std::string makeShow (const std::filesystem::path& folder, const std::string& name = "show.cuegrid")
{
    std::filesystem::create_directories (folder / "media");
    std::filesystem::copy_file (test::dataPath ("corpus/p01_sonicpi_heavy_kick.wav"), folder / "media" / "kick.wav",
                   std::filesystem::copy_options::overwrite_existing);
    Session session;
    session.name = "Show";
    ClipDefinition kick;
    kick.id = "kick";
    kick.file = "media/kick.wav";
    kick.label = "Kick";
    ClipDefinition hum = kick;
    hum.id = "hum";
    hum.file = test::dataPath ("corpus/p08_sonicpi_haunted_hum.wav").string();  // absolute already
    session.clips = { kick, hum };
    Tab tab;
    tab.name = "Tab 1";
    tab.slots = { { 0, 0, "kick" }, { 0, 1, "hum" } };
    session.pages = { { "Page 1", { tab } } };
    const auto path = (folder / name).string();
    SessionManifest::save (session, path);
    return path;
}

inline Session named (Session session, const std::string& name)
{
    session.name = name;
    return session;
}

} // namespace cuegrid::test
