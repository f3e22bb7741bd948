# imagecx — `make run` and `make test` install what is missing first.
GO      ?= go
VERSION ?= $(shell scripts/version.sh)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null)
# The build's time: SOURCE_DATE_EPOCH's when set (a reproducible build).
BUILT   ?= $(shell date -u -d @$${SOURCE_DATE_EPOCH:-$$(date +%s)} +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS := -s -w -X main.version=$(VERSION) -X main.revision=$(COMMIT) -X main.built=$(BUILT)
# Packages `make test` does not vet for Windows: the fyne windows (they need
# cgo there) and the Linux end-to-end tests.
NOT_WINDOWS_VET := -e /settings/dialog -e /cmd/imagecx-settings -e /history/window -e /cmd/imagecx-history -e /editor -e /cmd/imagecx-editor -e /internal/cmd/screenshots -e /e2e

.PHONY: build run test bench windows screenshots deps-run deps-test deps-bench deps-windows clean

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o imagecx .
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
	$(GO) test -run '^$$' -bench . -benchtime 5x ./capture ./encode ./shot
	$(GO) test -run '^$$' -bench 'HotkeyToLink|PeakMemory|HistoryWindow|EditorOpen' -benchtime 1x -timeout 20m ./e2e
	scripts/bench.sh

# The Windows programs, cross-built here: imagecx.exe (the command line, a
# console program), imagecxw.exe (the tray app, a Windows-subsystem program:
# no console window at login), imagecx-settings.exe, imagecx-history.exe
# and imagecx-editor.exe (fyne needs cgo: MinGW-w64's gcc; about 5 minutes
# on 2 cores the first time).
windows: deps-windows
	mkdir -p dist/windows
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o dist/windows/imagecx.exe .
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS) -H=windowsgui' -o dist/windows/imagecxw.exe .
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc-posix $(GO) build -trimpath -ldflags '$(LDFLAGS) -H=windowsgui' -o dist/windows/imagecx-settings.exe ./cmd/imagecx-settings
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc-posix $(GO) build -trimpath -ldflags '$(LDFLAGS) -H=windowsgui' -o dist/windows/imagecx-history.exe ./cmd/imagecx-history
	GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc-posix $(GO) build -trimpath -ldflags '$(LDFLAGS) -H=windowsgui' -o dist/windows/imagecx-editor.exe ./cmd/imagecx-editor

screenshots: deps-run
	$(GO) run ./internal/cmd/screenshots docs/screenshots

deps-run:
	@scripts/deps.sh run
deps-test:
	@scripts/deps.sh test
deps-bench:
	@scripts/deps.sh bench
deps-windows:
	@scripts/deps.sh windows

clean:
	rm -rf imagecx imagecx-settings imagecx-history imagecx-editor dist
