#!/usr/bin/env bash
# Runs every fuzz target in the module for a number of inputs each
# (FUZZTIME, default 100000x, a few seconds): what a server answers, what a
# file starts with, what a server's message does with the key, what a
# settings file calls a hotkey. A failure leaves its input under the
# package's testdata/fuzz/, which `go test` then replays every time.
# A count rather than a duration: with a duration, Go 1.26's fuzzing
# coordinator can report "context deadline exceeded" when the time runs
# out on a busy machine, with no failing input (golang/go#75804, fixed in
# Go 1.27).
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-100000x}
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r file; do
	pkg=./$(dirname "${file#./}")
	for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
		echo "fuzz $pkg $target ($fuzztime)"
		if ! out=$(go test -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" "$pkg" 2>&1); then
			echo "$out"
			exit 1
		fi
	done
done
