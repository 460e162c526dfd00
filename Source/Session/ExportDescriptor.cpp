// CueGrid — GPL-3.0-or-later
#include "ExportDescriptor.h"

#include "Errors.h"
#include "JsonDocument.h"
#include "SessionManifest.h"

#include <nlohmann/json.hpp>

#include <ctime>
#include <set>

namespace cuegrid
{

namespace
{
    namespace fs = std::filesystem;
    using OrderedJson = nlohmann::ordered_json;

    constexpr std::pair<ExportKind, const char*> kindNames[] = {
        { ExportKind::session, "session" }, { ExportKind::metadata, "metadata" }, { ExportKind::tab, "tab" },
        { ExportKind::page, "page" }, { ExportKind::clips, "clips" } };
} // namespace

const char* exportKindName (ExportKind kind)
{
    for (const auto& [k, name] : kindNames)
        if (k == kind)
            return name;
    return "session";
}

std::optional<ExportKind> exportKindFromName (const std::string& name)
{
    for (const auto& [k, text] : kindNames)
        if (name == text)
            return k;
    return std::nullopt;
}

std::string ExportDescriptor::toJson() const
{
    OrderedJson root;
    root["format"] = formatName;
    root["version"] = currentVersion;
    root["kind"] = exportKindName (kind);
    root["createdUtc"] = createdUtc;
    root["source"] = source;
    root["sessionName"] = sessionName;
    root["manifest"] = manifest;
    if (! database.empty())
        root["database"] = database;
    root["withMedia"] = withMedia;
    if (page >= 0)
    {
        root["scope"]["page"] = page;
        if (tab >= 0)
            root["scope"]["tab"] = tab;
    }
    root["clips"] = OrderedJson::object();
    for (const auto& [id, facts] : clips)
    {
        OrderedJson clip;
        clip["contentHash"] = facts.contentHash;
        clip["sizeBytes"] = facts.sizeBytes;
        clip["file"] = facts.originalFile;
        clip["tags"] = facts.tags;
        clip["warpMarkers"] = OrderedJson::array();
        for (const auto& [name, sec] : facts.warpMarkers)
            clip["warpMarkers"].push_back ({ { "name", name }, { "sec", sec } });
        root["clips"][id] = std::move (clip);
    }
    return root.dump (2) + "\n";
}

ExportDescriptor ExportDescriptor::parse (const std::string& text, const std::string& file)
{
    JsonDocument document (text, file);
    const auto& root = document.root();
    if (! root.is_object())
        document.fail ("", "not a CueGrid export (expected a JSON object)");
    const auto string = [&] (const char* key, bool required) -> std::string
    {
        const auto found = root.find (key);
        if (found == root.end())
        {
            if (required)
                document.fail ("", std::string ("\"") + key + "\" is missing");
            return {};
        }
        if (! found->is_string())
            document.fail (std::string ("/") + key, "must be a string");
        return found->get<std::string>();
    };
    if (string ("format", true) != formatName)
        document.fail ("/format", std::string ("not a CueGrid export (format must be \"") + formatName + "\")");
    const auto version = root.find ("version");
    if (version == root.end() || ! version->is_number_integer())
        document.fail ("/version", "must be a whole number");
    if (version->get<int>() > currentVersion || version->get<int>() < 1)
        document.fail ("/version", "export version " + std::to_string (version->get<int>()) + " was written by a newer CueGrid (this one reads version 1)");

    ExportDescriptor descriptor;
    const auto kindText = string ("kind", true);
    const auto kind = exportKindFromName (kindText);
    if (! kind)
        document.fail ("/kind", "unknown export kind \"" + kindText + "\" (expected session, metadata, tab, page or clips)");
    descriptor.kind = *kind;
    descriptor.createdUtc = string ("createdUtc", false);
    descriptor.source = string ("source", false);
    descriptor.sessionName = string ("sessionName", false);
    descriptor.manifest = string ("manifest", true);
    descriptor.database = string ("database", false);
    for (const auto* name : { &descriptor.manifest, &descriptor.database })
        if (name->find ('/') != std::string::npos || *name == ".." || *name == ".")
            document.fail (name == &descriptor.manifest ? "/manifest" : "/database", "must be a file name inside the export");
    if (descriptor.kind == ExportKind::session && descriptor.database.empty())
        document.fail ("", "a session package names its \"database\"");
    if (const auto with = root.find ("withMedia"); with != root.end())
    {
        if (! with->is_boolean())
            document.fail ("/withMedia", "must be true or false");
        descriptor.withMedia = with->get<bool>();
    }
    if (const auto scope = root.find ("scope"); scope != root.end())
    {
        if (! scope->is_object())
            document.fail ("/scope", "must be an object");
        for (auto [key, target] : { std::pair { "page", &descriptor.page }, std::pair { "tab", &descriptor.tab } })
            if (const auto value = scope->find (key); value != scope->end())
            {
                if (! value->is_number_integer() || value->get<int>() < 0)
                    document.fail (std::string ("/scope/") + key, "must be a whole number from 0");
                *target = value->get<int>();
            }
    }
    if (const auto clips = root.find ("clips"); clips != root.end())
    {
        if (! clips->is_object())
            document.fail ("/clips", "must be an object");
        for (const auto& [id, value] : clips->items())
        {
            const auto pointer = "/clips/" + id;
            if (! value.is_object())
                document.fail (pointer, "must be an object");
            ExportedClipFacts facts;
            try
            {
                facts.contentHash = value.value ("contentHash", std::string());
                facts.sizeBytes = value.value ("sizeBytes", (std::int64_t) -1);
                facts.originalFile = value.value ("file", std::string());
                facts.tags = value.value ("tags", std::vector<std::string>());
                for (const auto& marker : value.value ("warpMarkers", nlohmann::json::array()))
                    facts.warpMarkers.emplace_back (marker.at ("name").get<std::string>(), marker.at ("sec").get<double>());
            }
            catch (const nlohmann::json::exception& error)
            {
                document.fail (pointer, std::string ("malformed: ") + error.what());
            }
            descriptor.clips[id] = std::move (facts);
        }
    }
    return descriptor;
}

fs::path LoadedExport::mediaPath (const ClipDefinition& clip) const
{
    const fs::path file (clip.file);
    return file.is_absolute() ? file : folder / file;
}

LoadedExport readExport (const fs::path& folder)
{
    std::error_code code;
    if (! fs::is_directory (folder, code))
        throw InputError (folder.string(), 0, 0, fs::exists (folder, code) ? "not an export folder (a package is a folder holding package.json)"
                                                                           : "no such folder");
    LoadedExport loaded;
    loaded.folder = fs::absolute (folder).lexically_normal();
    const auto descriptorFile = (loaded.folder / ExportDescriptor::fileName).string();
    if (! fs::exists (descriptorFile, code))
        throw InputError (descriptorFile, 0, 0, "missing: not a CueGrid export");
    loaded.descriptor = ExportDescriptor::parse (JsonDocument::readTextFile (descriptorFile), descriptorFile);
    const auto listFile = (loaded.folder / PackageChecksums::fileName).string();
    if (! fs::exists (listFile, code))
        throw InputError (listFile, 0, 0, "missing: the export cannot be verified");
    loaded.checksums = PackageChecksums::parse (JsonDocument::readTextFile (listFile), listFile);
    loaded.session = SessionManifest::load ((loaded.folder / loaded.descriptor.manifest).string());
    return loaded;
}

std::vector<std::string> verifyExport (const LoadedExport& loaded)
{
    std::vector<std::string> problems;
    std::set<std::string> listed;
    for (const auto& entry : loaded.checksums)
    {
        listed.insert (entry.file);
        const auto path = loaded.folder / entry.file;
        std::error_code code;
        if (! fs::exists (path, code))
        {
            problems.push_back (entry.file + ": missing from the package");
            continue;
        }
        try
        {
            const auto found = PackageChecksums::hashFile (path);
            if (found != entry.xxh3)
                problems.push_back (entry.file + ": checksum mismatch (listed " + entry.xxh3 + ", found " + found + "): the file is damaged or was changed");
        }
        catch (const InputError& error)
        {
            problems.push_back (entry.file + ": " + error.message);
        }
    }
    for (const auto& required : { std::string (ExportDescriptor::fileName), loaded.descriptor.manifest, loaded.descriptor.database })
        if (! required.empty() && listed.count (required) == 0)
            problems.push_back (required + ": not in " + PackageChecksums::fileName);
    // Media the manifest takes from inside the export must be covered by the list too.
    for (const auto& clip : loaded.session.clips)
        if (! fs::path (clip.file).is_absolute() && listed.count (fs::path (clip.file).lexically_normal().generic_string()) == 0)
            problems.push_back (clip.file + ": clip '" + clip.id + "' plays it but it is not in " + PackageChecksums::fileName);
    return problems;
}

fs::path defaultExportFolder (const fs::path& exportsRoot, const std::string& sessionPath)
{
    const auto now = std::time (nullptr);
    std::tm local {};
    localtime_r (&now, &local);
    char date[16];
    std::strftime (date, sizeof date, "%Y-%m-%d", &local);
    return exportsRoot / date / fs::path (sessionPath).stem();
}

std::string exportTimeUtc()
{
    const auto now = std::time (nullptr);
    std::tm utc {};
    gmtime_r (&now, &utc);
    char text[32];
    std::strftime (text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

} // namespace cuegrid
