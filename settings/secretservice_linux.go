package settings

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/godbus/dbus/v5"

	"imagecx/i18n"
	"imagecx/internal/sessionbus"
)

// The Secret Service (org.freedesktop.secrets: gnome-keyring, KWallet,
// KeePassXC) spoken directly, as libsecret speaks it, so that every call
// takes a context: each operation opens a private session-bus connection
// that closes when the context ends, which also ends any call waiting on
// it. (go-keyring's calls cannot be cancelled: a Secret Service that is
// activatable but never answers left a goroutine waiting for ever.)
//
// Items are stored as go-keyring stores them (attributes "service" and
// "username"), so keys stored by earlier versions are found. New items go
// to the collection the "default" alias names, as libsecret's do; where
// there is none (gnome-keyring started by D-Bus on a desktop that never
// made a login keyring, such as Xfce, i3 or sway) it is created, and the
// keyring asks the person for its password in its own prompt. Items are
// found in every collection, and a locked one is unlocked with the
// keyring's prompt.

const (
	ssName       = "org.freedesktop.secrets"
	ssPath       = "/org/freedesktop/secrets"
	ssService    = "org.freedesktop.Secret.Service"
	ssCollection = "org.freedesktop.Secret.Collection"
	ssItem       = "org.freedesktop.Secret.Item"
	ssPrompt     = "org.freedesktop.Secret.Prompt"
	ssLogin      = dbus.ObjectPath("/org/freedesktop/secrets/collection/login")
	ssNoPrompt   = dbus.ObjectPath("/")
)

// ssSecret is the Secret Service's Secret struct.
type ssSecret struct {
	Session     dbus.ObjectPath
	Parameters  []byte
	Value       []byte
	ContentType string
}

// systemRing is the Secret Service; timeout bounds each call to it (not a
// prompt, which waits for the person).
type systemRing struct{ timeout time.Duration }

func (r systemRing) get(ctx context.Context, service, user string) (string, error) {
	var v string
	err := r.do(ctx, func(s *ssConn) error {
		item, err := s.find(service, user)
		if err != nil {
			return err
		}
		session, err := s.session()
		if err != nil {
			return err
		}
		var secret ssSecret
		if err := s.call(item, ssItem+".GetSecret", session).Store(&secret); err != nil {
			return fmt.Errorf("read the secret: %w", err)
		}
		v = string(secret.Value)
		return nil
	})
	return v, err
}

func (r systemRing) set(ctx context.Context, service, user, secret string) error {
	return r.do(ctx, func(s *ssConn) error {
		collection, err := s.defaultCollection()
		if err != nil {
			return err
		}
		if err := s.unlock(collection); err != nil {
			return err
		}
		session, err := s.session()
		if err != nil {
			return err
		}
		props := map[string]dbus.Variant{
			ssItem + ".Label":      dbus.MakeVariant(fmt.Sprintf("Password for '%s' on '%s'", user, service)),
			ssItem + ".Attributes": dbus.MakeVariant(map[string]string{"service": service, "username": user}),
		}
		value := ssSecret{Session: session, Parameters: []byte{}, Value: []byte(secret), ContentType: "text/plain; charset=utf8"}
		var item, prompt dbus.ObjectPath
		if err := s.call(collection, ssCollection+".CreateItem", props, value, true).Store(&item, &prompt); err != nil {
			return fmt.Errorf("store the secret: %w", err)
		}
		if dismissed, _, err := s.prompt(prompt); err != nil || dismissed {
			return cmp.Or(err, error(i18n.Errorf("the keyring's prompt to store it was dismissed")))
		}
		// An item of an earlier version in another collection (login,
		// before the default alias was used) would shadow this one.
		unlocked, locked, _ := s.search(service, user)
		for _, old := range append(unlocked, locked...) {
			if old != item && item != "" && item != ssNoPrompt {
				var p dbus.ObjectPath
				if s.call(old, ssItem+".Delete").Store(&p) == nil {
					s.prompt(p)
				}
			}
		}
		return nil
	})
}

