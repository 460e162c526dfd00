// CueGrid — GPL-3.0-or-later
#include "Control/MidiControl.h"

namespace cuegrid
{

MidiControl::MidiControl (ShowActions& a) : actions (a) {}

MidiControl::~MidiControl()
{
    stopTimer();
    for (auto& d : devices)
        d->stop();
    devices.clear();
    mtc.detachJack (jack);
    jack.close();
}

void MidiControl::loadSessionMappings()
{
    // A session opened (or reopened): its learned mappings and feedback values replace the
    // previous session's; learn armed for this run (--midi-learn) stays armed.
    const auto& session = actions.getController().getSession();
    mappingsFrom = actions.getController().getSessionPath();
    mapper.setMappings (session.midi.mappings);
    mapper.feedbackValues = session.midi.feedback;
    resendFeedback();
}

std::string MidiControl::start()
{
    loadSessionMappings();
    const auto problem = jack.open();
    jackOpened();
    mtc.updateJack (jack);
    scanDevices();
    startTimer (2);
    return problem.empty() ? std::string() : "JACK MIDI: " + problem;
}

juce::StringArray MidiControl::getOpenDevices() const
{
    juce::StringArray names;
    for (auto& d : devices)
        names.add (d->getName());
    return names;
}

void MidiControl::scanDevices()
{
    const auto available = juce::MidiInput::getAvailableDevices();
    // A device unplugged: closed, and its MTC peer (a clock source) goes with it.
    for (size_t i = devices.size(); i-- > 0;)
        if (std::none_of (available.begin(), available.end(), [&] (const auto& info) { return info.identifier == devices[i]->getIdentifier(); }))
        {
            devices[i]->stop();
            devices.erase (devices.begin() + (std::ptrdiff_t) i);
            taps.erase (taps.begin() + (std::ptrdiff_t) i);
        }
    for (const auto& info : available)
    {
        const bool open = std::any_of (devices.begin(), devices.end(), [&] (auto& d) { return d->getIdentifier() == info.identifier; });
        // Our own JACK client is not an ALSA device; skip JUCE's view of other clients' ports of ours.
        if (open || info.name.startsWith ("cuegrid"))
            continue;
        auto tap = mtc.makeDeviceTap (info.name, this);   // MTC to its own peer, the rest to the mappings
        if (auto device = juce::MidiInput::openDevice (info.identifier, tap.get()))
        {
            device->start();
            devices.push_back (std::move (device));
            taps.push_back (std::move (tap));
        }
    }
}

void MidiControl::handleIncomingMidiMessage (juce::MidiInput*, const juce::MidiMessage& message)
{
    // JUCE's MIDI thread (not realtime): hand over to the message thread.
    if (message.getRawDataSize() < 2 || message.getRawDataSize() > 3 || message.isSysEx())
        return;
    MidiBytes bytes;
    bytes.size = (std::uint8_t) message.getRawDataSize();
    for (int i = 0; i < bytes.size; ++i)
        bytes.data[i] = message.getRawData()[i];
    const std::lock_guard<std::mutex> guard (deviceQueueLock);
    deviceQueue.emplace_back (bytes, juce::Time::getMillisecondCounterHiRes());
}

void MidiControl::jackOpened()
{
    jackCyclesAtOpen = jack.getCycles();
    jackRunningSaid = ! jack.isOpen();
}

void MidiControl::timerCallback()
{
    const auto nowMs = juce::Time::getMillisecondCounterHiRes();
    if (! jackRunningSaid && jack.getCycles() > jackCyclesAtOpen)
    {
        jackRunningSaid = true;
        if (onJackRunning) onJackRunning (jack.getClientName());
    }
    JackMidi::Event event;
    if (jack.isOpen())
    {
        const auto nowFrames = jack.framesNow();
        while (jack.pop (event))
        {
            // Arrival = the message's frame time: the JACK block and this timer's wait count as latency.
            const auto ageFrames = (double) (std::int32_t) (nowFrames - event.frameTime);
            handleMessage (event.bytes, nowMs - std::max (0.0, ageFrames) * 1000.0 / jack.getSampleRate());
        }
    }
    std::vector<std::pair<MidiBytes, double>> fromDevices;
    {
        const std::lock_guard<std::mutex> guard (deviceQueueLock);
        fromDevices.swap (deviceQueue);
    }
    for (auto& [bytes, arrival] : fromDevices)
        handleMessage (bytes, arrival);

    // Another session, or an undo of a learn: the session's mappings win.
    if (ticks % 250 == 0 && (actions.getController().getSessionPath() != mappingsFrom
                             || actions.getController().getSession().midi.mappings != mapper.getMappings()))
        loadSessionMappings();
    if (++ticks % 1000 == 0)   // every ~2 s: devices plugged in since
        scanDevices();
    if (ticks % 125 == 0)      // every ~250 ms: MTC senders connected to (or gone from) the JACK ports
    {
        if (jack.isStalled (1.0))   // a second of server cycles without our callback: reopen the client
        {
            mtc.detachJack (jack);
            const auto problem = jack.reopen();
            jackOpened();
            if (onJackReopened) onJackReopened (problem);
        }
        mtc.updateJack (jack);
    }
    if (ticks % 10 == 0)       // feedback at ~50 Hz: a state change reaches the pads within 20 ms
        sendFeedback();
}

void MidiControl::handleMessage (const MidiBytes& message, double arrivalMs)
{
    auto result = mapper.handle (message);
    if (result.learned)
    {
        resendFeedback();
        if (onLearned) onLearned (*result.learned);
    }
    for (const auto& a : result.actions)
        perform (a, arrivalMs);
    if (onMessage)
        onMessage (juce::String::toHexString (message.data, message.size) + (result.learned ? " learned" : ""));
}

void MidiControl::perform (const MidiAction& a, double arrivalMs)
{
    using T = ShowAction::Type;
    auto& show = actions.getController();
    const auto& session = show.getSession();
    ShowAction action;
    switch (a.target.type)
    {
        case MidiTarget::Type::clipFire:
            action = ShowAction::forClipId (a.release ? T::gateRelease : T::fire, a.target.clip);
            break;
        case MidiTarget::Type::clipToggle:   // a GO either way: one debounce for its start and its stop
            action = ShowAction::forClipId (T::toggle, a.target.clip);
            break;
        case MidiTarget::Type::clipLevel:
        {
            const auto clip = session.findClip (a.target.clip);
            const auto current = clip >= 0 ? session.clips[(size_t) clip].levelTrimDb : 0.0;
            action = ShowAction::forClipId (T::clipLevel, a.target.clip);
            action.value = a.relative ? current + a.decibels : a.decibels;
            break;
        }
        case MidiTarget::Type::groupLevel:
        {
            const auto current = session.groups[(size_t) std::clamp (a.target.group, 0, 3)].gainDb;
            action = ShowAction::forGroup (T::groupLevel, a.target.group, a.relative ? current + a.decibels : a.decibels);
            break;
        }
        case MidiTarget::Type::masterLevel:
            action = ShowAction::of (T::masterLevel, a.relative ? session.master.gainDb + a.decibels : a.decibels);
            break;
        case MidiTarget::Type::stopAll: action = ShowAction::of (T::stopAll); break;
        case MidiTarget::Type::fadeAll: action = ShowAction::of (T::fadeAll, 1.0); break;   // FADE ALL's own 1 s
        case MidiTarget::Type::pauseAll: action = ShowAction::of (T::pauseAll); break;
        case MidiTarget::Type::resumeAll: action = ShowAction::of (T::resumeAll); break;
        case MidiTarget::Type::panic: action = ShowAction::of (T::panic); break;
        case MidiTarget::Type::page: action = ShowAction::of (T::page, a.page); break;
        case MidiTarget::Type::nextPage: action = ShowAction::of (T::nextPage); break;
        case MidiTarget::Type::previousPage: action = ShowAction::of (T::previousPage); break;
        case MidiTarget::Type::nextTab: action = ShowAction::of (T::nextTab); break;
        case MidiTarget::Type::previousTab: action = ShowAction::of (T::previousTab); break;
        case MidiTarget::Type::showMode:   // a toggle: the opposite of what the window shows now
            action = ShowAction::of (T::showMode, actions.view && actions.view().showMode ? 0.0 : 1.0);
            break;
        case MidiTarget::Type::showModeOn: action = ShowAction::of (T::showMode, 1.0); break;
        case MidiTarget::Type::showModeOff: action = ShowAction::of (T::showMode, 0.0); break;
    }
    // A gate note whose note on the debounce dropped: its note off stops nothing.
    if (action.type == T::gateRelease && droppedGates.erase (a.target.clip) != 0)
        return;
    const auto result = actions.perform (action, ActionSource::midi, arrivalMs);
    if (action.type == T::fire && result.dropped)
        droppedGates.insert (a.target.clip);
    else if (action.type == T::fire)
        droppedGates.erase (a.target.clip);   // a stale entry (a non-gate note has no note off) goes
    // Group and master faders leave no engine event: log where MIDI moved them (clip levels log clipLevels).
    if (result.ok && (action.type == T::groupLevel || action.type == T::masterLevel))
    {
        nlohmann::ordered_json line;
        line["event"] = action.type == T::groupLevel ? "groupLevel" : "masterLevel";
        if (action.type == T::groupLevel)
            line["group"] = std::string (1, (char) ('A' + action.group));
        line["gainDb"] = action.type == T::groupLevel ? session.groups[(size_t) action.group].gainDb : session.master.gainDb;
        line["source"] = "midi";
        show.writeEventLog (line);
    }
}

void MidiControl::sendFeedback()
{
    if (! jack.isOpen())
        return;
    auto& show = actions.getController();
    const auto& session = show.getSession();
    for (const auto& m : mapper.getMappings())
    {
        if (m.target.clip.empty() || m.target.isFader())
            continue;
        const auto clip = session.findClip (m.target.clip);
        auto light = MidiMapper::ClipLight::empty;
        if (clip >= 0)
        {
            const auto state = show.getClipState (clip);
            light = ! show.mediaError (clip).empty() ? MidiMapper::ClipLight::missing
                  : state.paused                     ? MidiMapper::ClipLight::paused
                  : state.playing                    ? MidiMapper::ClipLight::playing
                  : show.hasMedia (clip)             ? MidiMapper::ClipLight::loaded
                                                     : MidiMapper::ClipLight::empty;
        }
        auto [it, inserted] = lastLight.try_emplace (m.target.clip, light);
        if (! inserted && it->second == light)
            continue;
        it->second = light;
        for (const auto& message : mapper.feedbackFor (m.target.clip, light))
            jack.send (message);
    }
}

} // namespace cuegrid
