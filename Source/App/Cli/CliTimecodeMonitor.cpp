// CueGrid — GPL-3.0-or-later
// `cuegrid timecode monitor`: the clock manager running on a live audio device with every
// timecode source CueGrid has (the LTC input, each MIDI input's MTC, PTP), its health printed
// as NDJSON: one line per source and one for the master every second, and each clock event as
// it happens (docs/cli.md, "timecode monitor").
#include "CliCommands.h"
#include "CliTimecode.h"
#include "MasterTrace.h"

#include "Clock/ClockJson.h"
#include "Clock/PtpSource.h"
#include "Control/MtcInputs.h"
#include "Engine/DeviceSetup.h"
#include "Engine/EngineDeviceCallback.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

namespace cuegrid::cli
{

namespace
{
std::atomic<bool> monitorInterrupted { false };
extern "C" void onMonitorInterrupt (int) { monitorInterrupted = true; }

void print (const nlohmann::ordered_json& line)
{
    std::cout << line.dump() << "\n" << std::flush;
}
} // namespace

int runTimecodeMonitor (const TimecodeOptions& options)
{
    juce::ScopedJuceInitialiser_GUI juceInitialiser;
    juce::AudioDeviceManager deviceManager;
    const auto deviceError = openAudioDevice (deviceManager, { options.deviceType, "", options.monitorRate, 0, 2,
                                                               std::max (options.ltcChannel, 0) });
    if (! deviceError.empty())
    {
        std::cerr << "cuegrid: error: cannot open audio device: " << deviceError << "\n";
        return noAudioDevice;
    }
    auto* device = deviceManager.getCurrentAudioDevice();
    const auto inputs = device->getActiveInputChannels().countNumberOfSetBits();
    if (options.ltcChannel > inputs)
    {
        std::cerr << "cuegrid: error: --ltc-channel " << options.ltcChannel << ": the device has " << inputs << " input channel(s) open\n";
        return noAudioDevice;
    }

    auto engine = std::make_unique<Engine>();
    auto& timecode = engine->getTimecode();
    timecode.setLtcInput (options.ltcChannel - 1, device->getInputLatencyInSamples());
    auto& manager = timecode.getManager();
    EngineDeviceCallback callback (*engine);
    std::unique_ptr<MasterTrace> trace;   // --master-trace: wraps the engine's callback
    if (! options.masterTrace.empty())
    {
        trace = std::make_unique<MasterTrace> (callback, manager, options.masterTrace);
        if (! trace->isOpen())
        {
            std::cerr << "cuegrid: error: cannot write " << options.masterTrace << "\n";
            return outputUnwritable;
        }
    }
    juce::AudioIODeviceCallback* deviceCallback = trace != nullptr ? static_cast<juce::AudioIODeviceCallback*> (trace.get()) : &callback;
    deviceManager.addAudioCallback (deviceCallback);   // prepares the engine and its clock manager
    ClockSettings settings;   // applied after the device started (prepare() resets them)
    if (options.qualityThreshold >= 0) settings.qualityThreshold = options.qualityThreshold;
    if (options.flywheelSeconds >= 0.0) settings.flywheelSeconds = options.flywheelSeconds;
    manager.setSettings (settings);
    const auto& sampleClock = timecode.getSampleClock();
    std::cerr << "cuegrid: monitoring timecode on " << describeAudioDevice (deviceManager)
              << (options.ltcChannel > 0 ? ", LTC on input " + std::to_string (options.ltcChannel) : std::string (", no LTC input")) << "\n";

    // Every MIDI input is an MTC peer: JACK MIDI ports of our own client, and each ALSA input.
    MtcInputs mtc;
    mtc.setClock (&manager, &sampleClock);
    JackMidi jack;
    if (const auto problem = jack.open ("cuegrid-timecode"); ! problem.empty())
        std::cerr << "cuegrid: JACK MIDI: " << problem << "\n";
    else
        std::cerr << "cuegrid: JACK MIDI ports " << jack.getClientName() << ":in, :mtc_2 .. :mtc_" << JackMidi::mtcPortCount << "\n";
    auto jackCyclesAtOpen = jack.getCycles();   // the client's callbacks when it was (re)opened
    auto jackRunningSaid = ! jack.isOpen();
    std::vector<std::unique_ptr<MtcInputs::DeviceTap>> taps;
    std::vector<std::unique_ptr<juce::MidiInput>> alsaInputs;
    for (const auto& info : juce::MidiInput::getAvailableDevices())
    {
        if (info.name.startsWith ("cuegrid"))
            continue;
        auto tap = mtc.makeDeviceTap (info.name, nullptr);
        if (auto input = juce::MidiInput::openDevice (info.identifier, tap.get()))
        {
            input->start();
            alsaInputs.push_back (std::move (input));
            taps.push_back (std::move (tap));
        }
    }

    PtpSource ptp (manager, sampleClock);
    ptp.start();
    std::string lastPtp;

    std::signal (SIGINT, onMonitorInterrupt);
    std::signal (SIGTERM, onMonitorInterrupt);
    const auto start = std::chrono::steady_clock::now();
    auto nextReport = start + std::chrono::seconds (1);
    ClockEvent event;
    while (! monitorInterrupted)
    {
        const auto now = std::chrono::steady_clock::now();
        if (options.monitorSeconds > 0.0 && now - start >= std::chrono::duration<double> (options.monitorSeconds))
            break;
        if (jack.isStalled (1.0))   // a second of server cycles without our callback (JackMidi::isStalled)
        {
            mtc.detachJack (jack);
            const auto problem = jack.reopen();
            print ({ { "event", "jackMidiReopened" }, { "reason", "stalled" }, { "ok", problem.empty() }, { "problem", problem } });
            jackCyclesAtOpen = jack.getCycles();
            jackRunningSaid = ! jack.isOpen();
        }
        if (! jackRunningSaid && jack.getCycles() > jackCyclesAtOpen)
        {
            jackRunningSaid = true;   // from now on MTC over JACK arrives
            print ({ { "event", "jackMidiRunning" }, { "client", jack.getClientName() } });
        }
        mtc.updateJack (jack);
        if (trace != nullptr)
            trace->drain();
        while (manager.popEvent (event))
            print (clockEventJson (event, manager));
        if (const auto text = ptp.describe(); text != lastPtp)
        {
            lastPtp = text;
            print ({ { "event", "ptpStatus" }, { "status", text } });
        }
        if (now >= nextReport)
        {
            nextReport += std::chrono::seconds (1);
            const auto master = manager.getMaster();
            for (int slot = 0; slot < ClockManager::maxSources; ++slot)
                if (const auto health = manager.getHealth (slot); health.inUse)
                    print (sourceHealthJson (slot, health, master));
            print (masterJson (master, manager));
        }
        std::this_thread::sleep_for (std::chrono::milliseconds (20));
    }
    ptp.stop();
    for (auto& input : alsaInputs)
        input->stop();
    alsaInputs.clear();
    mtc.detachJack (jack);
    jack.close();
    deviceManager.removeAudioCallback (deviceCallback);
    deviceManager.closeAudioDevice();
    if (trace != nullptr)
        trace->finish();
    while (manager.popEvent (event))
        print (clockEventJson (event, manager));
    return success;
}

} // namespace cuegrid::cli
