#!/usr/bin/env bash
# Takes the README's screenshots of the real window under Xvfb.
# Needs: apt-get install -y xvfb xauth xdotool imagemagick; a release build.
# Usage: docs/screenshots/take.sh   (from the repository root)
set -euo pipefail
out=docs/screenshots
data=$(mktemp -d)
export EXAMDECK_DATA_DIR="$data"
Xvfb :99 -screen 0 1280x800x24 -nolisten tcp & xvfb=$!
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$data"' EXIT
sleep 1
export DISPLAY=:99
env -u WAYLAND_DISPLAY ./target/release/examdeck & app=$!
sleep 4
win=$(xdotool search --name '^examdeck$' | head -1)
xdotool windowsize "$win" 1280 800 windowmove "$win" 0 0
# Keys reach only the focused window.
xdotool windowfocus "$win"
sleep 1
shot() { sleep 1; import -window root "$out/$1.png"; }
tab() { xdotool mousemove "$1" 22 click 1; }
shot home
# Study: the first card, then its answer.
xdotool key Return; shot study-question
xdotool key 1; sleep 0.3; xdotool key Return; shot study-feedback
