// CueGrid — GPL-3.0-or-later
#include "CliCommands.h"
#include "CliReport.h"
#include "CliMediaFacts.h"

#include "Engine/DeviceSetup.h"
#include "Session/Errors.h"
#include "Session/MetadataDatabase.h"
#include "Session/SessionManifest.h"
#include "Session/SessionMedia.h"
#include "Session/SessionStore.h"

#include <iomanip>
#include <map>
#include <iostream>

namespace cuegrid::cli
{

int runInfo (const std::string& path)
{
    auto loaded = loadSessionOrReport (path);
    if (! loaded)
        return invalidInput;
    auto& session = *loaded;

    // Loaded, so a version this CueGrid reads; an older one is migrated by the next save.
    const auto version = SessionStore::manifestVersionOnDisk (path);
    std::cout << "Session:     " << session.name << "\n"
              << "File:        " << path << "\n"
              << "Version:     " << version;
    if (version >= 1 && version < Session::currentVersion)
        std::cout << " (saved as version " << Session::currentVersion << " when next saved; the original is kept as "
                  << SessionStore::migrationBackupPath (path, version).filename().string() << ")";
    std::cout << "\n"
              << "Sample rate: " << session.sampleRate << " Hz\n"
              << "Groups:     ";
    for (int g = 0; g < 4; ++g)
        std::cout << " " << groupLetter (g) << " " << std::showpos << std::fixed << std::setprecision (1)
                  << session.groups[(size_t) g].gainDb << std::noshowpos << " dB"
                  << (session.groups[(size_t) g].muted ? " (muted)" : "") << (g < 3 ? "," : "\n");

    // Facts recorded (database at this version only: info never creates or migrates it);
    // a replaced file is shown on its clip's line.
    std::map<std::string, MediaFactsCheck> checks;
    for (auto& check : recordMediaFacts (session, path))
        checks.emplace (check.clipId, std::move (check));
    const auto media = loadClipMedia (session, path, session.sampleRate);
    int missing = 0;
    std::cout << "Clips:       " << session.clips.size() << "\n";
    for (size_t i = 0; i < session.clips.size(); ++i)
    {
        const auto& clip = session.clips[i];
        std::cout << "  " << std::left << std::setw (16) << clip.id << " " << groupLetter (clip.group) << " "
                  << std::right << std::showpos << std::setw (6) << std::setprecision (1) << clip.gainDb
                  << std::noshowpos << " dB  " << clip.file;
        if (media[i].audio != nullptr)
        {
            std::cout << "  [" << media[i].info.format << ", " << media[i].info.channels << " ch, "
                      << media[i].info.sampleRate << " Hz, " << std::setprecision (2)
                      << media[i].audio->getDurationSeconds() << " s]";
            const auto check = checks.find (clip.id);
            if (check != checks.end() && check->second.state == MediaFactsCheck::State::changed)
                std::cout << "  REPLACED: " << check->second.detail;
            std::cout << "\n";
            if (! media[i].warning.empty())
                std::cerr << "cuegrid: warning: clip '" << clip.id << "' (" << clip.file << "): " << media[i].warning << "\n";
        }
        else
        {
            std::cout << "  MISSING: " << media[i].error << "\n";
            ++missing;
        }
    }
    std::cout << "Pages:       " << session.pages.size() << "\n";
    for (const auto& page : session.pages)
    {
        std::cout << "  " << page.name << ":";
        for (const auto& tab : page.tabs)
            std::cout << " [" << tab.name << " " << tab.rows << "x" << tab.columns << ", " << tab.slots.size() << " clips]";
        std::cout << "\n";
    }
    // Read-only: info never creates or migrates the session database.
    const auto databasePath = MetadataDatabase::pathForSession (path);
    const auto database = MetadataDatabase::inspect (databasePath);
    std::cout << "Database:    ";
    if (! database.exists)
        std::cout << "none (" << databasePath << " is made when the session is analysed or saved)\n";
    else if (! database.error.empty())
        std::cout << databasePath << ": cannot be read: " << database.error << "\n";
    else
    {
        std::cout << databasePath << ", version " << database.version;
        if (database.version > MetadataDatabase::currentVersion)
            std::cout << " (newer than this CueGrid's " << MetadataDatabase::currentVersion << ")";
        else if (database.version < MetadataDatabase::currentVersion)
            std::cout << " (migrated to " << MetadataDatabase::currentVersion << " when next opened)";
        std::cout << ", integrity " << database.integrity << ", " << database.mediaRows << " media row(s), " << database.markerRows
                  << " marker(s), " << database.analysisRows << " analysis result(s), " << database.auditRows << " audit event(s)\n";
    }
    if (missing > 0)
        std::cout << missing << " clip(s) have missing or unreadable media\n";
    return missing > 0 ? missingMedia : success;
}

int runDevices()
{
    juce::ScopedJuceInitialiser_GUI juceInitialiser;
    juce::AudioDeviceManager manager;
    manager.getAvailableDeviceTypes();
    for (auto* type : manager.getAvailableDeviceTypes())
    {
        type->scanForDevices();
        const auto names = type->getDeviceNames (false);
        std::cout << type->getTypeName() << ": " << (names.isEmpty() ? "(no output devices)" : "") << "\n";
        for (const auto& name : names)
            std::cout << "  " << name << "\n";
    }
    return success;
}

} // namespace cuegrid::cli
