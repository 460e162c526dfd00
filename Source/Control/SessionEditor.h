// CueGrid — GPL-3.0-or-later
#pragma once

#include "Session/SessionModel.h"

#include <juce_data_structures/juce_data_structures.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace cuegrid
{

/** Every edit an editor makes to a show, each one undoable action on a `Session` through a
    juce::UndoManager (the app's only one, so Ctrl+Z undoes edits and "Apply analysis gain"
    alike), named for the Edit menu ("Rename 'Kick'", "Move 'Kick' to page 2, tab 'Drums'").

    Rules an editor can rely on (docs/architecture.md, "Editing and undo"):
    - Every value is checked against the ranges the manifest accepts (Limits.h), so a saved
      session always loads again; a refused edit changes nothing and says why.
    - Cells and clips: deleting or cutting a cell removes the cell; the clip itself leaves the
      session's clip list when no cell refers to it any more (a clip that was never in a cell,
      e.g. one only a show script triggers, is never removed by a grid edit). Removing a clip
      shifts the clip indices after it (not their engine slots: ShowController keeps those
      by clip id): Change::clipListChanged says so.
    - Moving onto an occupied cell swaps the two clips; copying onto an occupied cell is
      refused; pasting onto occupied cells replaces their clips (undoable, never silent).
    - A pasted clip keeps its id when the session no longer has that id (cut + paste moves a
      clip and show scripts still find it); otherwise it gets a new unique id ("kick-2").
    - Shrinking a tab's grid never deletes a clip: the clips outside the new size move to the
      free cells inside it, in reading order; with too few free cells the resize is refused.
    - While locked (Show mode) every edit, undo and redo is refused with the lock's reason.
    - A page shows 8 tabs; a page with fewer gets the missing ones (empty 4 x 8 "Tab n") when
      an edit puts something on them or renames or resizes them, in the same undo step.

    The Session is owned elsewhere (the ShowController's, or a test's) and must outlive the
    editor. Message thread only; not thread-safe. Methods returning Result never throw for a
    refused edit. */
class SessionEditor
{
public:
    /** A grid cell: page and tab indices (0-based), row and column (0-based). */
    struct Cell
    {
        int page = 0, tab = 0, row = 0, column = 0;
        bool operator== (const Cell& other) const noexcept
        {
            return page == other.page && tab == other.tab && row == other.row && column == other.column;
        }
    };

    /** An edit's outcome: ok, or refused with a reason for the status bar. */
    struct Result
    {
        bool ok = true;
        std::string reason;
        explicit operator bool() const noexcept { return ok; }
        static Result refused (std::string why) { return { false, std::move (why) }; }
    };

    /** What an edit (or its undo/redo) changed, for the app and the engine side. */
    struct Change
    {
        std::string name;                 // the undo manager's action name
        std::vector<std::string> clips;   // ids of clips whose properties changed (empty for grid edits)
        bool levelsChanged = false;       // gain, level trim or pan of `clips` changed: the engine needs them again
        bool gridChanged = false;         // cells, tabs or pages changed
        bool clipListChanged = false;     // clips were added or removed: clip indices changed
    };

    /** The clips of a copy or cut, positioned relative to the selection's top-left cell. */
    struct Clipboard
    {
        struct Entry { int rowOffset = 0, columnOffset = 0; ClipDefinition clip; };
        std::vector<Entry> entries;
        bool empty() const noexcept { return entries.empty(); }
    };

    /** A media file to import, already validated by the caller (decodable, its length known). */
    struct ImportedFile
    {
        std::string file;          // as the manifest stores it: relative to the session's folder, or absolute
        std::string label;         // empty: the file name without its extension
        int group = 0;             // 0–3
        double gainDb = 0.0;       // e.g. a first analysis gain; within the manifest's range
    };

    SessionEditor (Session& session, juce::UndoManager& undoManager);
    ~SessionEditor();

    const Session& getSession() const noexcept { return session; }
    juce::UndoManager& getUndoManager() noexcept { return undoManager; }

    /** After the session was replaced (new, open, recovery): clears the undo history and marks
        the session saved. onChange is not called: whoever replaced the session rebuilds from it. */
    void sessionReplaced();

    // --- Unsaved changes -------------------------------------------------------------------
    /** True when the session differs from the last markSaved() (undoing back to the saved
        state clears it; redoing past it sets it again). */
    bool hasUnsavedChanges() const noexcept { return currentState != savedState; }
    /** Call after the session was written to its file. */
    void markSaved() noexcept { savedState = currentState; }
    /** The session differs from its file whatever undo does (e.g. restored from a recovery
        point): unsaved until the next markSaved(). */
    void markUnsaved() noexcept { savedState = ~uint64_t (0); }
    /** Grows by one at every edit, undo and redo: the autosaver compares it with the count at
        its last recovery point. */
    uint64_t getChangeCount() const noexcept { return changeCount; }

    /** Called after every edit, undo and redo (message thread), e.g. to repaint, re-send clip
        levels to the engine (Change::levelsChanged), update the title, arm the autosave. */
    std::function<void (const Change&)> onChange;
    /** Called before a risky edit, with its name, while the session is still unchanged: the
        app writes a recovery point. Risky: a grid shrink that moves clips, deleting a page that
        holds clips, a paste that replaces clips. (A media folder change: SessionDocument::
        setMediaFolder; a relink: cuegrid relink.) */
    std::function<void (const std::string&)> onBeforeRiskyEdit;

    // --- Hotkeys -------------------------------------------------------------------------------
    /** Replaces the session's clip hotkeys (manifest `hotkeys`) as one undoable step named
        `actionName` (the keymap window's edits). Refused in Show mode. SessionEditorHotkeys.cpp. */
    Result setHotkeys (SessionHotkeys hotkeys, const std::string& actionName);
    /** Replaces the session's MIDI mappings and feedback values (manifest `midi`) as one undoable
        step named `actionName` (MIDI learn). Refused in Show mode. SessionEditorMidi.cpp. */
    Result setMidi (SessionMidi midi, const std::string& actionName);

    // --- Imports (issue 13; SessionEditorImport.cpp) ------------------------------------------
    /** A tab, page or clip list merged by mergeExport (Session/SessionMerge.h) into this session,
        as one undoable step `actionName`: `merged`'s pages, the clips it adds (`addedClips`, ids
        in `merged`) and its hotkeys; clips left in no cell leave the list as after a grid edit.
        Refused in Show mode. */
    Result applyMerge (const Session& merged, const std::vector<std::string>& addedClips, const std::string& actionName);
    /** Clip properties from applyMetadata (Session/SessionMerge.h): every clip of `applied`
        (same ids as this session's) whose properties differ is set, in one undoable step. */
    Result applyClipProperties (const Session& applied, const std::string& actionName);
    /** Relink (issue 13; SessionEditorRelink.cpp): points clips (by id) at other files (`file`
        as the manifest writes it) in one undoable step `actionName`. Change::clipListChanged is
        set, so the controller reads their media again; a playing voice plays on. Refused in Show
        mode, for an unknown clip or an empty file. */
    Result relinkMedia (const std::vector<std::pair<std::string, std::string>>& clipFiles, const std::string& actionName);

    // --- Show mode lock ----------------------------------------------------------------------
    void setLocked (bool shouldLock, std::string reason = "Show mode: editing is locked");
    bool isLocked() const noexcept { return locked; }
    /** While a media folder change copies in the background (App/MediaFolderPanel), the edits
        that point a clip at a file are refused with `reason`: a relink, an import, a paste or
        copy that adds clips, a package merge, and an undo or redo that would add a clip or change
        a clip's file. Every other edit, undo and redo works. Message thread. */
    void setMediaLocked (bool shouldLock, std::string reason = {});
    bool isMediaLocked() const noexcept { return mediaLocked; }

    // --- Undo --------------------------------------------------------------------------------
    Result undo();
    Result redo();
    bool canUndo() const { return ! locked && undoManager.canUndo(); }
    bool canRedo() const { return ! locked && undoManager.canRedo(); }

    /** Groups every edit until the returned object is destroyed into one undo step named
        `name` (a drag of a fade handle, "Apply analysis gain"); successive edits of the same
        field of the same clip coalesce into one action. */
    class Gesture
    {
    public:
        ~Gesture();
        Gesture (Gesture&&) noexcept;
        Gesture (const Gesture&) = delete;
        Gesture& operator= (const Gesture&) = delete;
        Gesture& operator= (Gesture&&) = delete;
    private:
        friend class SessionEditor;
        explicit Gesture (SessionEditor* owner) : editor (owner) {}
        SessionEditor* editor;
    };
    [[nodiscard]] Gesture beginGesture (const std::string& name);

    // --- Clip properties (clip = index into session.clips) -----------------------------------
    Result setLabel (int clip, const std::string& label);
    Result setColour (int clip, const std::string& colour);           // "#rrggbb"
    Result setGroup (int clip, int group);                             // 0–3
    Result setGain (int clip, double gainDb);                          // dB, −144 … +24
    Result setLevelTrim (int clip, double levelTrimDb);                // dB, −144 … +24
    /** Both at once ("Apply analysis gain"); the engine hears the sum. */
    Result setLevels (int clip, double gainDb, double levelTrimDb);
    Result setFadeIn (int clip, std::optional<double> ms);             // 0–3000 ms; nullopt: the session default
    Result setFadeOut (int clip, std::optional<double> ms);
    Result setFadeInCurve (int clip, std::optional<FadeCurve> curve);
    Result setFadeOutCurve (int clip, std::optional<FadeCurve> curve);
    Result setEdgeFade (int clip, double ms);                          // 0.25–10 ms
    /** Cue region, s of the media file; nullopt: the file's start / end. Out after in, and the
        loop (if any) must stay inside. */
    Result setCueIn (int clip, std::optional<double> seconds);
    Result setCueOut (int clip, std::optional<double> seconds);
    /** nullopt: no loop. Loop in/out inside the cue region, in before out. */
    Result setLoop (int clip, std::optional<LoopSettings> loop);
    Result setRetrigger (int clip, RetriggerMode mode);
    Result setSolo (int clip, bool solo);
    Result setPan (int clip, double pan);                              // −1 … +1
    Result setNotes (int clip, const std::string& notes);
    /** Any set of property changes at once, checked as a whole (the id and file stay). */
    Result setClip (int clip, const ClipDefinition& changed, const std::string& actionName);

    // --- Timecode (manifest v4, issue 12; SessionEditorTimecode.cpp) -------------------------
    /** The clip's timecode trigger; nullopt: none (chase goes too, in the same step). Refused
        when it is not a label at the show's rate (Session::timecode.fps), with why. */
    Result setTimecode (int clip, std::optional<Timecode> timecode);
    /** Chase needs a timecode: refused without one. */
    Result setChase (int clip, bool chase);
    /** The show's timecode rate. The clips' labels stay as written (a cue sheet's times) and are
        read at `fps` from now on; refused, naming the clip, when one is no label at `fps`
        (frame 29 at 25 fps, a skipped drop-frame label). Change::clips names the clips with a
        timecode (their triggers move). */
    Result setTimecodeFps (FrameRate fps);

    // --- Cells ---------------------------------------------------------------------------------
    /** The clip index in a cell, or -1 (empty, or no such cell). */
    int clipAt (const Cell& cell) const;
    /** Moves a cell's clip to another cell, on any tab of any page; an occupied target swaps. */
    Result moveCell (const Cell& from, const Cell& to);
    /** Ctrl+drag: a new clip (same properties, new unique id) in the empty target cell. */
    Result copyCell (const Cell& from, const Cell& to);
    /** Copies the clips of `cells` (all on one tab; empty ones skipped) to the editor's
        clipboard, with their positions relative to the top-left clip. No edit. */
    Result copyCells (const std::vector<Cell>& cells);
    /** copyCells, then deleteCells, as one undo step "Cut …". */
    Result cutCells (const std::vector<Cell>& cells);
    /** Empties the cells; a clip left in no cell leaves the clip list. */
    Result deleteCells (const std::vector<Cell>& cells);
    /** The clipboard's clips with their relative positions from `at` on its tab; occupied
        cells are replaced. Refused when a clip would fall outside the grid. */
    Result paste (const Cell& at);
    const Clipboard& getClipboard() const noexcept { return clipboard; }

    /** New clips for `files`, in the empty cells of `start`'s tab from `start` on in reading
        order (row by row). Refused, with nothing imported, when the tab has too few. */
    Result importFiles (const std::vector<ImportedFile>& files, const Cell& start);

    // --- Tabs and pages --------------------------------------------------------------------
    Result renameTab (int page, int tab, const std::string& name);
    /** Moves a tab within its page to index `to`. */
    Result moveTab (int page, int from, int to);
    /** 1–16 × 1–16. Shrinking moves clips outside the new size to its free cells. */
    Result resizeTab (int page, int tab, int rows, int columns);
    /** A page of 8 empty 4 × 8 tabs ("Tab 1" … "Tab 8") at `index` (-1: at the end). */
    Result addPage (const std::string& name, int index = -1);
    Result renamePage (int page, const std::string& name);
    /** Deletes the page and its cells (clips left in no cell leave the list). The last page
        stays. */
    Result deletePage (int page);
    Result movePage (int from, int to);

    /** "#rrggbb". */
    static bool isColour (const std::string& text);
    /** Why the clip could not be saved in a manifest, or "" (same checks and ranges). */
    static std::string validateClip (const ClipDefinition& clip);
    /** `base` if no clip uses it, else base-2, base-3 … */
    std::string uniqueClipId (const std::string& base) const;

private:
    class ClipAction;
    class StructureAction;
    friend class ClipAction;
    friend class StructureAction;
    /** One whole-field edit of the session (its hotkeys, its MIDI mappings): before and after. */
    template <typename Value> class FieldAction;
    template <typename Value> friend class FieldAction;
    /** The show's timecode rate and every clip's timecode label with it (SessionEditorTimecode.cpp). */
    class TimecodeRateAction;
    friend class TimecodeRateAction;
    class RelinkAction;
    friend class RelinkAction;
    /** Performs a FieldAction that sets `session.*field` to `value`. */
    template <typename Value> Result setField (Value Session::* field, Value value, const std::string& actionName);

    Result checkUnlocked() const;
    Result checkMediaUnlocked() const;
    /** undo() or redo(); while media-locked a step that adds a clip or changes a clip's file is
        performed with onChange held back, then reversed and refused. */
    Result undoOrRedo (bool undoing);
    Result editClip (int clip, const std::string& actionName, const std::string& field,
                     const std::function<void (ClipDefinition&)>& change);
    Result perform (const std::string& name, std::unique_ptr<juce::UndoableAction> action);
    /** Commits a grid edit: `pages` replaces the session's, `added` clips are appended, and
        clips that had a cell before and have none in `pages` are removed. The hotkeys follow in
        the same step: page n's keys are those of page `pageOrigin[n]` before (-1: none; empty
        `pageOrigin`: the pages kept their places), and the keys of removed clips go. */
    Result commitStructure (const std::string& name, std::vector<Page> pages, std::vector<ClipDefinition> added,
                            bool checkedUnlocked = false, std::vector<int> pageOrigin = {});
    void stateChanged (uint64_t newState, const Change& change);
    Tab* findTab (std::vector<Page>& pages, int page, int tab) const;
    const Tab* findTab (int page, int tab) const;
    std::string clipName (int clip) const;    // label, else id
    std::string clipTitle (int clip) const;   // 'label', or "" for no such clip
    std::unordered_set<std::string> clipIds() const;
    /** `base` (or "clip"), else base-2, base-3 … not in `taken`; adds it to `taken`. */
    static std::string freshId (const std::string& base, std::unordered_set<std::string>& taken);
    Result removeCells (const std::vector<Cell>& cells, const std::string& verb);
    /** `pages` = the session's, with `target`'s tab added if its page lacks it; refused when
        one of `cells` is not a cell of them. */
    Result pagesForEdit (std::initializer_list<Cell> cells, const Cell& target, std::vector<Page>& pages) const;
    /** For a move or copy: unlocked, pagesForEdit ({ from, to }, to), and `clip` = the clip in
        `from` (refused when empty). */
    Result pagesForCellPair (const Cell& from, const Cell& to, std::vector<Page>& pages, int& clip) const;
    /** The pages a paste or import changes and the tab it adds to (in `pages`), or why not. */
    struct AddingEdit
    {
        std::vector<Page> pages;
        Tab* tab = nullptr;    // nullptr: refused
        Result refusal;
    };
    /** For a paste or import at `at`: unlocked, `something` to add (else refused with
        `nothing`), pagesForEdit ({ at }, at). */
    AddingEdit tabForAdding (const Cell& at, bool something, const std::string& nothing) const;
    /** For a tab rename or resize: unlocked, `pages` = the session's with the tab added if its
        page lacks it (the UI shows 8); the tab in `pages`, or nullptr with `refusal` set. */
    Tab* tabForChange (int page, int tab, std::vector<Page>& pages, Result& refusal) const;
    /** Adds empty 4 x 8 tabs ("Tab n") to `page` up to index `tab` (< 8). True if any. */
    static bool addMissingTabs (std::vector<Page>& pages, int page, int tab);

    Session& session;
    juce::UndoManager& undoManager;
    Clipboard clipboard;
    bool locked = false;
    std::string lockReason;
    bool mediaLocked = false;
    std::string mediaLockReason;
    std::vector<Change>* heldChanges = nullptr;   // set while undoOrRedo probes a step: onChange waits
    int gestureDepth = 0;
    uint64_t currentState = 0, savedState = 0, nextState = 1, changeCount = 0;
};

} // namespace cuegrid
