// CueGrid — GPL-3.0-or-later
#include "ClipInspector.h"

#include "Session/ClipPlayback.h"
#include "Session/Limits.h"
#include "Session/MediaLoader.h"

namespace cuegrid
{

namespace
{
    const juce::Colour panelColour (0xff202327), captionColour (0xffb8c0c8);
    constexpr std::array<FadeCurve, 4> curves { FadeCurve::linear, FadeCurve::equalPower, FadeCurve::sCurve, FadeCurve::exponential };
    constexpr std::array<RetriggerMode, 4> retriggerModes { RetriggerMode::restart, RetriggerMode::stop, RetriggerMode::pause, RetriggerMode::layer };

    const char* handleActionName (WaveformHandle handle)
    {
        switch (handle)
        {
            case WaveformHandle::cueIn: return "Drag cue in";
            case WaveformHandle::cueOut: return "Drag cue out";
            case WaveformHandle::loopIn: return "Drag loop in";
            case WaveformHandle::loopOut: return "Drag loop out";
            case WaveformHandle::fadeIn: return "Drag fade-in";
            case WaveformHandle::fadeOut: return "Drag fade-out";
            case WaveformHandle::none: break;
        }
        return "Drag";
    }

    /** Combo box item ids: 1 = the session default, 2… = curves in `curves` order. */
    int curveItem (const std::optional<FadeCurve>& curve)
    {
        if (! curve)
            return 1;
        for (size_t i = 0; i < curves.size(); ++i)
            if (curves[i] == *curve)
                return (int) i + 2;
        return 1;
    }
}

inspectorText::ParsedNumber ClipInspector::parseNumber (const juce::String& text)
{
    return inspectorText::parseNumber (text.toStdString());
}

juce::String ClipInspector::secondsText (double seconds) { return inspectorText::formatSeconds (seconds); }
juce::String ClipInspector::msText (double ms) { return inspectorText::formatMs (ms); }

ClipInspector::ClipInspector (ShowController& showController, SessionEditor& sessionEditor, ThumbnailStore& thumbnails)
    : controller (showController), editor (sessionEditor), waveform (thumbnails)
{
    title.setFont (juce::Font (16.0f, juce::Font::bold));
    title.setColour (juce::Label::textColourId, juce::Colours::white);
    addAndMakeVisible (title);

    auditionButton.setWantsKeyboardFocus (false);
    auditionButton.setColour (juce::TextButton::buttonColourId, juce::Colour (0xff2a4a6e));
    auditionButton.setTooltip ("Plays the clip from its cue in on the Audition bus (PFL)");
    auditionButton.onClick = [this]
    {
        if (const auto index = clipIndex(); index >= 0)
            controller.auditionClip (index);
    };
    addAndMakeVisible (auditionButton);
    learnMidiButton.setWantsKeyboardFocus (false);
    learnMidiButton.setTooltip ("Then move a control: a note fires this clip, a CC sets its level (Escape cancels)");
    learnMidiButton.onClick = [this] { if (onLearnMidi) onLearnMidi(); };
    addAndMakeVisible (learnMidiButton);
    midiLabel.setColour (juce::Label::textColourId, juce::Colours::lightgrey);
    midiLabel.setFont (juce::Font (13.0f));
    midiLabel.setMinimumHorizontalScale (0.7f);
    addAndMakeVisible (midiLabel);

    // A click on the waveform, a button or the background focuses the panel itself (else JUCE
    // would give the focus to its first field): a typed field commits, and the keys it does not
    // use (Ctrl+Z, I) go on to the main window.
    setWantsKeyboardFocus (true);
    waveform.onDragStart = [this] (WaveformHandle handle)
    {
        if (clipIndex() >= 0 && ! editor.isLocked())
            gesture.emplace (editor.beginGesture (handleActionName (handle)));
    };
    waveform.onDrag = [this] (WaveformHandle handle, double seconds) { dragTo (handle, seconds); };
    waveform.onDragEnd = [this] { gesture.reset(); };   // one undo step per drag
    addAndMakeVisible (waveform);

    using R = SessionEditor::Result;
    labelField = &addField ("Label", "Label", [this] (const juce::String& text)
                            { return edit ([&] (int clip) { return editor.setLabel (clip, text.toStdString()); }); });
    colourField = &addField ("Colour", "Colour", [this] (const juce::String& text)
                             { return edit ([&] (int clip) { return editor.setColour (clip, text.toLowerCase().toStdString()); }); });
    gainField = &addField ("Gain", "Gain dB", [this] (const juce::String& text)
                           { return editNumber (text, "gain", [this] (int clip, std::optional<double> v) { return editor.setGain (clip, v.value_or (0.0)); }); });
    trimField = &addField ("LevelTrim", "Trim dB", [this] (const juce::String& text)
                           { return editNumber (text, "level trim", [this] (int clip, std::optional<double> v) { return editor.setLevelTrim (clip, v.value_or (0.0)); }); });
    fadeInField = &addField ("FadeIn", "Fade in ms", [this] (const juce::String& text)
                             { return editNumber (text, "fade in", [this] (int clip, std::optional<double> v) { return editor.setFadeIn (clip, v); }); });
    fadeOutField = &addField ("FadeOut", "Fade out ms", [this] (const juce::String& text)
                              { return editNumber (text, "fade out", [this] (int clip, std::optional<double> v) { return editor.setFadeOut (clip, v); }); });
    cueInField = &addField ("CueIn", "Cue in s", [this] (const juce::String& text)
    {
        return editNumber (text, "cue in", [this] (int clip, std::optional<double> v)
                           { return pastTheEnd (v) ? tooLate (v, "cue in") : editor.setCueIn (clip, v); });
    });
    cueOutField = &addField ("CueOut", "Cue out s", [this] (const juce::String& text)
    {
        return editNumber (text, "cue out", [this] (int clip, std::optional<double> v)
                           { return pastTheEnd (v) ? tooLate (v, "cue out") : editor.setCueOut (clip, v); });
    });
    // `isTime`: a loop point (checked against the file's length), else the loop count.
    auto editLoop = [this] (const juce::String& text, const char* what, bool isTime,
                            std::function<void (LoopSettings&, std::optional<double>)> change)
    {
        return editNumber (text, what, [this, change, what, isTime] (int clip, std::optional<double> v) -> R
        {
            if (isTime && pastTheEnd (v))
                return tooLate (v, what);
            const auto& loop = editor.getSession().clips[(size_t) clip].loop;
            if (! loop)
                return R::refused ("the clip has no loop: turn Loop on first");
            auto changed = *loop;
            change (changed, v);
            return editor.setLoop (clip, changed);
        });
    };
    loopInField = &addField ("LoopIn", "Loop in s", [editLoop] (const juce::String& text)
                             { return editLoop (text, "loop in", true, [] (LoopSettings& l, std::optional<double> v) { l.inSec = v; }); });
    loopOutField = &addField ("LoopOut", "Loop out s", [editLoop] (const juce::String& text)
                              { return editLoop (text, "loop out", true, [] (LoopSettings& l, std::optional<double> v) { l.outSec = v; }); });
    loopCountField = &addField ("LoopCount", "Loops", [editLoop] (const juce::String& text) -> R
    {
        const auto parsed = parseNumber (text);
        // Checked before the conversion to int (the editor checks the same range after it).
        if (parsed.ok && parsed.value && (*parsed.value < 0 || *parsed.value > limits::maxLoopCount
                                          || *parsed.value != std::floor (*parsed.value)))
            return R::refused ("loop count must be a whole number from 0 (until stopped) to " + std::to_string (limits::maxLoopCount));
        return editLoop (text, "loops", false, [] (LoopSettings& l, std::optional<double> v) { l.count = (int) v.value_or (0.0); });
    });
    panField = &addField ("Pan", "Pan", [this] (const juce::String& text)
                          { return editNumber (text, "pan", [this] (int clip, std::optional<double> v) { return editor.setPan (clip, v.value_or (0.0)); }); });
    notesField = &addField ("Notes", "Notes", [this] (const juce::String& text)
                           { return edit ([&] (int clip) { return editor.setNotes (clip, text.toStdString()); }); });
    notesField->editor.setMultiLine (true, true);
    notesField->editor.setReturnKeyStartsNewLine (true);
    labelField->editor.setTooltip ("The button's text");
    colourField->editor.setTooltip ("#rrggbb");
    fadeInField->editor.setTooltip ("Fade-in length, ms (0-3000); empty: the session's default");
    fadeOutField->editor.setTooltip ("Fade-out length on stop and at the cue region's end, ms (0-3000); empty: the session's default");
    cueInField->editor.setTooltip ("Where the clip starts, seconds of the file; empty: the file's start");
    cueOutField->editor.setTooltip ("Where the clip ends, seconds of the file; empty: the file's end");
    panField->editor.setTooltip ("-1 (left) ... +1 (right)");
    loopCountField->editor.setTooltip ("How many times the loop region plays; empty or 0: until stopped");

    addCaption (groupCaption, "Group");
    addCaption (retriggerCaption, "Retrigger");
    for (int group = 0; group < 4; ++group)
        groupBox.addItem (juce::String::charToString ((juce::juce_wchar) groupLetter (group)), group + 1);
    groupBox.onChange = [this]
    {
        if (const auto selected = groupBox.getSelectedId(); selected > 0)
            report (edit ([&] (int clip) { return editor.setGroup (clip, selected - 1); }));
    };
    for (auto* box : { &fadeInCurveBox, &fadeOutCurveBox })
    {
        box->addItem (box == &fadeInCurveBox ? "In: default curve" : "Out: default curve", 1);
        for (size_t i = 0; i < curves.size(); ++i)
            box->addItem ((box == &fadeInCurveBox ? "In: " : "Out: ") + juce::String (fadeCurveName (curves[i])), (int) i + 2);
    }
    fadeInCurveBox.setTooltip ("Fade-in curve");
    fadeOutCurveBox.setTooltip ("Fade-out curve");
    auto curveOf = [] (int item) { return item >= 2 ? std::optional<FadeCurve> (curves[(size_t) item - 2]) : std::nullopt; };
    fadeInCurveBox.onChange = [this, curveOf]
    {
        report (edit ([&] (int clip) { return editor.setFadeInCurve (clip, curveOf (fadeInCurveBox.getSelectedId())); }));
    };
    fadeOutCurveBox.onChange = [this, curveOf]
    {
        report (edit ([&] (int clip) { return editor.setFadeOutCurve (clip, curveOf (fadeOutCurveBox.getSelectedId())); }));
    };
    for (size_t i = 0; i < retriggerModes.size(); ++i)
        retriggerBox.addItem (retriggerModeName (retriggerModes[i]), (int) i + 1);
    retriggerBox.setTooltip ("What a click on the playing clip does");
    retriggerBox.onChange = [this]
    {
        if (const auto selected = retriggerBox.getSelectedId(); selected > 0)
            report (edit ([&] (int clip) { return editor.setRetrigger (clip, retriggerModes[(size_t) selected - 1]); }));
    };
    loopButton.setTooltip ("Loop between loop in and loop out (by default the cue region)");
    loopButton.onClick = [this]
    {
        const auto on = loopButton.getToggleState();
        report (edit ([&] (int clip) { return editor.setLoop (clip, on ? std::optional<LoopSettings> (LoopSettings {}) : std::nullopt); }));
    };
    soloButton.setTooltip ("Starting this clip crossfades the other voices of its group out");
    soloButton.onClick = [this]
    {
        const auto on = soloButton.getToggleState();
        report (edit ([&] (int clip) { return editor.setSolo (clip, on); }));
    };
    for (auto* component : std::initializer_list<juce::Component*> { &groupBox, &fadeInCurveBox, &fadeOutCurveBox, &retriggerBox,
                                                                     &loopButton, &soloButton })
    {
        component->setWantsKeyboardFocus (false);
        addAndMakeVisible (*component);
    }
    // The section shows what the session holds itself (a typed text it refused stays to be corrected).
    timecodeSection.onEditResult = [this] (const SessionEditor::Result& result) { if (onEditResult) onEditResult (result); };
    addAndMakeVisible (timecodeSection);
    refresh();
}

ClipInspector::~ClipInspector() = default;

juce::Label& ClipInspector::addCaption (juce::Label& label, const juce::String& text)
{
    label.setText (text, juce::dontSendNotification);
    label.setFont (juce::Font (13.0f));
    label.setColour (juce::Label::textColourId, captionColour);
    label.setMinimumHorizontalScale (0.8f);
    addAndMakeVisible (label);
    return label;
}

ClipInspector::Field& ClipInspector::addField (const juce::String& name, const juce::String& caption,
                                               std::function<SessionEditor::Result (const juce::String&)> commit)
{
    auto field = std::make_unique<Field>();
    auto& f = *field;
    f.name = name;
    f.commit = std::move (commit);
    addCaption (f.caption, caption);
    f.editor.setFont (juce::Font (14.0f));
    f.editor.setIndents (4, 3);
    f.editor.setSelectAllWhenFocused (true);
    // Return (or leaving the field) commits; the panel then shows what the session holds.
    f.editor.onReturnKey = [&f] { f.editor.giveAwayKeyboardFocus(); };
    f.editor.onFocusLost = [this, &f] { commitField (f); };
    addAndMakeVisible (f.editor);
    fields.push_back (std::move (field));
    return f;
}

void ClipInspector::commitField (Field& field)
{
    const auto text = field.editor.getText().trim();
    if (text != field.shown.trim() && clipIndex() >= 0 && ! locked)
        report (field.commit (text));
    refresh();   // a refused or normalised value shows what the session holds
}

void ClipInspector::report (const SessionEditor::Result& result)
{
    if (onEditResult)
        onEditResult (result);
    if (! result.ok)
        refresh();   // controls put back where the session is
}

int ClipInspector::clipIndex() const { return clipId.empty() ? -1 : editor.getSession().findClip (clipId); }

const ClipDefinition* ClipInspector::clip() const
{
    const auto index = clipIndex();
    return index >= 0 ? &editor.getSession().clips[(size_t) index] : nullptr;
}

SessionEditor::Result ClipInspector::edit (const std::function<SessionEditor::Result (int)>& change)
{
    const auto index = clipIndex();
    if (index < 0)
        return SessionEditor::Result::refused ("no clip in the inspector");
    return change (index);
}

SessionEditor::Result ClipInspector::editNumber (const juce::String& text, const char* what,
                                                 const std::function<SessionEditor::Result (int, std::optional<double>)>& change)
{
    const auto parsed = parseNumber (text);
    if (! parsed.ok)
        return SessionEditor::Result::refused (std::string (what) + ": '" + text.toStdString() + "' is not a number");
    return edit ([&] (int clip) { return change (clip, parsed.value); });
}

bool ClipInspector::pastTheEnd (std::optional<double> seconds) const
{
    // The session editor checks ranges but cannot know the file's length; the waveform does.
    const auto length = waveform.getFileSeconds();
    return seconds && length > 0.0 && *seconds > length + 0.0005;
}

SessionEditor::Result ClipInspector::tooLate (std::optional<double> seconds, const char* what) const
{
    return SessionEditor::Result::refused (std::string (what) + " " + secondsText (seconds.value_or (0.0)).toStdString()
                                           + " s is past the end of the file (" + juce::String (waveform.getFileSeconds(), 3).toStdString() + " s)");
}

void ClipInspector::showClip (const std::string& id)
{
    if (id == clipId)
        return;
    gesture.reset();
    clipId = id;
    refresh();
}

void ClipInspector::setText (Field& field, const juce::String& text, const juce::String& placeholder)
{
    field.editor.setTextToShowWhenEmpty (placeholder, juce::Colours::grey);
    if (field.editor.hasKeyboardFocus (false))
        return;   // being typed in: its commit refreshes it
    field.shown = text;
    if (field.editor.getText() != text)
        field.editor.setText (text, false);
}

void ClipInspector::refresh()
{
    const auto* shown = clip();
    const auto& session = editor.getSession();
    if (shown == nullptr)
    {
        title.setText ("No clip selected", juce::dontSendNotification);
        waveform.setMedia ({});
        for (auto& field : fields)
            setText (*field, {});
        timecodeSection.showClip ({});
        applyLock();
        return;
    }
    const auto& c = *shown;
    title.setText (juce::String::fromUTF8 ((c.label.empty() ? c.id : c.label).c_str()), juce::dontSendNotification);
    title.setTooltip (juce::String::fromUTF8 ((c.id + ": " + c.file).c_str()));
    const auto path = resolveMediaPath (controller.getSessionPath(), c.file);
    waveform.setMedia (juce::File (juce::String::fromUTF8 (path.string().c_str())));
    const auto length = waveform.getFileSeconds();
    shownLength = length;
    const auto markers = ClipMarkers::of (c, session.fadeDefaults, length);
    waveform.setMarkers (markers);

    setText (*labelField, juce::String::fromUTF8 (c.label.c_str()));
    setText (*colourField, c.colour);
    setText (*gainField, juce::String (c.gainDb, 1));
    setText (*trimField, juce::String (c.levelTrimDb, 1));
    setText (*fadeInField, c.fadeInMs ? msText (*c.fadeInMs) : juce::String(), "default " + msText (session.fadeDefaults.inMs));
    setText (*fadeOutField, c.fadeOutMs ? msText (*c.fadeOutMs) : juce::String(), "default " + msText (session.fadeDefaults.outMs));
    setText (*cueInField, c.cueInSec ? secondsText (*c.cueInSec) : juce::String(), "start");
    setText (*cueOutField, c.cueOutSec ? secondsText (*c.cueOutSec) : juce::String(),
             length > 0 ? "end " + juce::String (length, 3) : juce::String ("end"));
    const auto& loop = c.loop;
    setText (*loopInField, loop && loop->inSec ? secondsText (*loop->inSec) : juce::String(), loop ? "cue in" : "");
    setText (*loopOutField, loop && loop->outSec ? secondsText (*loop->outSec) : juce::String(), loop ? "cue out" : "");
    setText (*loopCountField, loop && loop->count > 0 ? juce::String (loop->count) : juce::String(),
             loop ? juce::String::fromUTF8 ("\xe2\x88\x9e") : juce::String());
    setText (*panField, juce::String (c.pan, 2));
    setText (*notesField, juce::String::fromUTF8 (c.notes.c_str()));
    groupBox.setSelectedId (c.group + 1, juce::dontSendNotification);
    fadeInCurveBox.setSelectedId (curveItem (c.fadeInCurve), juce::dontSendNotification);
    fadeOutCurveBox.setSelectedId (curveItem (c.fadeOutCurve), juce::dontSendNotification);
    for (size_t i = 0; i < retriggerModes.size(); ++i)
        if (retriggerModes[i] == c.retrigger)
            retriggerBox.setSelectedId ((int) i + 1, juce::dontSendNotification);
    loopButton.setToggleState (loop.has_value(), juce::dontSendNotification);
    soloButton.setToggleState (c.solo, juce::dontSendNotification);
    timecodeSection.showClip (clipId);
    applyLock();
    repaint();
}

void ClipInspector::visibilityChanged()
{
    if (! isVisible())
        gesture.reset();
}

void ClipInspector::update()
{
    if (editor.isLocked() != locked)
    {
        locked = editor.isLocked();
        if (locked)
            gesture.reset();
        applyLock();
    }
    // The file's length arrives with its header: cue out's placeholder and the markers need it.
    if (clip() != nullptr && waveform.getFileSeconds() != shownLength)
        refresh();
}

void ClipInspector::applyLock()
{
    locked = editor.isLocked();
    const auto editable = ! locked && clip() != nullptr;
    for (auto& field : fields)
        field->editor.setEnabled (editable);
    for (auto* component : std::initializer_list<juce::Component*> { &groupBox, &fadeInCurveBox, &fadeOutCurveBox, &retriggerBox,
                                                                     &loopButton, &soloButton })
        component->setEnabled (editable);
    const auto* c = clip();
    const auto hasLoop = c != nullptr && c->loop.has_value();
    for (auto* field : { loopInField, loopOutField, loopCountField })
        field->editor.setEnabled (editable && hasLoop);
    waveform.setEditable (editable);
    timecodeSection.setEditable (editable);
    auditionButton.setEnabled (c != nullptr && controller.hasMedia (clipIndex()));
    repaint (hintArea);
}

void ClipInspector::dragTo (WaveformHandle handle, double seconds)
{
    const auto index = clipIndex();
    if (index < 0 || editor.isLocked())
        return;
    const auto& session = editor.getSession();
    const auto& c = session.clips[(size_t) index];
    const auto markers = ClipMarkers::of (c, session.fadeDefaults, waveform.getFileSeconds());
    const auto at = roundToMillisecond (seconds);
    SessionEditor::Result result;
    switch (handle)
    {
        case WaveformHandle::cueIn: result = editor.setCueIn (index, at); break;
        case WaveformHandle::cueOut: result = editor.setCueOut (index, at); break;
        case WaveformHandle::loopIn:
        case WaveformHandle::loopOut:
        {
            if (! c.loop)
                return;
            auto loop = *c.loop;
            (handle == WaveformHandle::loopIn ? loop.inSec : loop.outSec) = at;
            result = editor.setLoop (index, loop);
            break;
        }
        case WaveformHandle::fadeIn: result = editor.setFadeIn (index, fadeMsForHandle (handle, seconds, markers)); break;
        case WaveformHandle::fadeOut: result = editor.setFadeOut (index, fadeMsForHandle (handle, seconds, markers)); break;
        case WaveformHandle::none: return;
    }
    report (result);
}

std::vector<std::pair<juce::String, juce::Component*>> ClipInspector::getControls()
{
    std::vector<std::pair<juce::String, juce::Component*>> controls;
    controls.emplace_back ("button inspectorAudition", &auditionButton);
    controls.emplace_back ("button inspectorLoop", &loopButton);
    controls.emplace_back ("button inspectorSolo", &soloButton);
    controls.emplace_back ("button inspectorLearnMidi", &learnMidiButton);
    for (auto& field : fields)
        controls.emplace_back ("field inspector" + field->name, &field->editor);
    controls.emplace_back ("field inspectorGroup", &groupBox);
    controls.emplace_back ("field inspectorFadeInCurve", &fadeInCurveBox);
    controls.emplace_back ("field inspectorFadeOutCurve", &fadeOutCurveBox);
    controls.emplace_back ("field inspectorRetrigger", &retriggerBox);
    for (const auto& control : timecodeSection.getControls())
        controls.push_back (control);
    return controls;
}

std::vector<std::pair<juce::String, juce::String>> ClipInspector::getValues()
{
    std::vector<std::pair<juce::String, juce::String>> values;
    for (const auto& field : fields)
        if (field->name != "Notes")  // free text: may hold newlines
            values.emplace_back ("inspector" + field->name, field->editor.getText());
    values.emplace_back ("inspectorGroup", groupBox.getText());
    values.emplace_back ("inspectorFadeInCurve", fadeInCurveBox.getText());
    values.emplace_back ("inspectorFadeOutCurve", fadeOutCurveBox.getText());
    values.emplace_back ("inspectorRetrigger", retriggerBox.getText());
    values.emplace_back ("inspectorLoop", loopButton.getToggleState() ? "on" : "off");
    values.emplace_back ("inspectorSolo", soloButton.getToggleState() ? "on" : "off");
    values.emplace_back ("inspectorMidi", midiLabel.getText());
    values.emplace_back ("inspectorEditable", labelField->editor.isEnabled() ? "yes" : "no");
    values.emplace_back ("inspectorWaveform", waveform.describeState());
    values.emplace_back ("inspectorThumbnailsFromDisk", juce::String (waveform.getStore().getDiskLoads()));
    for (const auto& value : timecodeSection.getValues())
        values.push_back (value);
    return values;
}

std::vector<std::pair<juce::String, juce::Point<int>>> ClipInspector::getHandles() const
{
    std::vector<std::pair<juce::String, juce::Point<int>>> handles;
    for (const auto handle : waveformHandles)
        if (const auto knob = waveform.getKnob (handle))
            handles.emplace_back (waveformHandleName (handle), waveform.localPointToGlobal (*knob));
    return handles;
}

void ClipInspector::paint (juce::Graphics& g)
{
    g.fillAll (panelColour);
    g.setColour (juce::Colours::white.withAlpha (0.1f));
    g.drawVerticalLine (0, 0.0f, (float) getHeight());
    if (const auto* c = clip())
    {
        // The clip's colour as a bar beside its name.
        g.setColour (juce::Colour::fromString ("ff" + juce::String (c->colour).substring (1)));
        g.fillRoundedRectangle (title.getBounds().toFloat().withWidth (5.0f).translated (-9.0f, 0.0f).reduced (0.0f, 4.0f), 2.0f);
    }
    // Under the waveform: what the handles are, in their colours (or why they do not move).
    juce::AttributedString legend;
    const juce::Font font (12.5f);
    if (locked)
        legend.append ("Show mode: read-only", font, juce::Colour (0xffffa030));
    else
    {
        legend.append ("Drag the handles:  ", font, captionColour);
        legend.append ("cue in/out", font, WaveformView::handleColour (WaveformHandle::cueIn));
        legend.append ("   loop in/out", font, WaveformView::handleColour (WaveformHandle::loopIn));
        legend.append ("   fade-in/out", font, WaveformView::handleColour (WaveformHandle::fadeIn));
    }
    legend.setJustification (juce::Justification::centredLeft);
    legend.draw (g, hintArea.toFloat());
}

void ClipInspector::setMidiState (const juce::String& mappings, bool learning)
{
    learnMidiButton.setButtonText (learning ? "Cancel learn" : "Learn MIDI");
    learnMidiButton.setColour (juce::TextButton::buttonColourId, learning ? juce::Colour (0xff8a5a12) : getLookAndFeel().findColour (juce::TextButton::buttonColourId));
    learnMidiButton.setEnabled (clip() != nullptr && (learning || ! locked));
    midiLabel.setText (learning ? juce::String::fromUTF8 ("Move a control\xe2\x80\xa6") : mappings.isEmpty() ? juce::String ("no MIDI") : mappings,
                       juce::dontSendNotification);
    midiLabel.setColour (juce::Label::textColourId, learning ? juce::Colour (0xffffd54a) : juce::Colours::lightgrey);
}

void ClipInspector::resized()
{
    auto area = getLocalBounds().reduced (10, 6);
    area.removeFromLeft (4);
    auto header = area.removeFromTop (30);
    auditionButton.setBounds (header.removeFromRight (96).reduced (0, 2));
    header.removeFromLeft (6);
    title.setBounds (header);
    area.removeFromTop (4);

    // Rows share what is left after the waveform; the notes take the rest.
    constexpr int rows = 11;   // the timecode section: a row and its hint line (18 px)
    const auto waveHeight = juce::jlimit (70, 130, area.getHeight() - rows * 30 - 68);
    waveform.setBounds (area.removeFromTop (waveHeight));
    hintArea = area.removeFromTop (20);
    const auto rowHeight = juce::jlimit (22, 30, (area.getHeight() - 58) / rows);
    const auto captionWidth = juce::jmin (68, area.getWidth() / 4);   // captions squeeze (setMinimumHorizontalScale) before values do
    const auto halfWidth = (area.getWidth() - 10) / 2;
    auto half = [&] (juce::Rectangle<int>& row, juce::Component* caption, juce::Component* control)
    {
        auto part = row.removeFromLeft (halfWidth);
        row.removeFromLeft (10);
        if (caption != nullptr)
            caption->setBounds (part.removeFromLeft (captionWidth));
        if (control != nullptr)
            control->setBounds (part);
    };
    auto nextRow = [&] { return area.removeFromTop (rowHeight).reduced (0, 2); };
    auto whole = [&] (Field& field)
    {
        auto row = nextRow();
        field.caption.setBounds (row.removeFromLeft (captionWidth));
        field.editor.setBounds (row);
    };
    whole (*labelField);
    {
        auto row = nextRow();
        half (row, &colourField->caption, &colourField->editor);
        half (row, &groupCaption, &groupBox);
    }
    {
        auto row = nextRow();
        half (row, &gainField->caption, &gainField->editor);
        half (row, &trimField->caption, &trimField->editor);
    }
    {
        auto row = nextRow();
        half (row, &fadeInField->caption, &fadeInField->editor);
        half (row, &fadeOutField->caption, &fadeOutField->editor);
    }
    {
        auto row = nextRow();
        // Each curve under its fade (the tooltips say which).
        half (row, nullptr, &fadeInCurveBox);
        half (row, nullptr, &fadeOutCurveBox);
    }
    {
        auto row = nextRow();
        half (row, &cueInField->caption, &cueInField->editor);
        half (row, &cueOutField->caption, &cueOutField->editor);
    }
    {
        auto row = nextRow();
        half (row, nullptr, &loopButton);
        half (row, &loopCountField->caption, &loopCountField->editor);
    }
    {
        auto row = nextRow();
        half (row, &loopInField->caption, &loopInField->editor);
        half (row, &loopOutField->caption, &loopOutField->editor);
    }
    {
        auto row = nextRow();
        half (row, &retriggerCaption, &retriggerBox);
        half (row, &panField->caption, &panField->editor);
    }
    {
        auto row = nextRow();
        // Solo, then the clip's MIDI: what it is mapped to and Learn MIDI at the right.
        soloButton.setBounds (row.removeFromLeft (juce::jmin (80, row.getWidth() / 4)));
        learnMidiButton.setBounds (row.removeFromRight (juce::jmin (110, row.getWidth() / 2)));
        row.removeFromRight (6);
        midiLabel.setBounds (row);
    }
    timecodeSection.setBounds (area.removeFromTop (ClipTimecodeSection::preferredHeight (rowHeight)));
    area.removeFromTop (2);
    notesField->caption.setBounds (area.removeFromTop (18));
    notesField->editor.setBounds (area.withHeight (juce::jmax (24, area.getHeight())));
}

} // namespace cuegrid