func (r systemRing) delete(ctx context.Context, service, user string) error {
	return r.do(ctx, func(s *ssConn) error {
		unlocked, locked, err := s.search(service, user)
		if err != nil {
			return err
		}
		items := append(unlocked, locked...)
		if len(items) == 0 {
			return ErrNotFound
		}
		for _, item := range items {
			var prompt dbus.ObjectPath
			if err := s.call(item, ssItem+".Delete").Store(&prompt); err != nil {
				return fmt.Errorf("delete the secret: %w", err)
			}
			if _, _, err := s.prompt(prompt); err != nil {
				return err
			}
		}
		return nil
	})
}

// ssConn is one operation's private connection.
type ssConn struct {
	ctx     context.Context
	timeout time.Duration
	conn    *dbus.Conn
}

// do runs fn on a private connection that ends with ctx.
func (r systemRing) do(ctx context.Context, fn func(*ssConn) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // closes the connection
	// Connecting is a call like the others: a bus that does not answer
	// ends it (and the connection, which lives as long as ctx).
	late := time.AfterFunc(r.timeout, cancel)
	conn, err := sessionbus.Connect(ctx, os.Getenv)
	if !late.Stop() {
		if conn != nil {
			conn.Close()
		}
		return fmt.Errorf("connect to the session bus: %w", context.DeadlineExceeded)
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w (%v)", ErrNoSessionBus, err)
	}
	defer conn.Close()
	s := &ssConn{ctx: ctx, timeout: r.timeout, conn: conn}
	var has bool
	if err := s.callOn(conn.BusObject(), "org.freedesktop.DBus.NameHasOwner", ssName).Store(&has); err == nil && !has {
		var activatable []string
		s.callOn(conn.BusObject(), "org.freedesktop.DBus.ListActivatableNames").Store(&activatable)
		if !slices.Contains(activatable, ssName) {
			return ErrNoSecretService
		}
	}
	err = fn(s)
	if ctx.Err() != nil && err != nil {
		return fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	var de dbus.Error
	if errors.As(err, &de) && de.Name == "org.freedesktop.DBus.Error.ServiceUnknown" {
		return ErrNoSecretService
	}
	return err
}

// call calls a method of the Secret Service's object at path, bounded by
// the call timeout.
func (s *ssConn) call(path dbus.ObjectPath, method string, args ...any) *dbus.Call {
	return s.callOn(s.conn.Object(ssName, path), method, args...)
}

func (s *ssConn) callOn(obj dbus.BusObject, method string, args ...any) *dbus.Call {
	ctx, cancel := context.WithTimeout(s.ctx, s.timeout)
	defer cancel()
	return obj.CallWithContext(ctx, method, 0, args...)
}

// defaultCollection is where new items go: the collection the "default"
// alias names; "login" for a service that has no aliases; where there is
// neither, a new collection made the default, as libsecret makes it (the
// keyring asks the person for a password in its own prompt).
func (s *ssConn) defaultCollection() (dbus.ObjectPath, error) {
	var path dbus.ObjectPath
	err := s.call(ssPath, ssService+".ReadAlias", "default").Store(&path)
	if err == nil && path != ssNoPrompt && path != "" {
		return path, nil
	}
	if err != nil && errors.Is(err, context.DeadlineExceeded) {
		return "", fmt.Errorf("read the keyring's default collection: %w", err)
	}
	var collections []dbus.ObjectPath
	if v, err := s.conn.Object(ssName, ssPath).GetProperty(ssService + ".Collections"); err == nil {
		collections, _ = v.Value().([]dbus.ObjectPath)
	}
	if slices.Contains(collections, ssLogin) {
		return ssLogin, nil
	}
	props := map[string]dbus.Variant{ssCollection + ".Label": dbus.MakeVariant("Default keyring")}
	var created, prompt dbus.ObjectPath
	if err := s.call(ssPath, ssService+".CreateCollection", props, "default").Store(&created, &prompt); err != nil {
		return "", fmt.Errorf("the keyring has no default collection, and making one failed: %w", err)
	}
	if created != ssNoPrompt && created != "" {
		return created, nil
	}
	dismissed, result, err := s.prompt(prompt)
	if err != nil {
		return "", err
	}
	if dismissed {
		return "", i18n.Errorf("the keyring has no default collection, and its prompt to make one was dismissed")
	}
	created, _ = result.Value().(dbus.ObjectPath)
	if created == "" || created == ssNoPrompt {
		return "", i18n.Errorf("the keyring has no default collection, and did not make one")
	}
	return created, nil
}

// search finds the items for service and user in every collection.
func (s *ssConn) search(service, user string) (unlocked, locked []dbus.ObjectPath, err error) {
	if err := s.call(ssPath, ssService+".SearchItems", map[string]string{"service": service, "username": user}).Store(&unlocked, &locked); err != nil {
		return nil, nil, fmt.Errorf("search the keyring: %w", err)
	}
	return unlocked, locked, nil
}

// find is the item for service and user, unlocked (with the keyring's
// prompt if it is locked), or ErrNotFound.
func (s *ssConn) find(service, user string) (dbus.ObjectPath, error) {
	unlocked, locked, err := s.search(service, user)
	if err != nil {
		return "", err
	}
	if len(unlocked) > 0 {
		return unlocked[0], nil
	}
	if len(locked) == 0 {
		return "", ErrNotFound
	}
	if err := s.unlock(locked[0]); err != nil {
		return "", err
	}
	return locked[0], nil
}

// session opens a plain-text session (the secret travels over the private
// bus connection only).
func (s *ssConn) session() (dbus.ObjectPath, error) {
	var out dbus.Variant
	var session dbus.ObjectPath
	if err := s.call(ssPath, ssService+".OpenSession", "plain", dbus.MakeVariant("")).Store(&out, &session); err != nil {
		return "", fmt.Errorf("open a keyring session: %w", err)
	}
	return session, nil
}

// unlock unlocks path, asking the person (the keyring's own prompt) when
// it is locked.
func (s *ssConn) unlock(path dbus.ObjectPath) error {
	var unlocked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	if err := s.call(ssPath, ssService+".Unlock", []dbus.ObjectPath{path}).Store(&unlocked, &prompt); err != nil {
		return fmt.Errorf("unlock the keyring: %w", err)
	}
	dismissed, _, err := s.prompt(prompt)
	if err != nil {
		return err
	}
	if dismissed {
		return i18n.Errorf("the keyring stayed locked: its unlock prompt was dismissed")
	}
	return nil
}

// prompt shows the Secret Service's prompt, if it asked for one, and
// waits for the person's answer (up to PromptTimeout); it reports whether
// they dismissed it, and what it made.
func (s *ssConn) prompt(path dbus.ObjectPath) (bool, dbus.Variant, error) {
	if path == ssNoPrompt || path == "" {
		return false, dbus.Variant{}, nil
	}
	match := []dbus.MatchOption{dbus.WithMatchObjectPath(path), dbus.WithMatchInterface(ssPrompt)}
	if err := s.conn.AddMatchSignalContext(s.ctx, match...); err != nil {
		return false, dbus.Variant{}, err
	}
	signals := make(chan *dbus.Signal, 4)
	s.conn.Signal(signals)
	defer s.conn.RemoveSignal(signals)
	if err := s.call(path, ssPrompt+".Prompt", "").Err; err != nil {
		return false, dbus.Variant{}, fmt.Errorf("show the keyring's prompt: %w", err)
	}
	wait := time.NewTimer(PromptTimeout)
	defer wait.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return false, dbus.Variant{}, s.ctx.Err()
		case <-wait.C:
			s.call(path, ssPrompt+".Dismiss")
			return false, dbus.Variant{}, i18n.Errorf("the keyring's prompt was not answered")
		case sig := <-signals:
			if sig.Path == path && sig.Name == ssPrompt+".Completed" && len(sig.Body) > 0 {
				dismissed, _ := sig.Body[0].(bool)
				var result dbus.Variant
				if len(sig.Body) > 1 {
					result, _ = sig.Body[1].(dbus.Variant)
				}
				return dismissed, result, nil
			}
		}
	}
}
