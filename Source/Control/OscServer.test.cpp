// CueGrid — GPL-3.0-or-later
#include "OscServer.h"

#include "Session/AppFolders.h"
#include "Support/TestSupport.h"

#include <catch2/catch.hpp>

using namespace cuegrid;

namespace
{
    /** gui-v2.cuegrid without a device: the dictionary's parsing and refusals, no network. */
    struct Fixture
    {
        juce::AudioDeviceManager devices;
        ShowController controller { devices };
        ShowActions actions { controller };
        OscServer osc { actions };

        Fixture()
        {
            controller.loadSession (test::dataPath ("sessions/gui-v2.cuegrid").string());
            REQUIRE (controller.waitForMedia (30.0));
        }

        nlohmann::json send (const std::string& address, std::vector<OscServer::Arg> args = {})
        {
            return osc.handle ({ address, std::move (args), -1.0 });
        }
    };
}

TEST_CASE ("OscServer: the dictionary reaches the show, and every bad message gets an error reply with the reason")
{
    Fixture f;
    const auto& session = f.controller.getSession();

    auto r = f.send ("/cuegrid/master/level", { -6.0 });
    CHECK (r["status"] == "ok");
    CHECK (r["address"] == "/cuegrid/master/level");
    CHECK (session.master.gainDb == -6.0);
    CHECK (f.send ("/cuegrid/master/level")["data"] == -6.0);
    CHECK (f.send ("/cuegrid/master/level", { std::string ("-inf") })["status"] == "ok");
    CHECK (session.master.gainDb == -144.0);
    CHECK (f.send ("/cuegrid/group/c/level", { -3.5 })["status"] == "ok");
    CHECK (session.groups[2].gainDb == -3.5);
    CHECK (f.send ("/cuegrid/group/B/mute", { 1.0 })["status"] == "ok");
    CHECK (session.groups[1].muted);
    auto level = f.send ("/cuegrid/clip/bed/level", { -9.0 });
    CHECK (level["status"] == "ok");
    CHECK (session.clips[(size_t) session.findClip ("bed")].levelTrimDb == -9.0);

    // Getters.
    auto state = f.send ("/cuegrid/clip/organ/state");
    CHECK (state["status"] == "ok");
    CHECK (state["data"]["id"] == "organ");
    CHECK (state["data"]["state"] == "loaded");
    CHECK (f.send ("/cuegrid/playing")["data"].empty());
    CHECK (f.send ("/cuegrid/clips")["data"].size() == session.clips.size());

    // Refusals, each with its reason.
    const auto reasonOf = [&f] (const std::string& address, std::vector<OscServer::Arg> args = {})
    {
        const auto reply = f.send (address, std::move (args));
        CHECK (reply["status"] == "error");
        return reply["data"].get<std::string>();
    };
    CHECK (reasonOf ("/cuegrid/clip/organ/start") == "\"organ\" not played: no audio device");
    CHECK (reasonOf ("/cue/nothing/start") == "no clip \"nothing\"");
    CHECK (reasonOf ("/cuegrid/slot/1/1/4/8/start") == "no clip at page 1 tab 1 row 4 column 8");
    CHECK (reasonOf ("/cuegrid/slot/0/1/1/1/start") == "slot numbers are 1-based: /cuegrid/slot/{page}/{tab}/{row}/{column}/start");
    CHECK (reasonOf ("/cuegrid/group/E/level", { 0.0 }) == "group must be A-D");
    CHECK (reasonOf ("/cuegrid/master/level", { std::string ("loud") }) == "expects a level in dB (a number or \"-inf\")");
    CHECK (reasonOf ("/cuegrid/fadeAll", { -1.0 }) == "expects a fade time in seconds (0-60)");
    CHECK (reasonOf ("/cuegrid/page", { 2.0 }) == "no window to navigate");
    CHECK (reasonOf ("/cuegrid/page") == "no window");   // a getter: the app's view hook answers
    CHECK (reasonOf ("/cuegrid/showMode", { 1.0 }) == "no window to navigate");
    CHECK (reasonOf ("/cuegrid/showMode", { 2.0 }) == "expects 1 (Show mode on) or 0 (off)");
    CHECK (reasonOf ("/cuegrid/nothing") == "unknown address");
    CHECK (reasonOf ("/elsewhere/go") == "unknown address");
    CHECK (reasonOf ("") == "not an OSC address");
    CHECK (reasonOf ("/cuegrid/stopAll") == "no audio device");
    CHECK (session.master.gainDb == -144.0);   // nothing refused changed it
}

