#!/usr/bin/env bash
# Build the libFuzzer harnesses (clang-14, -fsanitize=fuzzer,address,undefined) into
# build-fuzz/ and fuzz each target for SECONDS (default 60).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]    TARGET: session_manifest show_script media analysis
#   scripts/fuzz.sh --build-only             only build (scripts/test.sh does this before ctest)
#
# Exits non-zero on a finding and says where the input that triggered it is
# (build-fuzz/findings/TARGET/). Copy it to Tests/Fuzz/regressions/TARGET/ to keep it as a test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${CUEGRID_FUZZ_BUILD_DIR:-$root/build-fuzz}"
all_targets=(session_manifest show_script media analysis)

build_only=0
seconds=60
targets=()
for argument in "$@"; do
  case "$argument" in
    --build-only) build_only=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *[!0-9]*) targets+=("$argument") ;;
    *) seconds=$argument ;;
  esac
done
[[ ${#targets[@]} -gt 0 ]] || targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $target "* ]] || { echo "fuzz: unknown target '$target' (${all_targets[*]})" >&2; exit 2; }
done

source "$root/scripts/clang_build.sh"
clang_build "$build" fuzzer cuegrid_fuzzers
[[ $build_only -eq 1 ]] && exit 0

failed=()
for target in "${targets[@]}"; do
  "$root/Tests/Fuzz/run_fuzzer.sh" regress "$target" "$build/bin/fuzz_$target" > "$build/regress-$target.log" 2>&1 \
    || { cat "$build/regress-$target.log"; failed+=("$target (a seed or saved regression input)"); continue; }
  "$root/Tests/Fuzz/run_fuzzer.sh" fuzz "$target" "$build/bin/fuzz_$target" "$seconds" "$build" \
    || failed+=("$target")
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: FINDINGS in: ${failed[*]} (inputs in $build/findings/)"
  exit 1
fi
echo "fuzz: ${#targets[@]} target(s), ${seconds}s each: no findings"
