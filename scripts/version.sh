#!/bin/sh
# Prints imagecx's version, from git, in a form .deb, .rpm and Windows all
# accept:
#   on a tag v1.2.3                     1.2.3
#   5 commits after it                  1.2.3+git5.abc1234
#   no tag in the clone (or shallow)    0.0.0+git20261201.abc1234 (the commit's date)
#   uncommitted changes                 … .dirty appended
#   not a git checkout                  0.0.0
set -eu
cd "$(dirname "$0")/.."
if ! sha=$(git rev-parse --short=7 HEAD 2>/dev/null); then
  echo 0.0.0
  exit 0
fi
if d=$(git describe --tags --match 'v[0-9]*' --long 2>/dev/null); then
  tag=${d%-*-g*}
  n=${d#"$tag"-}
  n=${n%%-*}
  v=${tag#v}
  [ "$n" = 0 ] || v="$v+git$n.$sha"
else
  v="0.0.0+git$(git show -s --format=%cd --date=format:%Y%m%d HEAD).$sha"
fi
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  case $v in *+*) v="$v.dirty" ;; *) v="$v+dirty" ;; esac
fi
echo "$v"
