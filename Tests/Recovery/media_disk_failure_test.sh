#!/usr/bin/env bash
# Issue 13: a media folder change and a package export onto a disk that is full, read-only, or
# where a write fails midway, on this machine as root (permission bits do not stop root, so
# real file systems do it): a small tmpfs, the same tmpfs remounted read-only, a tmpfs filled so
# that the plan's byte count fits but the pages the files take do not (ENOSPC on the last file),
# and RLIMIT_FSIZE (ulimit -f, EFBIG) in the child process. Each must refuse or fail with a clear
# message (what, where, how much is needed and free), leave the manifest byte for byte as it was,
# every clip's file where it was with its content, and nothing half-written under a final name.
# Needs root for mount; exits 77 (skip) only when the kernel refuses the tmpfs.
# Usage: media_disk_failure_test.sh CUEGRID CORPUS_DIR WORK_DIR
set -euo pipefail
cli=$1 corpus=$2 work=$(realpath -m "$3")
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
mkdir -p "$work"
mounts=()
cleanup() { for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done; }
trap cleanup EXIT

[[ $(id -u) -eq 0 ]] || { echo "SKIP: mounting a tmpfs needs root"; exit 77; }
# A tmpfs of SIZE at DIR (mounted here, unmounted at exit).
tmpfs() {
  mkdir -p "$2"
  if ! mount -t tmpfs -o "size=$1" tmpfs "$2" 2> "$work/mount.log"; then
    echo "SKIP: the kernel refuses a tmpfs here: $(cat "$work/mount.log")"; exit 77
  fi
  mounts+=("$2")
}
export CUEGRID_HOME="$work/home"

# The show: four corpus files in its media folder, a clip each.
show="$work/show"
session="$show/show.cuegrid"
mkdir -p "$show"
"$cli" new "$session" --media-folder "$show/show Media" > /dev/null
files=(p01_sonicpi_heavy_kick p03_colombo_snare p04_lmms_breakbeat p05_lmms_e_organ)
for f in "${files[@]}"; do cp "$corpus/$f.wav" "$show/show Media/$f.wav"; done
python3 - "$session" "${files[@]}" <<'EOF'
import json, sys
path, names = sys.argv[1], sys.argv[2:]
show = json.load(open(path))
for i, name in enumerate(names):
    show["clips"].append({"id": name.split("_")[-1], "file": "show Media/" + name + ".wav"})
    show["pages"][0]["tabs"][0]["slots"].append({"row": 0, "column": i, "clip": name.split("_")[-1]})
