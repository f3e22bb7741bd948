//go:build !linux

package settings

import (
	"context"
	"errors"
	"time"

	"github.com/zalando/go-keyring"
)

// systemRing is go-keyring here: Keychain and Credential Manager are
// local calls that do not wait on a bus, so they take no context.
type systemRing struct{ timeout time.Duration }

func (systemRing) get(_ context.Context, service, user string) (string, error) {
	v, err := keyring.Get(service, user)
	return v, notFound(err)
}

func (systemRing) set(_ context.Context, service, user, secret string) error {
	return keyring.Set(service, user, secret)
}

func (systemRing) delete(_ context.Context, service, user string) error {
	return notFound(keyring.Delete(service, user))
}

func notFound(err error) error {
	if errors.Is(err, keyring.ErrNotFound) {
		return ErrNotFound
	}
	return err
}
