package settings

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"imagecx/i18n"
	"imagecx/internal/regular"
)

// EnvKey overrides every stored key (scripts, tests).
const EnvKey = "IMAGECX_API_KEY"

// The keyring entry.
const (
	keyringService = "imagecx"
	keyringUser    = "api-key"
)

// Source says where the key comes from.
type Source int

const (
	SourceNone    Source = iota
	SourceEnv            // the IMAGECX_API_KEY environment variable
	SourceKeyring        // the OS keyring
	SourceFile           // the 0600 fallback file
)

// Keyring is the part of the OS keyring the app uses.
type Keyring interface {
	Get(ctx context.Context, service, user string) (string, error)
	Set(ctx context.Context, service, user, secret string) error
	Delete(ctx context.Context, service, user string) error
}

// Keyring errors.
var (
	// ErrNotFound is a keyring without the entry.
	ErrNotFound = errors.New(i18n.Mark("no such entry in the keyring"))
	// ErrNoSecretService means no Secret Service runs (or can be started)
	// on the session bus.
	ErrNoSecretService = errors.New(i18n.Mark("no Secret Service (e.g. gnome-keyring or KWallet) is running"))
	// ErrNoSessionBus means there is no D-Bus session to reach a keyring.
	ErrNoSessionBus = errors.New(i18n.Mark("no D-Bus session is available to reach a keyring"))
)

// ErrKeyringEntryMissing is what a Keyring returns for an absent entry.
var ErrKeyringEntryMissing = ErrNotFound

// SystemKeyring is the OS keyring: Secret Service on Linux, Keychain on
// macOS, Credential Manager on Windows. Each call to it ends with its
// context or after Timeout (default 5 s): a Secret Service that is
// activatable but never answers must not hang the app. A prompt the
// keyring shows the person (to unlock it, or to make the first one) waits
// for them up to PromptTimeout.
type SystemKeyring struct{ Timeout time.Duration }

// PromptTimeout bounds the wait for the person to answer a keyring's own
// prompt.
const PromptTimeout = 2 * time.Minute

func (s SystemKeyring) ring() systemRing {
	d := s.Timeout
	if d <= 0 {
		d = 5 * time.Second
	}
	return systemRing{timeout: d}
}

func (s SystemKeyring) Get(ctx context.Context, service, user string) (string, error) {
	return s.ring().get(ctx, service, user)
}

func (s SystemKeyring) Set(ctx context.Context, service, user, secret string) error {
	return s.ring().set(ctx, service, user, secret)
}

func (s SystemKeyring) Delete(ctx context.Context, service, user string) error {
	return s.ring().delete(ctx, service, user)
}

// Keys finds, stores and removes the API key: IMAGECX_API_KEY first, then
// the OS keyring, then a private file for systems with no keyring running.
type Keys struct {
	Ring   Keyring
	File   string              // the fallback file, e.g. Dir/api-key
	Getenv func(string) string // nil means no environment override
}

// NewKeys uses the system keyring and dir/api-key as the fallback.
func NewKeys(dir string, getenv func(string) string) Keys {
	return Keys{Ring: SystemKeyring{}, File: filepath.Join(dir, "api-key"), Getenv: getenv}
}

// Location says where a key is, never what it is.
type Location struct {
	Source Source
	Path   string // the file, for SourceFile
	// Reason is why the keyring was not used, for SourceFile.
	Reason string
	// Warning is what was wrong with the key file's permissions, for
	// SourceFile.
	Warning string
}

func (l Location) String() string {
	switch l.Source {
	case SourceEnv:
		return i18n.T("the {{.name}} environment variable", "name", EnvKey)
	case SourceKeyring:
		return i18n.T("the system keyring ({{.keyring}}, service \"{{.service}}\")", "keyring", keyringName(), "service", keyringService)
	case SourceFile:
		if strings.HasPrefix(l.Warning, "other users can") {
			return "the file " + l.Path + " (" + l.Warning + ")"
		}
		return i18n.T("the file {{.file}} (readable only by you)", "file", l.Path)
	}
	return i18n.T("no store: no key is set")
}

// NormalizeKey trims what a paste adds (spaces, newlines) and refuses what
// cannot be a key.
func NormalizeKey(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", i18n.Errorf("the key is empty")
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f {
			return "", i18n.Errorf("the key contains spaces or control characters; paste it again")
		}
	}
	if len(s) > 1024 {
		return "", i18n.Errorf("the key is too long to be an image.cx key")
	}
	return s, nil
}