TEST_CASE ("OscServer: the OSC preferences round-trip and bad values keep their defaults with a problem")
{
    test::TemporaryFolder dir ("osc-preferences");
    Preferences preferences;
    CHECK_FALSE (preferences.oscEnabled);
    CHECK (preferences.oscPort == 53100);
    preferences.oscEnabled = true;
    preferences.oscPort = 9000;
    preferences.oscNetwork = true;
    preferences.oscPasscode = "4711";
    preferences.save (dir / "preferences.json");
    const auto loaded = Preferences::load (dir / "preferences.json");
    CHECK (loaded.problem.empty());
    CHECK (loaded.preferences.oscEnabled);
    CHECK (loaded.preferences.oscPort == 9000);
    CHECK (loaded.preferences.oscNetwork);
    CHECK (loaded.preferences.oscPasscode == "4711");

    test::writeText (dir / "bad.json", R"({"format":"cuegrid.preferences","version":1,"oscPort":80,"oscEnabled":"yes","oscPasscode":7})");
    const auto bad = Preferences::load (dir / "bad.json");
    CHECK (bad.preferences.oscPort == 53100);
    CHECK_FALSE (bad.preferences.oscEnabled);
    CHECK (bad.preferences.oscPasscode.empty());
    CHECK_THAT (bad.problem, Catch::Matchers::Contains ("oscEnabled must be true or false"));
    CHECK_THAT (bad.problem, Catch::Matchers::Contains ("oscPasscode"));
    CHECK_THAT (bad.problem, Catch::Matchers::Contains ("oscPort"));
}

TEST_CASE ("OscServer: Show mode and the shown page and tab, set and read through the app's hooks")
{
    Fixture f;
    ShowActions::View view { 1, 3, false };
    f.actions.view = [&view] { return view; };
    std::vector<double> showModes;
    f.actions.navigate = [&] (const ShowAction& a) -> std::string
    {
        if (a.type == ShowAction::Type::showMode)
        {
            showModes.push_back (a.value);
            view.showMode = a.value != 0.0;
        }
        return {};
    };
    CHECK (f.send ("/cuegrid/showMode")["data"] == 0);
    CHECK (f.send ("/cuegrid/showMode", { 1.0 })["status"] == "ok");
    CHECK (f.send ("/cuegrid/showMode", { std::string ("1") })["status"] == "ok");
    CHECK (f.send ("/cuegrid/showMode")["data"] == 1);
    CHECK (f.send ("/cuegrid/showMode", { 0.0 })["status"] == "ok");
    CHECK (showModes == std::vector<double> { 1.0, 1.0, 0.0 });
    CHECK (f.send ("/cuegrid/page")["data"] == 2);   // 1-based, as on screen
    CHECK (f.send ("/cuegrid/tab")["data"] == 4);
}

TEST_CASE ("OscServer: a port another program holds is reported as in use, and the server can start on another")
{
    Fixture f;
    OscServer other { f.actions };
    const int port = 30000 + (int) (juce::Time::getMillisecondCounter() % 20000);
    REQUIRE (other.start ({ port, true, false, {} }).empty());
    CHECK (other.isRunning());
    const auto problem = f.osc.start ({ port, true, false, {} });
    CHECK (problem == "OSC: port " + std::to_string (port) + " is in use (UDP) by another program: OSC is not running");
    CHECK_FALSE (f.osc.isRunning());
    CHECK (f.osc.start ({ port + 1, true, false, {} }).empty());
    CHECK (f.osc.isRunning());
    CHECK (f.osc.getPort() == port + 1);
    f.osc.stop();
    other.stop();
}
