#!/usr/bin/env bash
# Idempotent install of every Debian package CueGrid's build, app and tests need.
# Prints what it installs; installs nothing when everything is present.
set -euo pipefail

build_packages=(
  cmake ninja-build g++ ccache pkg-config
  juce-modules-source
  libsndfile1-dev libsoxr-dev libsqlite3-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
  catch2 libcli11-dev libxxhash-dev libltc-dev librubberband-dev libebur128-dev liblo-dev libaubio-dev libfftw3-dev
  libasound2-dev libjack-jackd2-dev libfreetype-dev libx11-dev libxrandr-dev libxinerama-dev
  libxcursor-dev libxext-dev libfontconfig1-dev libgl-dev libcurl4-openssl-dev
  libflac-dev libvorbis-dev libogg-dev libpng-dev libjpeg-dev
  # Fuzz and sanitizer builds (scripts/fuzz.sh, scripts/test.sh --sanitize): clang 14, its
  # compiler-rt (libclang_rt.fuzzer/asan/ubsan/tsan), llvm-symbolizer for readable reports.
  clang-14 libclang-rt-14-dev llvm-14
)
test_packages=(
  jackd2 jack-tools xvfb xauth xdotool x11-xserver-utils imagemagick sox liblo-tools x11-utils time util-linux bc
  # Tests/Support/xdnd_source.py: a GTK 3 drag source for the real XDND drop in drag_drop_test.sh.
  python3-gi gir1.2-gtk-3.0
  # Classifier development set (Tests/Tools/make_dev_set.py, ClassifierDevSet test): labelled
  # drum kits and samples, and the renderers for sustained notes and synthetic speech.
  hydrogen-drumkits hydrogen-drumkits-effects lmms-common fluidsynth fluid-soundfont-gm
  espeak-ng festival festvox-kallpc16k python3
  # Tests/Cli/AnalyzeLoudness.test.cpp: ffmpeg's ebur128 filter, an independent EBU R 128 /
  # BS.1770 meter, checks CueGrid's LUFS and true peak (libebur128) on the corpus.
  ffmpeg
)

wanted=("${build_packages[@]}" "${test_packages[@]}")
missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#wanted[@]} packages present"
  exit 0
fi

echo "setup: installing ${#missing[@]} package(s): ${missing[*]}"
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
# jackd2 asks whether to enable realtime scheduling; answer no non-interactively.
echo "jackd2 jackd/tweak_rt_limits boolean false" | "${sudo_cmd[@]}" debconf-set-selections 2>/dev/null || true
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
