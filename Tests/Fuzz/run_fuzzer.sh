#!/usr/bin/env bash
# Runs one libFuzzer harness. Used by scripts/fuzz.sh and by the CTest tests labelled "fuzz".
#
#   run_fuzzer.sh fuzz    TARGET FUZZER SECONDS WORK_DIR   fuzz for SECONDS from the seed corpus
#   run_fuzzer.sh regress TARGET FUZZER                    run every seed and regression input once
#
# TARGET: session_manifest | show_script | media | analysis. The per-target options live here.
# fuzz keeps its growing corpus in WORK_DIR/corpus/TARGET (the seeds in corpus/TARGET are only
# read), and writes a finding to WORK_DIR/findings/TARGET/ (crash-*, leak-*, timeout-*, oom-*).
# Exit status: 0 clean, 1 a finding or a setup error (the message says which).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=${1:?usage: run_fuzzer.sh fuzz|regress TARGET FUZZER [SECONDS WORK_DIR]}
target=${2:?target}
fuzzer=${3:?fuzzer executable}

# Findings are crashes, sanitizer reports, leaks, a 10 s input (timeout) and 2 GB of memory
# (rss, or a single malloc that large).
common=(-rss_limit_mb=2048 -timeout=10)
case "$target" in
  session_manifest) options=(-max_len=16384 -dict="$here/json.dict") ;;
  show_script)      options=(-max_len=16384 -dict="$here/json.dict") ;;
  media)            options=(-max_len=65536) ;;
  analysis)         options=(-max_len=32768) ;;
  *) echo "run_fuzzer: unknown target '$target'" >&2; exit 1 ;;
esac

if [[ ! -x "$fuzzer" ]]; then
  echo "run_fuzzer: $fuzzer is not built. Build the fuzzers with: scripts/fuzz.sh --build-only" >&2
  exit 1
fi

# UBSan: a report is fatal and prints its stack (ASan's options come from libFuzzer).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_stack_use_after_return=1}
# Third-party leaks only (each documented in the file).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/lsan.supp:print_suppressions=0}
symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
[[ -n "$symbolizer" ]] && export ASAN_SYMBOLIZER_PATH=$symbolizer

case "$mode" in
  regress)
    inputs=()
    for folder in "$here/corpus/$target" "$here/regressions/$target"; do
      [[ -d "$folder" ]] || continue
      while IFS= read -r -d '' file; do inputs+=("$file"); done \
        < <(find "$folder" -type f ! -name '*.md' ! -name '.*' -print0 | sort -z)
    done
    if [[ ${#inputs[@]} -eq 0 ]]; then
      echo "run_fuzzer: no seed or regression inputs for $target" >&2
      exit 1
    fi
    echo "run_fuzzer: $target: running ${#inputs[@]} seed and regression input(s) once"
    "$fuzzer" "${common[@]}" "${options[@]}" "${inputs[@]}" 2>&1
    status=$?
    if [[ $status -ne 0 ]]; then
      echo "run_fuzzer: $target: FINDING: an input above failed (the last 'Running:' line names it); reproduce with: $fuzzer FILE"
      exit 1
    fi
    echo "run_fuzzer: $target: all ${#inputs[@]} input(s) clean"
    ;;
  fuzz)
    seconds=${4:?seconds}
    work=$(mkdir -p "${5:?work dir}" && cd "$5" && pwd)
    corpus="$work/corpus/$target"
    findings="$work/findings/$target"
    log="$work/logs/$target.log"
    mkdir -p "$corpus" "$findings" "$(dirname "$log")"
    echo "run_fuzzer: $target: fuzzing for ${seconds}s (corpus $corpus, log $log)"
    "$fuzzer" "${common[@]}" "${options[@]}" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$findings/" "$corpus" "$here/corpus/$target" > "$log" 2>&1
    status=$?
    grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" | sed "s/^/run_fuzzer: $target: /"
    if [[ $status -ne 0 ]]; then
      tail -60 "$log"
      echo "run_fuzzer: $target: FINDING (libFuzzer exit status $status; full log: $log)"
      # libFuzzer says "Test unit written to PATH" for a crash, leak, timeout or oom.
      written=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
      if [[ -n "$written" ]]; then
        echo "run_fuzzer: $target: crashing input: $written"
        echo "run_fuzzer: $target: reproduce: $fuzzer $written"
        echo "run_fuzzer: $target: keep it as a regression test: cp $written $here/regressions/$target/"
      fi
      exit 1
    fi
    echo "run_fuzzer: $target: clean"
    ;;
  *) echo "run_fuzzer: unknown mode '$mode' (fuzz or regress)" >&2; exit 1 ;;
esac
