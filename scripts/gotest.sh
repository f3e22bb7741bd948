#!/usr/bin/env bash
# Runs the module's tests (arguments go to `go test`) and, when they fail,
# ends with what failed: each failing test's name and its own messages,
# without the programs' output the end-to-end tests print under them
# (which can run to hundreds of lines). A reader of only the last lines of
# a long run still sees why it failed.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
go test "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
	echo
	echo "== what failed =="
	# A test's messages are indented by four spaces per level and start
	# with file:line; deeper lines without one are the programs' output.
	grep -E '^(FAIL|panic:|\s*--- FAIL:|\s+[A-Za-z0-9_./-]+\.go:[0-9]+: )' "$log" |
		grep -vE '^\s+[A-Za-z0-9_./-]+\.go:[0-9]+: .*output \(the end\):$' || true
fi
exit "$status"
