// CueGrid — GPL-3.0-or-later
#include "MidiLearn.h"

#include <cmath>

namespace cuegrid
{

MidiLearn::MidiLearn (ShowController& showController, SessionEditor& sessionEditor)
    : controller (showController), editor (sessionEditor)
{
}

MidiLearn::~MidiLearn()
{
    stopTimer();
    if (midi != nullptr)
        midi->onLearned = nullptr;
}

void MidiLearn::setMidiControl (MidiControl* midiControl)
{
    if (midi != nullptr)
        midi->onLearned = nullptr;
    midi = midiControl;
    armed.reset();
    if (midi == nullptr)
    {
        stopTimer();
        return;
    }
    midi->onLearned = [this] (const MidiMapping& mapping) { learned (mapping); };
    startTimerHz (5);   // the countdown, the timeout, and --midi-learn's armed targets
}

juce::String MidiLearn::startLearn (const MidiTarget& shown, std::function<void (MidiMapper&)> arm)
{
    juce::String why;
    if (midi == nullptr)
        why = "MIDI learn: MIDI is not running";
    else if (editor.isLocked())
        why = "MIDI learn refused: Show mode: editing is locked (learning is an edit)";
    if (why.isNotEmpty())
    {
        notice (why);
        return why;
    }
    if (armed)
        cancel ("replaced");
    arm (midi->getMapper());
    armed = shown;
    armedAtMs = juce::Time::getMillisecondCounterHiRes();
    shownSeconds = -1;
    controller.writeEventLog ({ { "event", "midiLearnArmed" }, { "target", shown.toString() } });
    notice ("MIDI learn: " + waitingText (false));   // replaces an older notice (a cancel, a learn)
    stateChanged();
    return {};
}

juce::String MidiLearn::learnClip (const std::string& clipId, bool gate)
{
    if (controller.getSession().findClip (clipId) < 0)
    {
        notice ("MIDI learn: no clip \"" + juce::String (clipId) + "\"");
        return "no such clip";
    }
    MidiTarget fire;
    fire.type = MidiTarget::Type::clipFire;
    fire.clip = clipId;
    armedClip = true;   // before startLearn: its onStateChanged shows the waiting text
    auto result = startLearn (fire, [clipId, gate] (MidiMapper& mapper) { mapper.armLearnClip (clipId, gate); });
    armedClip = result.isEmpty();
    return result;
}

juce::String MidiLearn::learn (const MidiTarget& target)
{
    armedClip = false;
    return startLearn (target, [target] (MidiMapper& mapper) { mapper.armLearn (target); });
}

void MidiLearn::cancel (const juce::String& why)
{
    if (midi == nullptr || ! midi->getMapper().isLearning())
        return;
    const auto target = learningTarget();
    midi->getMapper().cancelLearn();
    armed.reset();
    controller.writeEventLog ({ { "event", "midiLearnCancelled" }, { "target", target ? target->toString() : std::string() },
                                { "why", why.toStdString() } });
    notice (why == "cancelled" ? juce::String ("MIDI learn cancelled") : "MIDI learn cancelled (" + why + ")");
    stateChanged();
}

bool MidiLearn::isLearning() const
{
    return midi != nullptr && midi->getMapper().isLearning();
}

std::optional<MidiTarget> MidiLearn::learningTarget() const
{
    return midi != nullptr ? midi->getMapper().learningTarget() : std::nullopt;
}

juce::String MidiLearn::waitingText (bool withCountdown) const
{
    const auto target = learningTarget();
    if (! target)
        return {};
    const auto& session = controller.getSession();
    juce::String what;
    if (armed && armedClip)
        what = targetTitle (*target, session) + " (a note fires it, a CC sets its level)";
    else if (target->isFader())
        what = targetTitle (*target, session) + " (a CC)";
    else if (target->type == MidiTarget::Type::page && target->page == 0)
        what = "the page (a program change)";
    else
        what = targetTitle (*target, session) + " (a note)";
    auto text = "Move a control for " + what + juce::String::fromUTF8 ("\xe2\x80\xa6");
    if (armed && withCountdown)
        text << "  " << juce::jmax (0, shownSeconds) << " s";
    return text;
}

void MidiLearn::timerCallback()
{
    if (midi == nullptr)
        return;
    if (armed && ! midi->getMapper().isLearning())
    {
        // Learned (learned() already said so), or cancelled from elsewhere.
        armed.reset();
        stateChanged();
        return;
    }
    if (! armed)
        return;
    if (editor.isLocked())
        return cancel ("Show mode");
    const auto elapsed = (juce::Time::getMillisecondCounterHiRes() - armedAtMs) / 1000.0;
    if (elapsed >= timeoutSeconds)
        return cancel ("no control moved in " + juce::String ((int) timeoutSeconds) + " s");
    const auto left = (int) std::ceil (timeoutSeconds - elapsed);
    if (left != shownSeconds)
    {
        shownSeconds = left;
        stateChanged();
    }
}

void MidiLearn::learned (const MidiMapping& mapping)
{
    // Kept in the session as one undoable edit; refused in Show mode (edits are locked, e.g.
    // --midi-learn while Show mode is on), and then the mapper goes back to the session's.
    auto stored = controller.getSession().midi;
    stored.mappings = midi->getMapper().getMappings();
    const auto result = editor.setMidi (std::move (stored), "MIDI learn " + mapping.target.toString());
    nlohmann::ordered_json line;
    line["event"] = "midiLearned";
    line["mapping"] = mapping.toJson();
    line["stored"] = static_cast<bool> (result);
    controller.writeEventLog (line);
    if (! result)
    {
        sessionChanged();
        notice ("MIDI learn not kept: " + juce::String (result.reason));
    }
    else
        notice ("MIDI learned: " + juce::String (mapping.describe()) + juce::String::fromUTF8 (" \xe2\x86\x92 ")
                + targetTitle (mapping.target, controller.getSession()) + " (" + modeText (mapping) + ")");
    armed.reset();
    stateChanged();
}

SessionEditor::Result MidiLearn::edit (SessionMidi changed, const std::string& name)
{
    auto result = editor.setMidi (std::move (changed), name);
    if (! result)
        notice (juce::String (result.reason));
    sessionChanged();
    return result;
}

SessionEditor::Result MidiLearn::removeMapping (size_t index)
{
    auto changed = controller.getSession().midi;
    if (index >= changed.mappings.size())
        return SessionEditor::Result::refused ("no such mapping");
    const auto removed = changed.mappings[index];
    changed.mappings.erase (changed.mappings.begin() + (std::ptrdiff_t) index);
    auto result = edit (std::move (changed), "Delete MIDI mapping " + removed.describe());
    if (result)
        controller.writeEventLog ({ { "event", "midiMappingDeleted" }, { "mapping", removed.toJson() } });
    return result;
}

SessionEditor::Result MidiLearn::replaceMapping (size_t index, const MidiMapping& mapping)
{
    auto changed = controller.getSession().midi;
    if (index >= changed.mappings.size())
        return SessionEditor::Result::refused ("no such mapping");
    changed.mappings[index] = mapping;
    return edit (std::move (changed), "Change MIDI mapping " + mapping.describe());
}

SessionEditor::Result MidiLearn::setFeedback (const MidiFeedbackValues& values)
{
    auto changed = controller.getSession().midi;
    changed.feedback = values;
    return edit (std::move (changed), "MIDI feedback values");
}

void MidiLearn::sessionChanged()
{
    if (midi == nullptr)
        return;
    const auto& stored = controller.getSession().midi;
    auto& mapper = midi->getMapper();
    if (mapper.getMappings() == stored.mappings && mapper.feedbackValues == stored.feedback)
        return;
    mapper.setMappings (stored.mappings);
    mapper.feedbackValues = stored.feedback;
    midi->resendFeedback();
}

juce::String MidiLearn::targetTitle (const MidiTarget& target, const Session& session)
{
    using T = MidiTarget::Type;
    const auto clipName = [&]
    {
        const auto index = session.findClip (target.clip);
        if (index < 0)
            return juce::String (target.clip) + " (missing clip)";
        const auto& label = session.clips[(size_t) index].label;
        return label.empty() || label == target.clip ? juce::String (target.clip) : juce::String (label) + " (" + juce::String (target.clip) + ")";
    };
    switch (target.type)
    {
        case T::clipFire: case T::clipToggle: return clipName();
        case T::clipLevel: return clipName() + " level";
        case T::groupLevel: return juce::String ("Group ") + (char) ('A' + target.group) + " fader";
        case T::masterLevel: return "Master fader";
        case T::stopAll: return "Stop All";
        case T::fadeAll: return "Fade All";
        case T::pauseAll: return "Pause All";
        case T::resumeAll: return "Resume All";
        case T::panic: return "Panic";
        case T::page: return target.page > 0 ? "Page " + juce::String (target.page + 1) : juce::String ("Page (program change)");
        case T::nextPage: return "Next page";
        case T::previousPage: return "Previous page";
        case T::nextTab: return "Next tab";
        case T::previousTab: return "Previous tab";
        case T::showMode: return "Show mode on/off";
        case T::showModeOn: return "Show mode on";
        case T::showModeOff: return "Show mode off";
    }
    return "?";
}

juce::String MidiLearn::modeText (const MidiMapping& mapping)
{
    using T = MidiTarget::Type;
    if (mapping.kind == MidiMapping::Kind::cc)
        return mapping.mode == MidiMapping::CcMode::relative ? "relative" : "absolute";
    if (mapping.kind == MidiMapping::Kind::program)
        return "page";
    if (mapping.target.type == T::clipToggle)
        return "toggle";
    if (mapping.target.type == T::clipFire)
        return mapping.gate ? "gate" : "fire";
    return "trigger";
}

juce::String MidiLearn::clipMappingsText (const std::string& clipId) const
{
    juce::StringArray parts;
    for (const auto& m : controller.getSession().midi.mappings)
        if (! clipId.empty() && m.target.clip == clipId)
            parts.add (juce::String (m.describe()));
    return parts.joinIntoString (", ");
}

} // namespace cuegrid
