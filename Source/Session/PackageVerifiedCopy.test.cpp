// CueGrid — GPL-3.0-or-later
// Package exports and imports read every copy back from the disk (issue 13): a copy damaged on
// its way to the disk (a fault hook flips a byte of the written part file) fails the export or
// the import, naming the file, and leaves nothing behind.
#include "SessionExport.h"

#include "Errors.h"
#include "ExportDescriptor.h"
#include "IncomingMedia.h"
#include "NewSession.h"
#include "SessionManifest.h"
#include "SessionPackage.h"
#include "VerifiedCopy.h"
#include "Support/ShowWithMedia.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

using namespace cuegrid;
namespace fs = std::filesystem;

namespace
{
    /** Flips one byte of every part file named `name` + ".part" as it is about to be read back. */
    struct DamageCopiesOf
    {
        explicit DamageCopiesOf (std::string name)
        {
            setVerifiedCopyTestHook ([this, name] (const fs::path& part)
                                     {
                                         if (part.filename() != name + ".part")
                                             return;
                                         const int fd = ::open (part.c_str(), O_RDWR);
                                         unsigned char byte = 0;
                                         REQUIRE (::pread (fd, &byte, 1, 1000) == 1);
                                         byte ^= 0x5a;
                                         REQUIRE (::pwrite (fd, &byte, 1, 1000) == 1);
                                         ::fsync (fd);
                                         ::close (fd);
                                         ++damaged;
                                     });
        }
        ~DamageCopiesOf() { setVerifiedCopyTestHook ({}); }
        int damaged = 0;
    };

    std::vector<std::string> namesIn (const fs::path& folder)
    {
        std::vector<std::string> names;
        std::error_code code;
        for (fs::recursive_directory_iterator it (folder, code), end; it != end; it.increment (code))
            names.push_back (it->path().lexically_relative (folder).generic_string());
        std::sort (names.begin(), names.end());
        return names;
    }

    std::string messageOf (const std::function<void()>& action)
    {
        try
        {
            action();
        }
        catch (const std::exception& error)
        {
            return error.what();
        }
        return "(no error)";
    }
} // namespace

TEST_CASE ("Package export: a copy that reads back damaged fails the export, named, and leaves no folder", "[package][verifiedcopy]")
{
    test::TemporaryFolder folder ("package-export-damaged");
    const auto path = test::makeKickSnareShow (folder);
    const auto session = SessionManifest::load (path);
    ExportRequest request;
    request.kind = ExportKind::session;
    request.sessionPath = path;
    request.outFolder = folder / "Exports";

    std::string message;
    {
        DamageCopiesOf damage ("snare.wav");
        message = messageOf ([&] { exportSession (session, request); });
        CHECK (damage.damaged == 1);
    }
    CHECK (message.find ("show package.partial/media/snare.wav: the copy of " + (folder / "show Media" / "snare.wav").string()
                         + " does not read back as written (XXH3 ") != std::string::npos);
    CHECK (message.find ("damaged on its way to the disk") != std::string::npos);
    CHECK (namesIn (folder / "Exports").empty());   // neither the export nor its .partial folder

    // Undamaged, the same export is whole, its media keeping the originals' modification times.
    const auto made = exportSession (session, request);
    CHECK (made.mediaFiles == 2);
    CHECK (made.folder.filename() == "show package");
    CHECK (fs::last_write_time (made.folder / "media" / "snare.wav") == fs::last_write_time (folder / "show Media" / "snare.wav"));
    CHECK (hashMediaFile (made.folder / "media" / "snare.wav") == hashMediaFile (folder / "show Media" / "snare.wav"));
    CHECK (verifyExport (readExport (made.folder)).empty());
}

TEST_CASE ("Package import: a copy that reads back damaged fails the import, named, no partial copy left", "[package][verifiedcopy]")
{
    test::TemporaryFolder folder ("package-import-damaged");
    const auto path = test::makeKickSnareShow (folder);
    const auto session = SessionManifest::load (path);
    ExportRequest request;
    request.sessionPath = path;
    request.outFolder = folder / "Exports";
    request.kind = ExportKind::session;
    const auto package = exportSession (session, request).folder;
    request.kind = ExportKind::tab;
    const auto tab = exportSession (session, request).folder;

    // As a new session.
    {
        DamageCopiesOf damage ("kick.wav");
        const auto message = messageOf ([&] { importPackage (readExport (package), folder / "Imported"); });
        CHECK (damage.damaged == 1);
        CHECK (message.find ("/media/kick.wav: the copy of " + (package / "media" / "kick.wav").string() + " does not read back as written")
               != std::string::npos);
    }
    CHECK (! fs::exists (folder / "Imported"));
    for (const auto& name : namesIn (folder.path))
        CHECK (name.find ("Imported.partial") == std::string::npos);

    // A tab into another session: copied into its media folder.
    const auto otherPath = (folder / "other.cuegrid").string();
    createSessionFiles (otherPath, (folder / "other Media").string());
    {
        DamageCopiesOf damage ("snare.wav");
        const auto message = messageOf ([&] { prepareIncomingClips (readExport (tab), otherPath, {}, folder / "other Media"); });
        CHECK (damage.damaged == 1);
        CHECK (message.rfind ((folder / "other Media" / "snare.wav").string() + ": the copy of " + (tab / "media" / "snare.wav").string()
                              + " does not read back as written (XXH3 ", 0) == 0);
        CHECK (message.find (" read back from the disk): damaged on its way to the disk; the copy was removed") != std::string::npos);
    }
    CHECK (namesIn (folder / "other Media") == std::vector<std::string> { "kick.wav" });   // the kick came first and is whole; no .part

    // Undamaged, both work.
    CHECK (importPackage (readExport (package), folder / "Imported").files > 0);
    const auto incoming = prepareIncomingClips (readExport (tab), otherPath, {}, folder / "other Media");
    CHECK (incoming.copied == 1);   // the snare; the kick is there already with the same content
    CHECK (hashMediaFile (folder / "other Media" / "snare.wav") == hashMediaFile (folder / "show Media" / "snare.wav"));
}