json.dump(show, open(path, "w"), indent=1)
EOF
"$cli" info "$session" > "$work/info-before.txt" || fail "info before: $(cat "$work/info-before.txt")"
total=0
for f in "${files[@]}"; do total=$((total + $(stat -c %s "$show/show Media/$f.wav"))); done
state() { (cd "$show" && sha256sum show.cuegrid "show Media"/*.wav) }
before=$(state)

# Every clip plays from where it was, the manifest as it was, no journal, nothing left in FOLDER.
unchanged() {  # FOLDER WHAT
  [[ "$(state)" == "$before" ]] || fail "$2: the manifest or a clip's file changed"
  "$cli" info "$session" > "$work/info.txt" 2>&1 || fail "$2: cuegrid info: $(cat "$work/info.txt")"
  ! grep -q MISSING "$work/info.txt" || fail "$2: a clip is missing: $(grep MISSING "$work/info.txt")"
  [[ ! -e "$session.mediafolder.json" ]] || fail "$2: the change's journal was left"
  left=$(find "$1" -mindepth 1 \( -type f -o -type l \) 2>/dev/null | grep -v '/fill$' || true)
  [[ -z "$left" ]] || fail "$2: files left in $1: $left"
}
# Runs the CLI; checks exit code 4 and that stderr matches the pattern.
refused() {  # WHAT PATTERN COMMAND...
  local what=$1 pattern=$2; shift 2
  set +e; "$@" > "$work/out.txt" 2> "$work/err.txt"; local code=$?; set -e
  [[ $code -eq 4 ]] || fail "$what: exit $code, expected 4: $(cat "$work/out.txt" "$work/err.txt")"
  grep -Eq "$pattern" "$work/err.txt" || fail "$what: expected /$pattern/ in: $(cat "$work/err.txt")"
  echo "ok: $what: $(head -n 1 "$work/err.txt")"
}
mb() { python3 -c "print('%.1f' % ($1 / 1e6))"; }

# 1. A disk too small: the plan refuses before anything is written, with the sizes.
small="$work/small"
tmpfs 1m "$small"
free=$(($(stat -f -c '%a * %S' "$small")))
refused "media folder onto a 1 MB tmpfs" \
  "media folder not changed: not enough space in $small: $(mb $total) MB to copy \(4 file\(s\) into $small/Media\), $(mb $free) MB free" \
  "$cli" media-folder "$session" "$small/Media" --mode move
unchanged "$small" "plan refused for space"
refused "package export onto a 1 MB tmpfs" \
  "not enough space in $small for the export: [0-9.]+ MB to write \(4 media file\(s\) and the session\), $(mb $free) MB free; nothing was exported" \
  "$cli" export "$session" --out "$small/Exports"
unchanged "$small" "export refused for space"

# 2. A read-only disk with room: the plan refuses; the export fails before any file.
ro="$work/ro"
tmpfs 8m "$ro"
mount -o remount,ro "$ro"
refused "media folder onto a read-only tmpfs" "media folder not changed: $ro: not writable \(Read-only file system\)" \
  "$cli" media-folder "$session" "$ro/Media" --mode move
refused "package export onto a read-only tmpfs" "$ro/Exports: cannot be created: Read-only file system" \
  "$cli" export "$session" --out "$ro/Exports"
unchanged "$ro" "read-only"

# 3. A folder whose parent is a file.
touch "$work/afile"
refused "media folder under a regular file" "media folder not changed: $work/afile/Media: cannot be made: $work/afile is a file, not a folder" \
  "$cli" media-folder "$session" "$work/afile/Media" --mode copy
refused "package export under a regular file" "$work/afile" "$cli" export "$session" --out "$work/afile/Exports"
unchanged "$work/nothing" "parent is a file"

# 4. Full midway: the plan's bytes fit, the pages the four files take do not (tmpfs counts
#    whole 4 KiB pages), so the last copy hits ENOSPC after three verified copies were made.
tight="$work/tight"
tmpfs 4m "$tight"
pages=0
for f in "${files[@]}"; do pages=$((pages + ($(stat -c %s "$show/show Media/$f.wav") + 4095) / 4096)); done
room=$(( (total + 4095) / 4096 ))
((pages > room)) || fail "the corpus files do not need more pages ($pages) than their total ($room): pick others"
avail=$(($(stat -f -c '%a' "$tight")))
dd if=/dev/zero of="$tight/fill" bs=4096 count=$((avail - room)) status=none
[[ $(($(stat -f -c '%a * %S' "$tight"))) -ge $total ]] || fail "the fill left less than the plan needs"
refused "media folder: disk full midway (ENOSPC)" "media folder not changed: .*p05_lmms_e_organ.wav.part: write failed: No space left on device \(the copies made were removed" \
  "$cli" media-folder "$session" "$tight/Media" --mode move
unchanged "$tight" "disk full midway"
echo "   (plan saw $(mb $total) MB to copy and $(mb $((room * 4096))) MB free; the files take $pages pages, $room were free)"

# 5. A write that fails midway in the process (RLIMIT_FSIZE 200 KiB: EFBIG on the organ, after
#    the kick, snare and breakbeat were copied and verified), for the change and the export.
big="$work/big"
mkdir -p "$big"
refused "media folder: write fails midway (EFBIG)" "media folder not changed: .*p05_lmms_e_organ.wav.part: write failed: File too large" \
  bash -c 'trap "" XFSZ; ulimit -f 200; exec "$@"' - "$cli" media-folder "$session" "$big/Media" --mode move
unchanged "$big" "write failed midway"
refused "package export: write fails midway (EFBIG)" "p05_lmms_e_organ.wav.part: write failed: File too large" \
  bash -c 'trap "" XFSZ; ulimit -f 200; exec "$@"' - "$cli" export "$session" --out "$big/Exports"
unchanged "$big" "export failed midway"
left=$(find "$big" -name '*.partial' -o -name '*.part' -o -name 'show package')
[[ -z "$left" ]] || fail "export left: $left"

# And with room, both work (the failures above were the disk's, not the show's).
"$cli" media-folder "$session" "$big/Media" --mode copy > /dev/null || fail "copy with room failed"
"$cli" export "$session" --out "$big/Exports" > /dev/null || fail "export with room failed"
[[ -d "$big/Exports/show package" ]] || fail "no export with room: $(ls -R "$big/Exports")"
echo "PASS"
