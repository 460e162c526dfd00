// CueGrid — GPL-3.0-or-later
#include "ClipTimecodeSection.h"

#include <array>

namespace cuegrid
{

namespace
{
    const juce::Colour captionColour (0xffb8c0c8), errorColour (0xffff6060), hintColour (0xff8a939c);
    constexpr std::array<FrameRate, 5> rates { FrameRate::fps24, FrameRate::fps25, FrameRate::fps2997drop, FrameRate::fps2997,
                                               FrameRate::fps30 };
    const char* const rateTexts[] = { "24 fps", "25 fps", "29.97 DF", "29.97 ND", "30 fps" };

    int rateItem (FrameRate rate)
    {
        for (size_t i = 0; i < rates.size(); ++i)
            if (rates[i] == rate)
                return (int) i + 1;
        return 2;
    }

    juce::String formatOf (FrameRate rate) { return isDropFrame (rate) ? "HH:MM:SS;FF" : "HH:MM:SS:FF"; }
}

ClipTimecodeSection::ClipTimecodeSection (SessionEditor& sessionEditor) : editor (sessionEditor)
{
    caption.setColour (juce::Label::textColourId, captionColour);
    caption.setFont (juce::Font (13.0f));
    caption.setMinimumHorizontalScale (0.7f);
    addAndMakeVisible (caption);

    field.setFont (juce::Font (juce::Font::getDefaultMonospacedFontName(), 14.0f, juce::Font::plain));
    field.setIndents (4, 3);
    field.setSelectAllWhenFocused (true);
    field.setTooltip ("When the master timecode passes this, the clip starts, at the exact sample; empty: no timecode trigger");
    // Checked as it is typed; Return or leaving the field commits a valid text.
    field.onTextChange = [this] { showHint(); };
    field.onReturnKey = [this] { field.giveAwayKeyboardFocus(); };
    field.onFocusLost = [this] { commitTimecode(); };
    field.onEscapeKey = [this]
    {
        keepInvalid = false;
        field.setText (shownText, false);
        showHint();
        field.giveAwayKeyboardFocus();
    };
    addAndMakeVisible (field);

    chaseButton.setTooltip ("Chase: also start part-way in when the clip should already be playing at the current timecode "
                            "(a late start, a locate)");
    chaseButton.setWantsKeyboardFocus (false);
    chaseButton.onClick = [this]
    {
        const auto index = clipIndex();
        report (index < 0 ? SessionEditor::Result::refused ("no clip in the inspector")
                          : editor.setChase (index, chaseButton.getToggleState()));
    };
    addAndMakeVisible (chaseButton);

    for (size_t i = 0; i < rates.size(); ++i)
        fpsBox.addItem (rateTexts[i], (int) i + 1);
    fpsBox.setTooltip ("The show's timecode rate: every clip's timecode is read at it (the incoming rate is detected by itself)");
    fpsBox.setWantsKeyboardFocus (false);
    fpsBox.onChange = [this]
    {
        const auto item = fpsBox.getSelectedId();
        if (item < 1 || rates[(size_t) item - 1] == editor.getSession().timecode.fps)
            return;
        report (editor.setTimecodeFps (rates[(size_t) item - 1]));
    };
    addAndMakeVisible (fpsBox);

    hint.setFont (juce::Font (12.0f));
    hint.setMinimumHorizontalScale (0.6f);
    addAndMakeVisible (hint);
    setEditable (false);
}

juce::String ClipTimecodeSection::problemWith (const juce::String& text, FrameRate rate, bool withText)
{
    const auto trimmed = text.trim();
    if (trimmed.isEmpty())
        return {};
    std::string why;
    if (Timecode::parse (trimmed.toStdString(), rate, &why))
        return {};
    const auto reason = juce::String (why) + " (" + formatOf (rate) + ")";
    return withText ? "'" + trimmed + "' is no timecode at " + frameRateName (rate) + " fps: " + reason : reason;
}

int ClipTimecodeSection::clipIndex() const { return clipId.empty() ? -1 : editor.getSession().findClip (clipId); }

void ClipTimecodeSection::showClip (const std::string& id)
{
    if (id != clipId)
        keepInvalid = false;
    clipId = id;
    const auto& session = editor.getSession();
    const auto index = clipIndex();
    const auto* clip = index >= 0 ? &session.clips[(size_t) index] : nullptr;
    shownText = clip != nullptr && clip->timecode ? juce::String (clip->timecode->toString()) : juce::String();
    // A field being typed in, or holding a refused text to correct, keeps it.
    if (! field.hasKeyboardFocus (false) && ! keepInvalid && field.getText() != shownText)
        field.setText (shownText, false);
    chaseButton.setToggleState (clip != nullptr && clip->chase, juce::dontSendNotification);
    fpsBox.setSelectedId (rateItem (session.timecode.fps), juce::dontSendNotification);
    field.setTextToShowWhenEmpty (formatOf (session.timecode.fps), juce::Colours::grey);
    setEditable (editable);
    showHint();
}

void ClipTimecodeSection::setEditable (bool shouldEdit)
{
    editable = shouldEdit;
    const auto index = clipIndex();
    field.setEnabled (editable && index >= 0);
    fpsBox.setEnabled (editable);
    // Chase needs a timecode (the editor refuses it otherwise): only offered with one.
    chaseButton.setEnabled (editable && index >= 0
                            && (editor.getSession().clips[(size_t) index].timecode.has_value() || chaseButton.getToggleState()));
}

void ClipTimecodeSection::showHint()
{
    const auto rate = editor.getSession().timecode.fps;
    // Under the field it names: why, and the format (the status bar quotes the text too).
    const auto problem = problemWith (field.getText(), rate, false);
    if (problem.isNotEmpty())
    {
        hint.setText (problem, juce::dontSendNotification);
        hint.setColour (juce::Label::textColourId, errorColour);
        field.setColour (juce::TextEditor::outlineColourId, errorColour);
        field.setColour (juce::TextEditor::focusedOutlineColourId, errorColour);
    }
    else
    {
        hint.setText (juce::String (formatOf (rate)) + " at the show's " + frameRateName (rate) + " fps; empty: no trigger",
                      juce::dontSendNotification);
        hint.setColour (juce::Label::textColourId, hintColour);
        field.removeColour (juce::TextEditor::outlineColourId);
        field.removeColour (juce::TextEditor::focusedOutlineColourId);
    }
    field.repaint();
}

void ClipTimecodeSection::commitTimecode()
{
    const auto text = field.getText().trim();
    const auto index = clipIndex();
    keepInvalid = false;
    if (text == shownText || index < 0 || ! editable)
        return showClip (clipId);
    const auto rate = editor.getSession().timecode.fps;
    if (const auto problem = problemWith (text, rate); problem.isNotEmpty())
    {
        // Kept in the field, in red, to be corrected; the session is unchanged.
        keepInvalid = true;
        showHint();
        if (onEditResult)
            onEditResult (SessionEditor::Result::refused (problem.toStdString()));
        return;
    }
    const auto timecode = text.isEmpty() ? std::nullopt : Timecode::parse (text.toStdString(), rate);
    report (editor.setTimecode (index, timecode));
}

void ClipTimecodeSection::report (const SessionEditor::Result& result)
{
    if (onEditResult)
        onEditResult (result);
    showClip (clipId);   // what the session holds (a refused edit puts the controls back)
}

std::vector<std::pair<juce::String, juce::Component*>> ClipTimecodeSection::getControls()
{
    return { { "field inspectorTimecode", &field }, { "button inspectorChase", &chaseButton },
             { "field inspectorTimecodeFps", &fpsBox } };
}

std::vector<std::pair<juce::String, juce::String>> ClipTimecodeSection::getValues() const
{
    return { { "inspectorTimecode", field.getText() }, { "inspectorChase", chaseButton.getToggleState() ? "on" : "off" },
             { "inspectorTimecodeFps", fpsBox.getText() }, { "inspectorTimecodeHint", hint.getText() } };
}

void ClipTimecodeSection::resized()
{
    // The field takes what the caption, Chase and the rate leave: "01:00:08:00" (11 digits)
    // must show whole while selected (a half-row cut its first digit).
    auto area = getLocalBounds();
    auto row = area.removeFromTop (getHeight() - 18).reduced (0, 2);
    const auto captionWidth = juce::jmin (60, getWidth() / 5);
    caption.setBounds (row.removeFromLeft (captionWidth));
    fpsBox.setBounds (row.removeFromRight (juce::jmin (86, row.getWidth() / 3)));   // "29.97 DF" whole
    row.removeFromRight (5);
    chaseButton.setBounds (row.removeFromRight (juce::jmin (66, row.getWidth() / 2)));   // "Chase" whole
    row.removeFromRight (5);
    field.setBounds (row);
    hint.setBounds (area.withTrimmedLeft (captionWidth / 2));
}

} // namespace cuegrid
