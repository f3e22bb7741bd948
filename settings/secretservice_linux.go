package settings

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/godbus/dbus/v5"

	"imagecx/internal/sessionbus"
)

// The Secret Service (org.freedesktop.secrets: gnome-keyring, KWallet,
// KeePassXC) spoken directly, so that every call takes a context: each
// operation opens a private session-bus connection that closes when the
// context ends, which also ends any call waiting on it. (go-keyring's
// calls cannot be cancelled: a Secret Service that is activatable but
// never answers left a goroutine waiting for ever.) Items are stored as
// go-keyring stores them — attributes "service" and "username", in the
// "login" collection or the default one — so keys stored by earlier
// versions are found.

const (
	ssName       = "org.freedesktop.secrets"
	ssPath       = "/org/freedesktop/secrets"
	ssService    = "org.freedesktop.Secret.Service"
	ssCollection = "org.freedesktop.Secret.Collection"
	ssItem       = "org.freedesktop.Secret.Item"
	ssPrompt     = "org.freedesktop.Secret.Prompt"
	ssLogin      = dbus.ObjectPath("/org/freedesktop/secrets/collection/login")
	ssDefault    = dbus.ObjectPath("/org/freedesktop/secrets/aliases/default")
	ssNoPrompt   = dbus.ObjectPath("/")
)

// ssSecret is the Secret Service's Secret struct.
type ssSecret struct {
	Session     dbus.ObjectPath
	Parameters  []byte
	Value       []byte
	ContentType string
}

type systemRing struct{}

func (systemRing) get(ctx context.Context, service, user string) (string, error) {
	var v string
	err := ssDo(ctx, func(s *ssConn) error {
		item, err := s.find(service, user)
		if err != nil {
			return err
		}
		if err := s.unlock(item); err != nil {
			return err
		}
		session, err := s.session()
		if err != nil {
			return err
		}
		var secret ssSecret
		if err := s.conn.Object(ssName, item).CallWithContext(s.ctx, ssItem+".GetSecret", 0, session).Store(&secret); err != nil {
			return fmt.Errorf("read the secret: %w", err)
		}
		v = string(secret.Value)
		return nil
	})
	return v, err
}

func (systemRing) set(ctx context.Context, service, user, secret string) error {
	return ssDo(ctx, func(s *ssConn) error {
		collection := s.collection()
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
		if err := s.conn.Object(ssName, collection).CallWithContext(s.ctx, ssCollection+".CreateItem", 0, props, value, true).Store(&item, &prompt); err != nil {
			return fmt.Errorf("store the secret: %w", err)
		}
		_, err = s.prompt(prompt)
		return err
	})
}

func (systemRing) delete(ctx context.Context, service, user string) error {
	return ssDo(ctx, func(s *ssConn) error {
		item, err := s.find(service, user)
		if err != nil {
			return err
		}
		var prompt dbus.ObjectPath
		if err := s.conn.Object(ssName, item).CallWithContext(s.ctx, ssItem+".Delete", 0).Store(&prompt); err != nil {
			return fmt.Errorf("delete the secret: %w", err)
		}
		_, err = s.prompt(prompt)
		return err
	})
}

// ssConn is one operation's private connection.
type ssConn struct {
	ctx  context.Context
	conn *dbus.Conn
	svc  dbus.BusObject
}

// ssDo runs fn on a private connection that ends with ctx.
func ssDo(ctx context.Context, fn func(*ssConn) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // closes the connection
	conn, err := sessionbus.Connect(ctx, os.Getenv)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w (%v)", ErrNoSessionBus, err)
	}
	defer conn.Close()
	var has bool
	if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, ssName).Store(&has); err == nil && !has {
		var activatable []string
		conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.ListActivatableNames", 0).Store(&activatable)
		found := false
		for _, n := range activatable {
			found = found || n == ssName
		}
		if !found {
			return ErrNoSecretService
		}
	}
	err = fn(&ssConn{ctx: ctx, conn: conn, svc: conn.Object(ssName, ssPath)})
	if ctx.Err() != nil && err != nil {
		return fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	var de dbus.Error
	if errors.As(err, &de) && de.Name == "org.freedesktop.DBus.Error.ServiceUnknown" {
		return ErrNoSecretService
	}
	return err
}

// collection is where items live: "login" when the Secret Service has it,
// else the default collection.
func (s *ssConn) collection() dbus.ObjectPath {
	v, err := s.svc.GetProperty(ssService + ".Collections")
	if err == nil {
		if paths, ok := v.Value().([]dbus.ObjectPath); ok {
			for _, p := range paths {
				if p == ssLogin {
					return ssLogin
				}
			}
		}
	}
	return ssDefault
}

// find is the item for service and user, or ErrNotFound.
func (s *ssConn) find(service, user string) (dbus.ObjectPath, error) {
	collection := s.collection()
	if err := s.unlock(collection); err != nil {
		return "", err
	}
	var items []dbus.ObjectPath
	if err := s.conn.Object(ssName, collection).CallWithContext(s.ctx, ssCollection+".SearchItems", 0,
		map[string]string{"service": service, "username": user}).Store(&items); err != nil {
		return "", fmt.Errorf("search the keyring: %w", err)
	}
	if len(items) == 0 {
		return "", ErrNotFound
	}
	return items[0], nil
}

// session opens a plain-text session (the secret travels over the private
// bus connection only).
func (s *ssConn) session() (dbus.ObjectPath, error) {
	var out dbus.Variant
	var session dbus.ObjectPath
	if err := s.svc.CallWithContext(s.ctx, ssService+".OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&out, &session); err != nil {
		return "", fmt.Errorf("open a keyring session: %w", err)
	}
	return session, nil
}

// unlock unlocks path, asking the person (the keyring's own prompt) when
// it is locked.
func (s *ssConn) unlock(path dbus.ObjectPath) error {
	var unlocked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	if err := s.svc.CallWithContext(s.ctx, ssService+".Unlock", 0, []dbus.ObjectPath{path}).Store(&unlocked, &prompt); err != nil {
		return fmt.Errorf("unlock the keyring: %w", err)
	}
	dismissed, err := s.prompt(prompt)
	if err != nil {
		return err
	}
	if dismissed {
		return errors.New("the keyring stayed locked: its unlock prompt was dismissed")
	}
	return nil
}

// prompt shows the Secret Service's prompt, if it asked for one, and
// waits for the person's answer; it reports whether they dismissed it.
func (s *ssConn) prompt(path dbus.ObjectPath) (bool, error) {
	if path == ssNoPrompt || path == "" {
		return false, nil
	}
	match := []dbus.MatchOption{dbus.WithMatchObjectPath(path), dbus.WithMatchInterface(ssPrompt)}
	if err := s.conn.AddMatchSignalContext(s.ctx, match...); err != nil {
		return false, err
	}
	signals := make(chan *dbus.Signal, 4)
	s.conn.Signal(signals)
	defer s.conn.RemoveSignal(signals)
	if err := s.conn.Object(ssName, path).CallWithContext(s.ctx, ssPrompt+".Prompt", 0, "").Err; err != nil {
		return false, fmt.Errorf("show the keyring's prompt: %w", err)
	}
	for {
		select {
		case <-s.ctx.Done():
			return false, s.ctx.Err()
		case sig := <-signals:
			if sig.Path == path && sig.Name == ssPrompt+".Completed" && len(sig.Body) > 0 {
				dismissed, _ := sig.Body[0].(bool)
				return dismissed, nil
			}
		}
	}
}
