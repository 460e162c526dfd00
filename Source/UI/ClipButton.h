// CueGrid — GPL-3.0-or-later
#pragma once

#include "Control/ShowController.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>
#include <optional>

namespace cuegrid
{

/** One cart button: label, colour, Clip Group letter, a clear mark when the clip's media is
    missing (MISSING) or not read yet (LOADING), and while it plays: elapsed and remaining time (mm:ss.t), a progress bar, and
    its state — LOOP ×n / LOOP ∞, PAUSED, FADE IN, FADE (with a bar that runs out with the
    fade), PFL (auditioning). A right click asks for its menu (onMenu) and never fires it.

    Firing and dragging (dragging never fires a clip):
    - Show mode (canEdit() false): a left press fires at once, on mouse-down (the lowest
      latency; nothing can be dragged).
    - Edit mode: a left press only shows the button pressed; releasing within dragThreshold
      pixels of the press fires (on mouse-up), while moving further starts a drag of the
      cell (juce::DragAndDropContainer, its snapshot as the drag image) and the release
      fires nothing. Escape cancels the drag.
    Every cell, empty or not, takes a dropped cell (onCellDropped: move, or copy with Ctrl
    held at the drop) and files from a file manager (onFilesDropped), in edit mode only.
    Message thread. */
class ClipButton final : public juce::Component,
                         public juce::SettableTooltipClient,
                         public juce::DragAndDropTarget,
                         public juce::FileDragAndDropTarget
{
public:
    ClipButton();

    void setClip (int clipIndex, const juce::String& label, juce::Colour colour, char groupLetter,
                  bool mediaMissing, const juce::String& problem);
    void setPlayState (const ShowController::ClipState& state);
    /** The clip's media is still being read (a show just opened): LOADING, dimmed, until it
        is; a click is refused by the controller with that reason. */
    void setLoading (bool isLoading);
    /** The file of a loaded clip vanished ("MISSING") or was replaced ("CHANGED") on disk while
        the show runs (MediaWatch), or the database says it holds other content than recorded
        (MediaFactsRefresher). A red or amber tag and border; a voice already playing plays on,
        and firing still plays what is in memory. "" for none; `why` goes into the tooltip. */
    void setMediaWarning (const juce::String& warning, const juce::String& why);
    const juce::String& getMediaWarning() const noexcept { return mediaWarning; }

    /** The clip's timecode trigger ("01:00:03:00"; empty: none) and chase: a small TC mark
        (filled, "TC CH", when it chases) at the header's right, and in the tooltip. */
    void setTimecode (const juce::String& timecode, bool chases);
    /** "" or "TC 01:00:03:00" / "TC 01:00:03:00 chase": the UI map's timecode line. */
    juce::String describeTimecode() const;

    /** The analysis class ("TRANSIENT", "SUSTAINED", …; empty: not analysed) and its reason. */
    void setAnalysis (const juce::String& badge, const juce::String& reason);
    int getClipIndex() const noexcept { return clip; }
    const juce::String& getLabel() const noexcept { return text; }

    /** What the button shows as text (state tags and times), for the UI map and tests:
        e.g. "PLAYING LOOP x2 00:01.3 -00:07.9"; "" when idle. */
    juce::String describeState() const;

    /** "mm:ss.t" (elapsed: rounded down; remaining: rounded up, so it reads 00:00.0 only at
        the end). Negative seconds: "∞". */
    static juce::String formatTime (double seconds, bool roundUp = false);

    /** The grid cell the button shows (page, tab, row, column): what a drag carries. */
    void setCell (const SessionEditor::Cell& shownCell) noexcept { cell = shownCell; }
    const SessionEditor::Cell& getCell() const noexcept { return cell; }

    /** A drag's description for a cell: "cuegrid-cell PAGE TAB ROW COLUMN". */
    static juce::var describeCell (const SessionEditor::Cell& cell);
    /** The cell a drag description names, if it is one. */
    static std::optional<SessionEditor::Cell> cellFromDescription (const juce::var& description);

    /** Pixels the pointer may move between press and release and still fire (edit mode). */
    static constexpr int dragThreshold = 6;

    std::function<void (int clipIndex)> onFire;
    std::function<void (int clipIndex)> onMenu;
    std::function<void()> onEmptyMenu;   // a right click on an empty cell
    /** True in edit mode (fire on release, drag and drops allowed); unset or false: Show mode. */
    std::function<bool()> canEdit;
    /** A dragged cell `from` was dropped here; `copy`: Ctrl was held at the drop. */
    std::function<void (const SessionEditor::Cell& from, bool copy)> onCellDropped;
    /** Files from a file manager were dropped here (absolute paths, in the order given). */
    std::function<void (const juce::StringArray& files)> onFilesDropped;

    void paint (juce::Graphics&) override;
    void mouseDown (const juce::MouseEvent&) override;
    void mouseDrag (const juce::MouseEvent&) override;
    void mouseUp (const juce::MouseEvent&) override;

    bool isInterestedInDragSource (const SourceDetails&) override;
    void itemDragEnter (const SourceDetails&) override { setDropHover (true); }
    void itemDragExit (const SourceDetails&) override { setDropHover (false); }
    void itemDropped (const SourceDetails&) override;
    bool isInterestedInFileDrag (const juce::StringArray&) override { return editable(); }
    void fileDragEnter (const juce::StringArray&, int, int) override { setDropHover (true); }
    void fileDragExit (const juce::StringArray&) override { setDropHover (false); }
    void filesDropped (const juce::StringArray& files, int, int) override;

private:
    bool isActive() const noexcept { return state.playing || state.fading; }
    bool editable() const { return canEdit != nullptr && canEdit(); }
    void setDropHover (bool hover);

    SessionEditor::Cell cell;
    bool armed = false;      // edit mode: pressed, fires on release unless it becomes a drag
    bool dragging = false;   // this press became a drag: the release fires nothing
    bool dropHover = false;  // a cell or files are dragged over this button

    int clip = -1;
    juce::String text, fileTooltip, analysisBadge;
    juce::String timecode;   // the clip's timecode trigger, "" for none
    bool chase = false;
    void updateTooltip();
    juce::String analysisReason;
    juce::Colour colour { juce::Colours::grey };
    char group = 'A';
    bool missing = false;
    bool loading = false;    // media not read yet (setLoading)
    juce::String mediaWarning, mediaWarningWhy;   // "MISSING" / "CHANGED" at runtime (setMediaWarning), "" for none
    ShowController::ClipState state;
};

} // namespace cuegrid
