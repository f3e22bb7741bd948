#!/bin/sh
# Prints the path of a go command at least as new as go.mod's toolchain
# line, getting one first when there is none:
#   1. `go` on PATH, when it is new enough;
#   2. the toolchain fetched before, in the per-user module cache;
#   3. otherwise the distribution's Go (installed with apt-get when there is
#      no go at all) fetches the pinned toolchain from the Go module proxy
#      into that cache: by itself through GOTOOLCHAIN (Go 1.21 and newer),
#      or as the module golang.org/toolchain (older ones, such as Debian
#      12's 1.19 and Ubuntu 22.04's 1.18).
# Nothing goes into system folders by hand. Messages go to stderr; the only
# thing on stdout is the path, so `make` can read it.
set -eu
cd "$(dirname "$0")/.."

say() { echo "go.sh: $*" >&2; }
want=$(sed -n 's/^toolchain go//p' go.mod)
if [ -z "$want" ]; then
	say "go.mod has no toolchain line"
	exit 1
fi

# Every go command below runs outside the module: old ones cannot read
# its go.mod, and new ones would switch toolchains by it.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# version GO prints GO's version ("1.26.8"), or nothing when it cannot run.
version() {
	(cd "$scratch" && GOTOOLCHAIN=local "$1" env GOVERSION 2>/dev/null) | sed -n 's/^go\([0-9][0-9.]*\).*/\1/p'
}
# at_least A B: version A is B or newer.
at_least() {
	[ -n "$1" ] && [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}
# usable GO prints GO's path and ends the script when it is new enough.
usable() {
	if [ -x "$1" ] && at_least "$(version "$1")" "$want"; then
		echo "$1"
		exit 0
	fi
}
# no_go explains what to do where this script cannot get Go by itself.
no_go() {
	say "imagecx needs Go $want or newer, and $1."
	if command -v dnf >/dev/null 2>&1; then
		say "Fedora/RHEL: sudo dnf install golang git make, then run make again."
	elif command -v pacman >/dev/null 2>&1; then
		say "Arch: sudo pacman -S go git make, then run make again."
	elif command -v zypper >/dev/null 2>&1; then
		say "openSUSE: sudo zypper install go git make, then run make again."
	fi
	say "Or install it from https://go.dev/dl/ and put its bin folder on PATH."
	exit 1
}

host_go=$(command -v go 2>/dev/null || true)
[ -z "$host_go" ] || usable "$host_go"

# The per-user cache: where GOTOOLCHAIN keeps toolchains too.
modcache() {
	if [ -n "${1:-}" ]; then
		(cd "$scratch" && GOTOOLCHAIN=local "$1" env GOMODCACHE)
	else
		gopath=${GOPATH:-$HOME/go}
		echo "${GOMODCACHE:-${gopath%%:*}/pkg/mod}"
	fi
}
case $(uname -m) in
	x86_64 | amd64) arch=amd64 ;;
	aarch64 | arm64) arch=arm64 ;;
	i?86) arch=386 ;;
	armv6* | armv7*) arch=armv6l ;;
	*) arch=$(uname -m) ;;
esac
os=$(uname -s | tr 'A-Z' 'a-z')
mod=golang.org/toolchain@v0.0.1-go$want.$os-$arch
usable "$(modcache "$host_go")/$mod/bin/go"

# A Go to fetch it with: the distribution's.
if [ -z "$host_go" ]; then
	if ! command -v apt-get >/dev/null 2>&1; then
		no_go "there is no go on PATH and no apt-get to install one"
	fi
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 || no_go "installing it needs root (there is no sudo)"
		sudo=sudo
	fi
	say "Go is not installed: installing the distribution's Go (golang-go), which fetches Go $want"
	$sudo apt-get update >&2 || no_go "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends golang-go ca-certificates >&2 ||
		no_go "apt-get could not install golang-go"
	host_go=$(command -v go 2>/dev/null || true)
	[ -n "$host_go" ] || no_go "golang-go put no go on PATH"
	usable "$host_go"
	usable "$(modcache "$host_go")/$mod/bin/go"
fi

have=$(version "$host_go")
say "$host_go is Go ${have:-(unknown)}: fetching Go $want into $(modcache "$host_go")"
if at_least "$have" 1.21; then
	root=$(cd "$scratch" && GOTOOLCHAIN=go$want "$host_go" env GOROOT) ||
		no_go "Go $have could not fetch it (GOTOOLCHAIN=go$want; is the module proxy, $(cd "$scratch" && "$host_go" env GOPROXY), reachable?)"
	usable "$root/bin/go"
else
	# Before Go 1.21 the go command cannot switch; the toolchain is a
	# module like any other, whose zip keeps no executable bits.
	dir=$(cd "$scratch" && GO111MODULE=on "$host_go" mod download -json "$mod" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') ||
		no_go "Go $have could not download $mod (is the module proxy, $(cd "$scratch" && "$host_go" env GOPROXY), reachable?)"
	[ -n "$dir" ] || no_go "Go $have downloaded $mod but did not say where"
	chmod a+x "$dir"/bin/* "$dir"/pkg/tool/*/*
	usable "$dir/bin/go"
fi
no_go "the Go fetched for it does not run here"