// Get returns the key and where it came from; "" and SourceNone when there
// is none. An error means a store exists but could not be read.
func (k Keys) Get(ctx context.Context) (string, Location, error) {
	if k.Getenv != nil {
		if v := strings.TrimSpace(k.Getenv(EnvKey)); v != "" {
			v, err := NormalizeKey(v)
			if err != nil {
				return "", Location{Source: SourceEnv}, fmt.Errorf("%s: %w", EnvKey, err)
			}
			return v, Location{Source: SourceEnv}, nil
		}
	}
	var ringErr error
	if k.Ring != nil {
		v, err := k.Ring.Get(ctx, keyringService, keyringUser)
		if err == nil && v != "" {
			return v, Location{Source: SourceKeyring}, nil
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			ringErr = err
		}
	}
	data, mode, err := readKeyFile(k.File)
	if errors.Is(err, fs.ErrNotExist) {
		return "", Location{Source: SourceNone}, nil
	}
	if err != nil {
		return "", Location{}, fmt.Errorf("read the key file: %w", err)
	}
	loc := Location{Source: SourceFile, Path: k.File}
	if ringErr != nil {
		loc.Reason = keyringReason(ringErr)
	}
	if open := mode & 0o077; open != 0 && runtime.GOOS != "windows" {
		// Written by hand or copied with its mode: only its owner may
		// read a secret.
		if err := os.Chmod(k.File, mode&0o700); err != nil {
			loc.Warning = fmt.Sprintf("other users can read it (mode %04o), and it could not be changed: run chmod 600 %s", mode, k.File)
		} else {
			loc.Warning = fmt.Sprintf("other users could read it (mode %04o); imagecx made it readable only by you", mode)
		}
	}
	if strings.TrimSpace(string(data)) == "" {
		return "", Location{Source: SourceNone}, nil
	}
	key, err := NormalizeKey(string(data))
	if err != nil {
		return "", loc, fmt.Errorf("the key file %s: %w", k.File, err)
	}
	return key, loc, nil
}

// readKeyFile reads the key file (a few kilobytes at most: a key is a
// line) and its permission bits.
func readKeyFile(path string) ([]byte, fs.FileMode, error) {
	f, st, err := regular.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 4<<10))
	return data, st.Mode().Perm(), err
}

// Set stores the key in the keyring or, when none is available, in the
// fallback file; the returned Location says which (and why, for the file).
func (k Keys) Set(ctx context.Context, key string) (Location, error) {
	key, err := NormalizeKey(key)
	if err != nil {
		return Location{}, err
	}
	var reason string
	if k.Ring != nil {
		err := k.Ring.Set(ctx, keyringService, keyringUser, key)
		if err == nil {
			// A stale file would shadow nothing, but it is a copy of a
			// secret that is no longer needed.
			if rerr := os.Remove(k.File); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
				return Location{Source: SourceKeyring}, fmt.Errorf("the key is in the keyring, but the old key file %s could not be removed: %w", k.File, rerr)
			}
			return Location{Source: SourceKeyring}, nil
		}
		reason = keyringReason(err)
	} else {
		reason = i18n.T("no keyring is configured")
	}
	if err := writeFile(k.File, []byte(key+"\n")); err != nil {
		return Location{}, fmt.Errorf("no keyring (%s), and the key file could not be written: %w", reason, err)
	}
	return Location{Source: SourceFile, Path: k.File, Reason: reason}, nil
}

// Clear removes the key from the keyring and the file. The environment
// variable, if set, is not ours to clear.
func (k Keys) Clear(ctx context.Context) error {
	var errs []error
	if k.Ring != nil {
		// With no keyring running there is nothing in it to remove.
		if err := k.Ring.Delete(ctx, keyringService, keyringUser); err != nil && !errors.Is(err, ErrNotFound) && !keyringAbsent(err) {
			errs = append(errs, fmt.Errorf("remove the key from the keyring: %s", keyringReason(err)))
		}
	}
	if err := os.Remove(k.File); err != nil && !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, fmt.Errorf("remove the key file: %w", err))
	}
	return errors.Join(errs...)
}

// keyringReason turns a keyring error into words (never containing a secret:
// keyring errors carry none).
func keyringReason(err error) string {
	switch {
	case errors.Is(err, ErrNoSecretService):
		return i18n.T(ErrNoSecretService.Error())
	case errors.Is(err, ErrNoSessionBus):
		return i18n.T(ErrNoSessionBus.Error())
	case errors.Is(err, context.DeadlineExceeded):
		return i18n.T("the keyring did not answer in time")
	}
	return i18n.T("the keyring failed: {{.why}}", "why", err.Error())
}

// keyringAbsent reports whether err means there is no keyring at all (as
// opposed to one that failed).
func keyringAbsent(err error) bool {
	return errors.Is(err, ErrNoSecretService) || errors.Is(err, ErrNoSessionBus)
}
