package settings

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"imagecx/i18n"
	"imagecx/internal/regular"
)

// Secrets keeps other secrets than the API key (a custom uploader's token)
// as the key is kept: in the OS keyring, or, when none runs, in a file
// only its owner can read (Dir/secrets/NAME).
type Secrets struct {
	Ring Keyring
	Dir  string
}

// NewSecrets uses the system keyring and dir/secrets as the fallback.
func NewSecrets(dir string) Secrets { return Secrets{Ring: SystemKeyring{}, Dir: dir} }

func (s Secrets) file(name string) string {
	return filepath.Join(s.Dir, "secrets", url.PathEscape(name))
}

// Set stores a secret under name; it says where it went.
func (s Secrets) Set(ctx context.Context, name, value string) (Location, error) {
	var reason string
	if s.Ring != nil {
		err := s.Ring.Set(ctx, keyringService, name, value)
		if err == nil {
			os.Remove(s.file(name))
			return Location{Source: SourceKeyring}, nil
		}
		reason = keyringReason(err)
	} else {
		reason = i18n.T("no keyring is configured")
	}
	if err := writeFile(s.file(name), []byte(value)); err != nil {
		return Location{}, fmt.Errorf("no keyring (%s), and the secret could not be written to a file: %w", reason, err)
	}
	return Location{Source: SourceFile, Path: s.file(name), Reason: reason}, nil
}

// Get is the secret stored under name; ErrNotFound when there is none.
// A secret that went to a private file (the keyring could not take it)
// is read from there whatever the keyring says now.
func (s Secrets) Get(ctx context.Context, name string) (string, error) {
	var ringErr error
	if s.Ring != nil {
		v, err := s.Ring.Get(ctx, keyringService, name)
		if err == nil {
			return v, nil
		}
		if !errors.Is(err, ErrNotFound) && !keyringAbsent(err) {
			ringErr = err
		}
	}
	f, _, err := regular.Open(s.file(name))
	if errors.Is(err, fs.ErrNotExist) {
		if ringErr != nil {
			return "", fmt.Errorf("the keyring: %s", keyringReason(ringErr))
		}
		return "", ErrNotFound
	}
	if err != nil {
		return "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 64<<10))
	return strings.TrimRight(string(data), "\n"), err
}

// Delete removes the secret stored under name, wherever it is.
func (s Secrets) Delete(ctx context.Context, name string) error {
	var errs []error
	if s.Ring != nil {
		if err := s.Ring.Delete(ctx, keyringService, name); err != nil && !errors.Is(err, ErrNotFound) && !keyringAbsent(err) {
			errs = append(errs, fmt.Errorf("remove a secret from the keyring: %s", keyringReason(err)))
		}
	}
	if err := os.Remove(s.file(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
