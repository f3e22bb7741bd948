#!/usr/bin/env bash
# Full-screen capture to a PNG file, imagecx against the peers, on one 4K
# Xvfb showing the reference desktop: the tools run alternately (A B C D,
# A B C D, …) so load changes hit them all alike. Prints medians, the ratio
# to scrot and the file sizes, then checks that imagecx's file holds the
# exact screen pixels.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-7}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

go build -trimpath -o "$work/imagecx" .
go build -o "$work/paint" ./tools/paint
# The reference desktop (internal/testkit/refdesk), or another 4K PNG given as FIXTURE.
fixture=${FIXTURE:-$work/desktop.png}
[ -n "${FIXTURE:-}" ] || go run ./tools/refdesk "$fixture"
exec 3>"$work/display"
Xvfb -displayfd 3 -screen 0 3840x2160x24 -noreset -nolisten tcp >/dev/null 2>&1 &
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.05; done
export DISPLAY=":$(cat "$work/display")"
# flameshot wants a session bus. A private one with no service directories:
# on a default bus its "capture saved" notification starts a notification
# daemon whose popup then sits on the screen for every later capture.
cat >"$work/bus.conf" <<CONF
<busconfig><type>session</type><listen>unix:dir=$work</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>
CONF
dbus-daemon --config-file="$work/bus.conf" --print-address=4 --nofork --nopidfile 4>"$work/bus" &
for _ in $(seq 100); do [ -s "$work/bus" ] && break; sleep 0.05; done
export DBUS_SESSION_BUS_ADDRESS=$(head -1 "$work/bus")
export QT_QPA_PLATFORM=xcb HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config"
mkdir -p "$HOME"
"$work/paint" "$fixture" 2>/dev/null

declare -A cmds=(
  [imagecx]="$work/imagecx capture full --no-upload -o $work/imagecx.png"
  [scrot]="scrot -o $work/scrot.png"
  [maim]="maim $work/maim.png"
  [flameshot]="flameshot full -p $work/flameshot.png"
)
tools=(imagecx scrot maim flameshot)
for t in "${tools[@]}"; do
  command -v "${cmds[$t]%% *}" >/dev/null || { echo "missing: $t (run make bench, which installs it)" >&2; exit 1; }
done
for round in $(seq "$rounds"); do
  for t in "${tools[@]}"; do
    rm -f "$work/$t.png"
    start=$(date +%s%N)
    ${cmds[$t]} >/dev/null 2>&1
    end=$(date +%s%N)
    echo "$t $(( (end - start) / 1000000 )) $(stat -c %s "$work/$t.png")" >>"$work/times"
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
scrot_ms=$(awk '$1=="scrot"{print $2}' "$work/times" | median)
printf '%-10s %10s %9s %12s\n' tool "median ms" "× scrot" "PNG bytes"
for t in "${tools[@]}"; do
  ms=$(awk -v t="$t" '$1==t{print $2}' "$work/times" | median)
  bytes=$(awk -v t="$t" '$1==t{print $3}' "$work/times" | median)
  printf '%-10s %10s %9.2f %12s\n' "$t" "$ms" "$(echo "$ms / $scrot_ms" | bc -l)" "$bytes"
done
echo "($rounds rounds, alternating; $(nproc) cores; $(date -u +%Y-%m-%d))"
ae=$(compare -metric AE "$work/imagecx.png" "$fixture" null: 2>&1 || true)
echo "imagecx pixels differing from the screen: $ae"
[ "$ae" = 0 ]
