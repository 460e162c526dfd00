// CueGrid — GPL-3.0-or-later
// ShowController's Record A/B: commands to the engine's record buses, the writer's target and
// reports, the record buttons' state. Message thread.
#include "ShowController.h"

#include "Session/ClipPlayback.h"

namespace cuegrid
{

RecordInputs ShowController::deviceRecordInputs() const
{
    const auto wanted = recordInputs (loaded.session.routing);
    auto* device = devices.getCurrentAudioDevice();
    return device != nullptr ? recordInputsForDevice (wanted, device->getActiveInputChannels()) : wanted;
}

void ShowController::setRecordingTarget()
{
    RecordingTarget target;
    const juce::File session (loaded.path);
    target.folder = session.getParentDirectory().getFullPathName().toStdString();
    target.stem = session.getFileNameWithoutExtension().toStdString();
    target.format.container = loaded.session.recording.flac ? RecordingFormat::Container::flac : RecordingFormat::Container::wav;
    target.format.sample = loaded.session.recording.floatSamples ? RecordingFormat::Sample::float32 : RecordingFormat::Sample::int24;
    target.sampleRate = engine->getSampleRate();
    recorder->setTarget (target);
}

void ShowController::recordStart (int buses)
{
    std::string refused;
    if (! isAudioRunning())
        refused = "no audio device";
    else if (loaded.path.empty() || ! juce::File::isAbsolutePath (loaded.path))
        refused = "the session has no folder yet (save it first)";
    if (! refused.empty())
    {
        actionProblem = std::string ("not recorded: ") + refused;
        actionProblemSeconds = juce::Time::getMillisecondCounterHiRes() / 1000.0;
        notice (actionProblem);
        return;
    }
    setRecordingTarget();
    EngineCommand command;
    command.type = EngineCommand::Type::recordStart;
    command.group = buses & recordBusBoth;
    post (command);
}

void ShowController::recordStop (int buses)
{
    EngineCommand command;
    command.type = EngineCommand::Type::recordStop;
    command.group = buses & recordBusBoth;
    post (command);
}

ShowController::RecordState ShowController::getRecordState (int bus)
{
    auto& ring = engine->getRecordBus (bus);
    RecordState state;
    state.recording = ring.isRecording();
    state.elapsedSec = (double) ring.getTakeFrames() / engine->getSampleRate();
    const auto peaks = ring.takePeak();
    state.peakLeft = peaks[0];
    state.peakRight = peaks[1];
    const auto inputs = deviceRecordInputs();
    state.hasInputs = isAudioRunning() && inputs.left[bus] >= 0 && inputs.right[bus] >= 0;
    state.file = recorder->getFile (bus);
    return state;
}

void ShowController::updateRecording()
{
    // JACK enables the input ports that are connected: a connection made or undone outside
    // the app renumbers the engine's inputs, as it does the outputs.
    if (auto* device = devices.getCurrentAudioDevice(); device != nullptr && deviceState == DeviceState::running
                                                        && device->getActiveInputChannels() != recordedInputs)
    {
        recordedInputs = device->getActiveInputChannels();
        EngineCommand command;
        command.type = EngineCommand::Type::setRecordInputs;
        command.recordInputs = deviceRecordInputs();
        post (command);
    }
    for (const auto& line : recorder->takeReports())
    {
        writeEventLog (line);
        if (line.value ("event", "") == "recordError")
            notice ("recording " + line.value ("bus", std::string()) + ": " + line.value ("error", std::string()));
    }
}

} // namespace cuegrid
