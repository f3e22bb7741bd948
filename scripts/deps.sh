#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages imagecx needs, only those missing.
#   scripts/deps.sh build   what `make build` needs (cgo and the headers of the windows)
#   scripts/deps.sh run     what `make run` needs (the tray app on a desktop)
#   scripts/deps.sh test    what `make test` needs (Xvfb, D-Bus, keyring, X tools)
#   scripts/deps.sh bench   what `make bench` needs (the peers it is compared with)
#   scripts/deps.sh windows what `make windows` needs (MinGW-w64's gcc)
#   scripts/deps.sh package what `make package` needs (the Windows build, NSIS, zip)
#   scripts/deps.sh --list test   print the list and install nothing
set -euo pipefail

# The settings window (fyne) needs cgo with the OpenGL/X11 headers to build,
# and an OpenGL driver to run (Mesa's software one on Xvfb).
build_pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev libgl1-mesa-dri)
run_pkgs=("${build_pkgs[@]}" ca-certificates dbus-x11 gnome-keyring fonts-noto-cjk)
# A real Wayland session for the portal tests: headless sway, its wallpaper
# helper, the portal front end and the wlroots backend (which needs PipeWire,
# WirePlumber to link a screen cast to its reader, and grim to take the
# screenshots, none a dependency of its package),
# slurp, which imagecx runs to choose a region to record there, and
# wl-clipboard, the clipboard there without Xwayland.
wayland_pkgs=(sway swaybg xdg-desktop-portal xdg-desktop-portal-wlr pipewire wireplumber grim slurp wl-clipboard)
# A real headless GNOME Shell on Wayland (Debian 12: GNOME 43) with its
# portal backend and Xwayland; without gjs (only a recommend) the shell's
# notification service cannot start.
gnome_pkgs=(gnome-shell mutter xdg-desktop-portal-gnome xdg-desktop-portal-gtk gnome-settings-daemon gjs xwayland wireplumber)
# A real headless KDE Plasma 5.27 (KWin's virtual backend, kded5 and
# plasmashell for the tray and notifications, the KDE portal). Without
# qtwayland5 the KDE portal aborts and the portal falls back to a backend
# with no Screenshot; without plasma-desktop plasmashell has no corona.
kde_pkgs=(kwin-wayland xdg-desktop-portal-kde plasma-workspace plasma-workspace-wayland plasma-desktop qtwayland5 libkf5globalaccel-bin qml-module-org-kde-kcm qml-module-org-kde-kquickcontrols)
# The Windows build's tests run under Wine (with its fonts, so balloons
# and menus read); the stand-in DLL Go programs need there is assembled
# with MinGW's binutils, and the settings window (fyne: cgo) is built with
# MinGW's gcc.
windows_build_pkgs=(gcc-mingw-w64-x86-64-posix)
windows_pkgs=(wine wine64 fonts-wine binutils-mingw-w64-x86-64 "${windows_build_pkgs[@]}")
# `make package` builds the Windows installer with NSIS and the portable zip;
# `make test` also checks the packages as their users' tools would (lintian,
# rpm, the desktop entry's and the metainfo's validators), the man page with
# man, and the completions in the three shells.
package_pkgs=("${build_pkgs[@]}" "${windows_build_pkgs[@]}" nsis zip)
check_pkgs=(lintian rpm desktop-file-utils appstream man-db zsh fish unzip)
# The fresh-machine test makes Debian and Ubuntu roots from their archives
# (Ubuntu's key is read from its keyring package with gpg).
fresh_pkgs=(debootstrap gpg)
# Screen recording encodes with ffmpeg, and on Wayland reads the desktop's
# stream with GStreamer (the packages recommend them).
record_pkgs=(ffmpeg gstreamer1.0-tools gstreamer1.0-pipewire gstreamer1.0-plugins-good)
# Copy text from region reads with tesseract, in English and the Chinese
# and Japanese imagecx speaks (the packages recommend them).
ocr_pkgs=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-tra tesseract-ocr-chi-sim tesseract-ocr-jpn)
test_pkgs=("${run_pkgs[@]}" "${record_pkgs[@]}" "${ocr_pkgs[@]}" "${package_pkgs[@]}" "${check_pkgs[@]}" "${fresh_pkgs[@]}" dbus xvfb xdotool xclip x11-utils x11-xserver-utils imagemagick "${wayland_pkgs[@]}" "${gnome_pkgs[@]}" "${kde_pkgs[@]}" "${windows_pkgs[@]}")
bench_pkgs=("${test_pkgs[@]}" scrot maim flameshot bc)

list=false
if [ "${1:-}" = --list ]; then list=true; shift; fi
case "${1:-test}" in
  build) pkgs=("${build_pkgs[@]}") ;;
  run) pkgs=("${run_pkgs[@]}") ;;
  test) pkgs=("${test_pkgs[@]}") ;;
  bench) pkgs=("${bench_pkgs[@]}") ;;
  windows) pkgs=("${windows_build_pkgs[@]}") ;;
  package) pkgs=("${package_pkgs[@]}") ;;
  *) echo "usage: $0 [--list] build|run|test|bench|windows|package" >&2; exit 2 ;;
esac
if $list; then printf '%s\n' "${pkgs[@]}"; exit 0; fi
# Installed by hand (another distribution): nothing to check.
if [ -n "${IMAGECX_SKIP_DEPS:-}" ]; then exit 0; fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  # Not Debian or Ubuntu: say what to look for, by the Debian names.
  echo "This machine has no apt-get, so imagecx cannot install what it needs by itself." >&2
  echo "Install the equivalents of these Debian packages with your package manager:" >&2
  echo "  ${pkgs[*]}" >&2
  case "${1:-test}" in
    build|run) echo "(Fedora: sudo dnf install gcc pkgconf-pkg-config mesa-libGL-devel libX11-devel libXcursor-devel libXrandr-devel libXinerama-devel libXi-devel libXxf86vm-devel dbus-x11 gnome-keyring;" >&2
         echo " Arch: sudo pacman -S gcc pkgconf mesa libx11 libxcursor libxrandr libxinerama libxi libxxf86vm dbus gnome-keyring)" >&2 ;;
  esac
  echo "then run make again with IMAGECX_SKIP_DEPS=1." >&2
  exit 1
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing: ${missing[*]}" >&2
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
