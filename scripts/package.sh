#!/usr/bin/env bash
# Builds imagecx's packages into DIST (dist/ by default), as `make package`
# does after `make windows`:
#   imagecx_VERSION_amd64.deb, imagecx-VERSION.x86_64.rpm   (nfpm)
#   imagecx-VERSION-setup.exe                                (NSIS, per-user)
#   imagecx-VERSION-windows-portable.zip
#   imagecx-VERSION-macos.zip (imagecx.app), only on a Mac
# VERSION, COMMIT and BUILT come from the Makefile (scripts/version.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${VERSION:=$(scripts/version.sh)}" "${COMMIT:=$(git rev-parse HEAD 2>/dev/null || true)}"
: "${BUILT:=$(date -u +%Y-%m-%dT%H:%M:%SZ)}" "${DIST:=dist}" "${GO:=go}"
: "${MAINTAINER:=The imagecx developers <imagecx@image.cx>}"
# Where the screenshots `make screenshots` writes are published: the
# metainfo's screenshot points there.
: "${SCREENSHOTS_URL:=https://raw.githubusercontent.com/imagecx/imagecx/main/docs/screenshots}"
date=${BUILT%%T*}
ldflags="-s -w -X main.version=$VERSION -X main.revision=$COMMIT -X main.built=$BUILT"
mkdir -p "$DIST"
DIST=$(cd "$DIST" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
say() { echo "package: $*" >&2; }

# Windows: what `make windows` built.
win=$DIST/windows
for f in imagecx.exe imagecxw.exe imagecx-settings.exe imagecx-history.exe imagecx-editor.exe; do
  [ -f "$win/$f" ] || { echo "package: $win/$f is missing: run \`make windows\` first" >&2; exit 1; }
done

# The Linux programs and what is installed with them.
say "building the Linux programs ($VERSION)"
$GO build -trimpath -buildmode=pie -ldflags "$ldflags" -o "$stage/bin/imagecx" .
for w in settings history editor; do
  $GO build -trimpath -buildmode=pie -ldflags "$ldflags" -o "$stage/libexec/imagecx-$w" "./cmd/imagecx-$w"
done
$GO run ./assets/internal/gen -hicolor "$stage/share/icons/hicolor"
$GO run ./tools/docgen -version "$VERSION" -date "$date" "$stage/share/completions"
mkdir -p "$stage/share/man/man1" "$stage/share/applications" "$stage/share/metainfo" "$stage/share/doc"
gzip -9n < "$stage/share/completions/imagecx.1" > "$stage/share/man/man1/imagecx.1.gz"
cp packaging/cx.image.imagecx.desktop packaging/cx.image.imagecx.upload.desktop "$stage/share/applications/"
# Upload to image.cx in Dolphin's and Nemo's menus, for everyone (GNOME
# Files and Thunar read per-user folders only: imagecx integrate).
$GO run ./tools/fmactions -bin /usr/bin/imagecx "$stage/share"
sed -e "s|@VERSION@|$VERSION|" -e "s|@DATE@|$date|" -e "s|@SCREENSHOTS@|$SCREENSHOTS_URL|" \
  packaging/cx.image.imagecx.metainfo.xml > "$stage/share/metainfo/cx.image.imagecx.metainfo.xml"
cp packaging/deb/copyright "$stage/share/doc/copyright"
cp LICENSE "$stage/share/doc/LICENSE"
# The licences of every module compiled into the programs, Linux and
# Windows alike, read from the programs themselves.
say "collecting the third-party licences"
$GO run ./tools/notices -o "$stage/share/doc/THIRD_PARTY_NOTICES.txt" \
  "$stage/bin/imagecx" "$stage"/libexec/imagecx-* "$win"/*.exe
cp "$stage/share/doc/THIRD_PARTY_NOTICES.txt" "$win/THIRD_PARTY_NOTICES.txt"
cp LICENSE "$win/LICENSE.txt"
{
  echo "imagecx ($VERSION) unstable; urgency=medium"
  echo
  echo "  * Built from commit ${COMMIT:-unknown}."
  echo
  echo " -- $MAINTAINER  $(date -u -d "$BUILT" -R)"
} | gzip -9n > "$stage/share/doc/changelog.Debian.gz"

say "building nfpm"
(cd packaging/tools && $GO build -o "$stage/nfpm" github.com/goreleaser/nfpm/v2/cmd/nfpm)
rm -f "$DIST"/imagecx_*_amd64.deb "$DIST"/imagecx-*.x86_64.rpm
(cd "$stage" && VERSION=$VERSION MAINTAINER=$MAINTAINER ./nfpm pkg --config "$OLDPWD/packaging/nfpm.yaml" --packager deb --target "$DIST/imagecx_${VERSION}_amd64.deb")
(cd "$stage" && VERSION=$VERSION MAINTAINER=$MAINTAINER ./nfpm pkg --config "$OLDPWD/packaging/nfpm.yaml" --packager rpm --target "$DIST/imagecx-$VERSION.x86_64.rpm")

numeric=$(echo "$VERSION" | grep -oE '^[0-9]+\.[0-9]+\.[0-9]+' || echo 0.0.0)
say "building the Windows installer"
makensis -V2 -DVERSION="$VERSION" -DNUMVERSION="$numeric" -DSRC="$win" -DLICENSE="$PWD/LICENSE" -DOUT="$DIST/imagecx-$VERSION-setup.exe" packaging/windows/imagecx.nsi
rm -f "$DIST/imagecx-$VERSION-windows-portable.zip"
(cd "$win" && zip -q -X "$DIST/imagecx-$VERSION-windows-portable.zip" imagecx.exe imagecxw.exe imagecx-settings.exe imagecx-history.exe imagecx-editor.exe LICENSE.txt THIRD_PARTY_NOTICES.txt)

# macOS: the .app bundle needs the programs built on a Mac (cgo against
# Cocoa); elsewhere only its Info.plist is checked (by make test).
if [ "$(uname -s)" = Darwin ]; then
  say "building the macOS app"
  app=$stage/macos/imagecx.app/Contents
  mkdir -p "$app/MacOS" "$app/Resources"
  sed -e "s|@VERSION@|$VERSION|g" -e "s|@NUMVERSION@|$numeric|g" packaging/macos/Info.plist > "$app/Info.plist"
  $GO build -trimpath -ldflags "$ldflags" -o "$app/MacOS/imagecx" .
  for w in settings history editor; do
    $GO build -trimpath -ldflags "$ldflags" -o "$app/MacOS/imagecx-$w" "./cmd/imagecx-$w"
  done
  $GO run ./assets/internal/gen -icns "$app/Resources/imagecx.icns"
  cp LICENSE "$stage/share/doc/THIRD_PARTY_NOTICES.txt" "$app/Resources/"
  (cd "$stage/macos" && zip -q -r -y "$DIST/imagecx-$VERSION-macos.zip" imagecx.app)
else
  say "macOS: the .app is built on a Mac (make package there); skipped here"
fi
ls -l "$DIST" | grep -v '^total' >&2
