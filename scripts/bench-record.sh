#!/usr/bin/env bash
# Screen recording, imagecx against ffmpeg's x11grab alone (the same
# grabber and encoder, run by hand), on a 4K and a 1080p Xvfb with a
# moving test pattern playing on it: for SECONDS each, alternating
# (A B, A B, …), the frames a second each held, the CPU time each took
# (the encoder included) and the peak memory of the largest process.
# imagecx's GIF recorder (its own reader, no ffmpeg) is measured too.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
secs=${SECONDS_EACH:-10}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
for t in ffmpeg ffprobe ffplay Xvfb /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "missing: $t (run make bench, which installs it)" >&2; exit 1; }
done
go build -trimpath -o "$work/imagecx" .
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_STATE_HOME="$work/home/.state" XDG_DATA_HOME="$work/home/.data"
mkdir -p "$HOME"

# frames FILE: the frames in the video.
frames() { ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$1"; }

printf '%-7s %-16s %8s %9s %9s %8s\n' screen recorder "fps" "CPU s" "peak MB" "MB out"
for size in 3840x2160 1920x1080; do
  exec 3>"$work/display"
  Xvfb -displayfd 3 -screen 0 "${size}x24" -noreset -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.05; done
  export DISPLAY=":$(cat "$work/display")"
  ffplay -hide_banner -loglevel quiet -an -noborder -left 0 -top 0 -f lavfi -i testsrc2=size=1280x720:rate=30 >/dev/null 2>&1 &
  play=$!
  sleep 1
  : >"$work/runs"
  for round in $(seq "$rounds"); do
    for r in imagecx ffmpeg gif; do
      case $r in
        imagecx) out=$work/imagecx.mp4; cmd=("$work/imagecx" record full --seconds "$secs" --no-upload -o "$out") ;;
        ffmpeg) out=$work/ffmpeg.mkv; cmd=(ffmpeg -hide_banner -loglevel error -y -f x11grab -draw_mouse 1 -framerate 30 -video_size "$size" -i "$DISPLAY.0+0,0" -t "$secs" -c:v libx264 -preset ultrafast -tune zerolatency -crf 18 -pix_fmt yuv420p -f matroska "$out") ;;
        gif) out=$work/imagecx.gif; cmd=("$work/imagecx" record full --gif --seconds "$secs" --no-upload -o "$out") ;;
      esac
      rm -f "$out"
      /usr/bin/time -f "%U %S %M" -o "$work/time" "${cmd[@]}" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
      read -r user sys peak <"$work/time"
      if [ "$r" = gif ]; then
        n=$(identify "$out" 2>/dev/null | wc -l) # frames kept: a still screen is one
      else
        n=$(frames "$out")
      fi
      echo "$r $(echo "$n / $secs" | bc -l) $(echo "$user + $sys" | bc -l) $((peak / 1024)) $(stat -c %s "$out")" >>"$work/runs"
    done
  done
  median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
  for r in imagecx ffmpeg gif; do
    name=$r
    [ "$r" = imagecx ] && name="imagecx (MP4)"
    [ "$r" = ffmpeg ] && name="ffmpeg x11grab"
    [ "$r" = gif ] && name="imagecx --gif"
    fps=$(awk -v r="$r" '$1==r{print $2}' "$work/runs" | median)
    cpu=$(awk -v r="$r" '$1==r{print $3}' "$work/runs" | median)
    mb=$(awk -v r="$r" '$1==r{print $4}' "$work/runs" | median)
    out=$(awk -v r="$r" '$1==r{print $5}' "$work/runs" | median)
    printf '%-7s %-16s %8.1f %9.2f %9s %8.2f\n' "${size#*x}p" "$name" "$fps" "$cpu" "$mb" "$(echo "$out / 1048576" | bc -l)"
  done
  kill "$play" "$xvfb" 2>/dev/null || true
  wait "$play" "$xvfb" 2>/dev/null || true
done
echo "($rounds rounds of ${secs} s, alternating; $(nproc) cores; $(date -u +%Y-%m-%d); imagecx's MP4 is x11grab and libx264 as the ffmpeg line, then put in an MP4 (fitted when uploading); its GIF is 10 frames a second at most)"
