#!/usr/bin/env bash
# Runs every fuzz target in the module for a short time each (FUZZTIME,
# default 5s): what a server answers, what a file starts with, what a
# server's message does with the key, what a settings file calls a hotkey.
# A failure leaves its input under the package's testdata/fuzz/, which
# `go test` then replays every time.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-5s}
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
