#!/usr/bin/env bash
# Set up (apt), build, and run the whole CTest suite: unit, CLI, sox null, real-time safety,
# JACK realtime = offline, the GUI under Xvfb, and the fuzz tests (label "fuzz": each
# libFuzzer harness for 30 s, and its seeds and saved findings once). Artefacts: build/Testing/artifacts/.
#
#   scripts/test.sh [CTEST ARGS...]   the suite above (e.g. -L fuzz, -LE fuzz, -R analyze)
#   scripts/test.sh --sanitize        instead: the unit and CLI tests under ASan + UBSan (build-asan/),
#                                     and the threaded tests under TSan (build-tsan/). docs/testing.md
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"

# --- Sanitizer builds --------------------------------------------------------------------
# The threaded tests (Catch tags): lock-free FIFO and seqlock, the analysis queue, session media
# loading on worker threads, and the CLI renders (loader threads in cuegrid).
tsan_tags='[fifo],[seqlock],[queue],[limits],[render]'

source "$root/scripts/clang_build.sh"

# run_sanitized DIR NAME CTEST_ARGS...: run ctest with every sanitizer report also written to
# DIR/Testing/sanitizer/ (so a report in a cuegrid child process whose exit status a test
# ignores is still seen), and fail if any report was written.
run_sanitized() {
  local build=$1 name=$2; shift 2
  local reports="$build/Testing/sanitizer"
  rm -rf "$reports"; mkdir -p "$reports"
  local status=0 start=$SECONDS
  (cd "$build" && ctest --output-on-failure --no-tests=error --timeout 900 -j2 "$@") || status=$?
  # LeakSanitizer's "Unable to get registers from thread N" is its own note that it could not
  # stop one thread (one leaving as the process exits) for the leak check; the check itself
  # goes on and reports any leak in the same file. A report holding only such notes is
  # shown, not counted; anything else fails the suite.
  local report findings=0
  for report in "$reports"/*; do
    [[ -e "$report" ]] || continue
    if grep -qv "Unable to get registers from thread" "$report"; then
      (( findings++ == 0 )) && echo "test: $name: sanitizer reports:"
      echo "--- $report"; head -80 "$report"
    else
      echo "test: $name: LeakSanitizer note (not a finding): $(head -1 "$report")"
    fi
  done
  (( findings == 0 )) || status=1
  echo "test: $name: $((SECONDS - start)) s, $([[ $status -eq 0 ]] && echo clean || echo FAILED)"
  return $status
}

if [[ "${1:-}" == "--sanitize" ]]; then
  shift
  asan="${CUEGRID_ASAN_BUILD_DIR:-$root/build-asan}"
  tsan="${CUEGRID_TSAN_BUILD_DIR:-$root/build-tsan}"
  symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
  common="log_path=REPORTS/report:exitcode=86${symbolizer:+:external_symbolizer_path=$symbolizer}"
  failed=0

  clang_build "$asan" address cuegrid cuegrid_tests
  (
    export ASAN_OPTIONS="${common//REPORTS/$asan/Testing/sanitizer}:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1"
    export UBSAN_OPTIONS="${common//REPORTS/$asan/Testing/sanitizer}:print_stacktrace=1:halt_on_error=1"
    export LSAN_OPTIONS="suppressions=$root/Tests/Fuzz/lsan.supp:print_suppressions=0"
    run_sanitized "$asan" "ASan+UBSan" -R '^unit:' "$@"
  ) || failed=1

  clang_build "$tsan" thread cuegrid cuegrid_tests
  (
    export TSAN_OPTIONS="${common//REPORTS/$tsan/Testing/sanitizer}:halt_on_error=0:second_deadlock_stack=1"
    # The threaded tests by tag, as exact CTest names.
    regex=$("$tsan/bin/cuegrid_tests" --list-test-names-only "$tsan_tags" | sed '/^$/d; s/[][\\.*^$+?(){}|]/\\&/g; s/^/^unit: ?/; s/$/$/' | paste -sd'|')
    [[ -n "$regex" ]] || { echo "test: no test matches $tsan_tags"; exit 1; }
    run_sanitized "$tsan" "TSan" -R "$regex" "$@"
  ) || failed=1

  [[ $failed -eq 0 ]] && echo "test: sanitizer suites clean" || echo "test: sanitizer suites FAILED"
  exit $failed
fi

# --- The normal suite ----------------------------------------------------------------------
# The fuzz tests run the harnesses of build-fuzz/ (clang, libFuzzer): build them first.
"$root/scripts/fuzz.sh" --build-only
"$root/scripts/build.sh"
cd "${CUEGRID_BUILD_DIR:-$root/build}"
ctest --output-on-failure --timeout 300 -j2 "$@"
