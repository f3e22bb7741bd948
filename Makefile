# imagecx — `make run` and `make test` install what is missing first.

# The go command: one at least as new as go.mod's toolchain line, got first
# when the machine has none (scripts/go.sh: the distribution's Go fetches
# it into the per-user module cache). Every later command uses it, tests
# and scripts included, and none switches toolchains by itself.
ifndef GO
ifneq ($(MAKECMDGOALS),clean)
GO := $(shell scripts/go.sh)
ifeq ($(GO),)
$(error imagecx needs Go: scripts/go.sh said why above)
endif
endif
endif
ifneq ($(filter /%,$(GO)),)
export PATH := $(patsubst %/,%,$(dir $(GO))):$(PATH)
endif
export GOTOOLCHAIN := local
# The version (from the git tag), the commit and the build's time
# (SOURCE_DATE_EPOCH's when set: a reproducible build), worked out once.
ifndef VERSION
VERSION := $(shell scripts/version.sh)
endif
ifndef COMMIT
COMMIT := $(shell git rev-parse HEAD 2>/dev/null)
endif
ifndef BUILT
BUILT := $(shell date -u -d @$${SOURCE_DATE_EPOCH:-$$(date +%s)} +%Y-%m-%dT%H:%M:%SZ)
endif
# Where `make windows` and `make package` write.
DIST    ?= dist
LDFLAGS := -s -w -X main.version=$(VERSION) -X main.revision=$(COMMIT) -X main.built=$(BUILT)
# Packages `make test` does not vet for Windows: the fyne windows (they need
# cgo there) and the Linux end-to-end tests.
NOT_WINDOWS_VET := -e /settings/dialog -e /cmd/imagecx-settings -e /history/window -e /cmd/imagecx-history -e /editor -e /cmd/imagecx-editor -e /tools/screenshots -e /e2e

.DEFAULT_GOAL := build
.PHONY: imagecx build run test bench windows package screenshots deps-build deps-run deps-test deps-bench deps-windows deps-package clean

# The tray app and command line alone: it needs nothing but Go.
imagecx:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o imagecx .

# It and its windows (fyne: cgo, with the OpenGL and X11 headers).
build: deps-build imagecx
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o imagecx-settings ./cmd/imagecx-settings
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o imagecx-history ./cmd/imagecx-history
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o imagecx-editor ./cmd/imagecx-editor

run: deps-run build
	./imagecx

test: deps-test
	$(GO) vet ./...
	GOOS=windows $(GO) vet $$(GOOS=windows $(GO) list ./... 2>/dev/null | grep -v $(NOT_WINDOWS_VET))
	GOOS=windows $(GO) build -o /dev/null .
	scripts/gotest.sh -count=1 -timeout 40m ./...
	scripts/fuzz.sh

bench: deps-bench
	$(GO) test -run '^$$' -bench . -benchtime 5x ./capture ./encode ./shot ./internal/shrink
	$(GO) test -run '^$$' -bench 'HotkeyToLink|PeakMemory|HistoryWindow|EditorOpen' -benchtime 1x -timeout 20m ./e2e
	scripts/bench.sh
	scripts/bench-record.sh
	$(GO) build -o $(DIST)/bench/imagecx . && $(GO) run ./tools/ocrbench $(DIST)/bench/imagecx

# The Windows programs, cross-built here: imagecx.exe (the command line, a
# console program), imagecxw.exe (the tray app, a Windows-subsystem program:
# no console window at login), imagecx-settings.exe, imagecx-history.exe
# and imagecx-editor.exe (fyne needs cgo: MinGW-w64's gcc; about 5 minutes
# on 2 cores the first time).
windows: deps-windows
	mkdir -p $(DIST)/windows
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(DIST)/windows/imagecx.exe .
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS) -H=windowsgui' -o $(DIST)/windows/imagecxw.exe .
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc-posix $(GO) build -trimpath -ldflags '$(LDFLAGS) -H=windowsgui' -o $(DIST)/windows/imagecx-settings.exe ./cmd/imagecx-settings
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc-posix $(GO) build -trimpath -ldflags '$(LDFLAGS) -H=windowsgui' -o $(DIST)/windows/imagecx-history.exe ./cmd/imagecx-history
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc-posix $(GO) build -trimpath -ldflags '$(LDFLAGS) -H=windowsgui' -o $(DIST)/windows/imagecx-editor.exe ./cmd/imagecx-editor

# The packages, into dist/: .deb and .rpm (nfpm), the Windows installer
# (NSIS) and a portable zip; the macOS .app only on a Mac.
package: deps-package windows
	VERSION='$(VERSION)' COMMIT='$(COMMIT)' BUILT='$(BUILT)' GO='$(GO)' DIST='$(DIST)' scripts/package.sh

screenshots: deps-run
	$(GO) run ./tools/screenshots docs/screenshots

deps-build:
	@scripts/deps.sh build
deps-run:
	@scripts/deps.sh run
deps-test:
	@scripts/deps.sh test
deps-bench:
	@scripts/deps.sh bench
deps-windows:
	@scripts/deps.sh windows
deps-package:
	@scripts/deps.sh package

clean:
	rm -rf imagecx imagecx-settings imagecx-history imagecx-editor dist
