# imagecx — `make run` and `make test` install what is missing first.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
# Packages `make test` does not vet for Windows: the fyne windows (they need
# cgo there) and the Linux end-to-end tests.
NOT_WINDOWS_VET := -e /settings/dialog -e /cmd/imagecx-settings -e /internal/cmd/screenshots -e /e2e

.PHONY: build run test bench screenshots deps-run deps-test deps-bench clean

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o imagecx .
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o imagecx-settings ./cmd/imagecx-settings

run: deps-run build
	./imagecx

test: deps-test
	$(GO) vet ./...
	GOOS=windows $(GO) vet $$(GOOS=windows $(GO) list ./... 2>/dev/null | grep -v $(NOT_WINDOWS_VET))
	GOOS=windows $(GO) build -o /dev/null .
	$(GO) test -count=1 -timeout 40m ./...

bench: deps-bench
	$(GO) test -run '^$$' -bench . -benchtime 5x ./capture ./encode ./shot
	$(GO) test -run '^$$' -bench HotkeyToLink -benchtime 1x -timeout 20m ./e2e
	scripts/bench.sh

screenshots: deps-run
	$(GO) run ./internal/cmd/screenshots docs/screenshots

deps-run:
	@scripts/deps.sh run
deps-test:
	@scripts/deps.sh test
deps-bench:
	@scripts/deps.sh bench

clean:
	rm -f imagecx imagecx-settings
