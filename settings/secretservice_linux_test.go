package settings

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"

	"imagecx/internal/dbustest"
	"imagecx/internal/poll"
)

// keyringEnv is a user with a private bus and, if started, gnome-keyring.
func keyringEnv(t *testing.T) (*dbustest.Bus, map[string]string) {
	home := t.TempDir()
	env := map[string]string{"HOME": home, "XDG_DATA_HOME": filepath.Join(home, "data"), "XDG_RUNTIME_DIR": filepath.Join(home, "run"), "PATH": os.Getenv("PATH")}
	os.MkdirAll(env["XDG_RUNTIME_DIR"], 0o700)
	bus := dbustest.Start(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus.Addr)
	return bus, env
}

// The key goes into a real gnome-keyring and back, and the items are the
// ones go-keyring wrote before, so keys stored by older versions of
// imagecx are found.
func TestSecretServiceWithGnomeKeyring(t *testing.T) {
	bus, env := keyringEnv(t)
	bus.StartKeyring(t, env)
	ring := SystemKeyring{Timeout: 10 * time.Second}
	ctx := context.Background()
	if _, err := ring.Get(ctx, "imagecx-test", "api-key"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("empty keyring: %v", err)
	}
	if err := ring.Set(ctx, "imagecx-test", "api-key", "chv_ours"); err != nil {
		t.Fatal(err)
	}
	if v, err := ring.Get(ctx, "imagecx-test", "api-key"); err != nil || v != "chv_ours" {
		t.Fatalf("get: %q %v", v, err)
	}
	// go-keyring reads what we wrote and we read what it wrote.
	if v, err := keyring.Get("imagecx-test", "api-key"); err != nil || v != "chv_ours" {
		t.Fatalf("go-keyring reads %q %v", v, err)
	}
	if err := keyring.Set("imagecx-test", "other", "chv_theirs"); err != nil {
		t.Fatal(err)
	}
	if v, err := ring.Get(ctx, "imagecx-test", "other"); err != nil || v != "chv_theirs" {
		t.Fatalf("go-keyring's item: %q %v", v, err)
	}
	if err := ring.Delete(ctx, "imagecx-test", "api-key"); err != nil {
		t.Fatal(err)
	}
	if _, err := ring.Get(ctx, "imagecx-test", "api-key"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if err := ring.Delete(ctx, "imagecx-test", "api-key"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
}

func TestNoSecretService(t *testing.T) {
	keyringEnv(t)
	if _, err := (SystemKeyring{}).Get(context.Background(), "imagecx-test", "api-key"); !errors.Is(err, ErrNoSecretService) {
		t.Fatalf("err = %v", err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "none"))
	if _, err := (SystemKeyring{}).Get(context.Background(), "imagecx-test", "api-key"); !errors.Is(err, ErrNoSessionBus) {
		t.Fatalf("no bus: %v", err)
	}
}

// hungService owns org.freedesktop.secrets and never answers.
type hungService struct{ stop chan struct{} }

func (h hungService) OpenSession(string, dbus.Variant) (dbus.Variant, dbus.ObjectPath, *dbus.Error) {
	<-h.stop
	return dbus.MakeVariant(""), "/", nil
}

func (h hungService) Unlock([]dbus.ObjectPath) ([]dbus.ObjectPath, dbus.ObjectPath, *dbus.Error) {
	<-h.stop
	return nil, "/", nil
}

// A Secret Service that never answers costs the timeout, and nothing is
// left waiting on it afterwards.
func TestHungSecretServiceIsBounded(t *testing.T) {
	bus, _ := keyringEnv(t)
	h := hungService{stop: make(chan struct{})}
	c := bus.Conn(t)
	if err := c.Export(h, "/org/freedesktop/secrets", "org.freedesktop.Secret.Service"); err != nil {
		t.Fatal(err)
	}
	if r, err := c.RequestName("org.freedesktop.secrets", dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own the name: %v %v", r, err)
	}
	before := runtime.NumGoroutine()
	start := time.Now()
	k := Keys{Ring: SystemKeyring{Timeout: 300 * time.Millisecond}, File: filepath.Join(t.TempDir(), "api-key")}
	_, _, err := k.Get(context.Background())
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("Get took %v", took)
	}
	if err != nil {
		t.Fatalf("a hung keyring is no key, not an error: %v", err)
	}
	loc, err := k.Set(context.Background(), "chv_key")
	if err != nil || loc.Source != SourceFile || loc.Reason != "the keyring did not answer in time" {
		t.Fatalf("set with a hung keyring: %+v %v", loc, err)
	}
	// While the fake service still hangs, nothing of ours waits on it: the
	// only goroutines left beyond those before are its own handlers.
	ours := func() int {
		buf := make([]byte, 1<<20)
		dump := string(buf[:runtime.Stack(buf, true)])
		return runtime.NumGoroutine() - strings.Count(dump, "settings.hungService.")
	}
	if !poll.Wait(2*time.Second, func() bool { return ours() <= before }) {
		buf := make([]byte, 1<<20)
		t.Fatalf("goroutines: %d of ours, %d before\n%s", ours(), before, buf[:runtime.Stack(buf, true)])
	}
	close(h.stop)
}
