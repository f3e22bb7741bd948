#!/bin/sh
# Prints imagecx's version in a form .deb, .rpm and Windows all accept: the
# VERSION file's (a release sets it, with its CHANGELOG.md entry), and where
# the build stands after it in git. No tag is needed.
#   the commit that set VERSION (the release)   0.3.0
#   5 commits after it                          0.3.0+git5.abc1234
#   a shallow clone, which cannot count them    0.3.0+git20261206.abc1234 (the commit's date)
#   uncommitted changes                         … .dirty appended
#   not a git checkout (a source tarball)       0.3.0
set -eu
cd "$(dirname "$0")/.."
v=$(tr -d ' \n' < VERSION)
if ! sha=$(git rev-parse --short=7 HEAD 2>/dev/null); then
  echo "$v"
  exit 0
fi
release=""
if [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = false ]; then
  release=$(git log -1 --format=%H -- VERSION 2>/dev/null || true)
fi
if [ -n "$release" ]; then
  n=$(git rev-list --count "$release..HEAD")
  [ "$n" = 0 ] || v="$v+git$n.$sha"
else
  v="$v+git$(git show -s --format=%cd --date=format:%Y%m%d HEAD).$sha"
fi
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  case $v in *+*) v="$v.dirty" ;; *) v="$v+dirty" ;; esac
fi
echo "$v"
