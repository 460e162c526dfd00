#!/usr/bin/env bash
# Issue 9, test 4 (the manifest's part): a save, and a recovery point, that cannot be written
# fail with a clear error naming the file (exit 4, OutputError), and leave the saved file, its
# backups and the recovery points byte for byte as they were, with no temporary beside them.
#   unwritable: the session's folder is read-only (a read-only tmpfs when root, who writes
#               through permissions; chmod a-w otherwise).
#   full-disk:  the session is on a 256 KiB tmpfs filled with dd (root only; otherwise this says
#               so and exits 77, a skip).
# Usage: save_failure_test.sh unwritable|full-disk SAVE_STRESS WORK_DIR
set -euo pipefail
mode=$1 tool=$2 work=$(realpath -m "$3")
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
mkdir -p "$work"
disk=
cleanup() {
  if [[ -n "$disk" ]]; then umount "$disk" 2>/dev/null || umount -l "$disk" 2>/dev/null || true; fi
  chmod -R u+w "$work" 2>/dev/null || true
}
trap cleanup EXIT

if [[ $(id -u) -eq 0 ]]; then
  disk="$work/disk"
  mkdir -p "$disk"
  if ! mount -t tmpfs -o size=256k tmpfs "$disk" 2> "$work/mount.log"; then
    [[ $mode == full-disk ]] && { echo "SKIP: cannot mount a tmpfs here: $(cat "$work/mount.log")"; disk=; exit 77; }
    disk=
  fi
elif [[ $mode == full-disk ]]; then
  echo "SKIP: mounting a small tmpfs needs root"
  exit 77
fi
folder=${disk:-$work/show}
mkdir -p "$folder"
session="$folder/show.cuegrid"
autosave="$folder/Autosave"
"$tool" make "$session" 64
"$tool" save "$session" "$autosave"      # a saved file and its .bak1
"$tool" point "$session" "$autosave" > /dev/null
snapshot() { (cd "$folder" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
before=$(snapshot)

make_unwritable() {
  if [[ -n "$disk" ]]; then
    mount -o remount,ro "$disk"
  else
    chmod -R a-w "$folder"
  fi
}

case $mode in
  unwritable)
    make_unwritable
    expected="Read-only file system|Permission denied"
    ;;
  full-disk)
    dd if=/dev/zero of="$folder/fill" bs=4k > /dev/null 2>&1 || true
    echo "disk full: $(df -k "$folder" | tail -n 1)"
    before=$(snapshot | grep -v ' ./fill$')
    expected="No space left on device"
    ;;
  *) fail "unknown mode $mode" ;;
esac

status=0
"$tool" save "$session" "$autosave" > "$work/save.log" 2>&1 || status=$?
echo "save: exit $status: $(cat "$work/save.log")"
[[ $status -eq 4 ]] || fail "the save did not fail with exit 4 (OutputError)"
grep -q "^$session: " "$work/save.log" || fail "the error does not start with the session's path"
grep -Eq "$expected" "$work/save.log" || fail "the error does not say why ($expected)"

status=0
"$tool" point "$session" "$autosave" > "$work/point.log" 2>&1 || status=$?
echo "recovery point: exit $status: $(cat "$work/point.log")"
[[ $status -eq 4 ]] || fail "the recovery point did not fail with exit 4"
grep -q "$autosave/show-" "$work/point.log" || fail "the error does not name the recovery point"
grep -Eq "$expected" "$work/point.log" || fail "the error does not say why ($expected)"

after=$(snapshot | grep -v ' ./fill$')
[[ "$before" == "$after" ]] || { diff <(echo "$before") <(echo "$after"); fail "files changed or were left behind"; }
echo "unchanged: $(echo "$after" | wc -l) files, byte for byte"

# Writable again: saving works and rotates as usual.
if [[ $mode == full-disk ]]; then rm -f "$folder/fill"; elif [[ -n "$disk" ]]; then mount -o remount,rw "$disk"; else chmod -R u+w "$folder"; fi
"$tool" save "$session" "$autosave" || fail "saving failed after space or write access came back"
cmp -s "$session" "$session.bak1" && fail "the new save did not change the file"
echo "$mode: ok"
