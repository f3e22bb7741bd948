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

	"imagecx/internal/testkit/dbustest"
	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/xvfb"
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

func (h hungService) ReadAlias(string) (dbus.ObjectPath, *dbus.Error) {
	<-h.stop
	return "/", nil
}

func (h hungService) SearchItems(map[string]string) ([]dbus.ObjectPath, []dbus.ObjectPath, *dbus.Error) {
	<-h.stop
	return nil, nil, nil
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
		t.Fatalf("set with a hung keyring: %+v (%q) %v", loc, loc.Reason, err)
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

// desktopKeyring is a session as Xfce, i3 or sway start it: a bus that
// starts gnome-keyring on the first call (no login keyring was ever
// made: no display manager unlocked one), and the keyring's prompts
// shown by gcr-prompter on the X server, where the test answers them as
// a person would, by typing.
type desktopKeyring struct {
	t   *testing.T
	x   *xvfb.Server
	bus *dbustest.Bus
	env map[string]string
}

func newDesktopKeyring(t *testing.T) *desktopKeyring {
	xvfb.Need(t, "gnome-keyring-daemon", "/usr/libexec/gcr-prompter", "xdotool")
	x := xvfb.Start(t, 1024, 768)
	home := t.TempDir()
	env := map[string]string{"HOME": home, "XDG_DATA_HOME": filepath.Join(home, ".local/share"), "XDG_CONFIG_HOME": filepath.Join(home, ".config"),
		"XDG_RUNTIME_DIR": filepath.Join(home, "run"), "DISPLAY": x.Display, "PATH": os.Getenv("PATH"), "LANG": "C.UTF-8"}
	os.MkdirAll(env["XDG_RUNTIME_DIR"], 0o700)
	bus := dbustest.StartActivating(t, env, dbustest.PromptServices...)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus.Addr)
	return &desktopKeyring{t: t, x: x, bus: bus, env: env}
}

func (d *desktopKeyring) answer(keys ...string) {
	d.t.Helper()
	dbustest.AnswerKeyringPrompt(d.t, d.x.Display, keys...)
}

// The first secret on a desktop with no login keyring makes the default
// keyring, with the password the person gives in the keyring's own
// prompt, and goes into it; a locked keyring is unlocked with its prompt;
// a prompt dismissed leaves the secret unread and says so.
func TestSecretServiceWithoutALoginKeyring(t *testing.T) {
	d := newDesktopKeyring(t)
	ring := SystemKeyring{Timeout: 10 * time.Second}
	ctx := context.Background()
	if _, err := ring.Get(ctx, "imagecx-test", "api-key"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a keyring with nothing in it: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- ring.Set(ctx, "imagecx-test", "api-key", "chv_first") }()
	d.answer("pass-word-42", "key:Tab", "pass-word-42", "key:Return") // the new keyring's password, twice
	if err := <-done; err != nil {
		t.Fatalf("set: %v", err)
	}
	alias, _ := os.ReadFile(filepath.Join(d.env["XDG_DATA_HOME"], "keyrings", "default"))
	if strings.TrimSpace(string(alias)) == "" {
		t.Error("no default keyring was made")
	}
	if v, err := ring.Get(ctx, "imagecx-test", "api-key"); err != nil || v != "chv_first" {
		t.Fatalf("get: %q %v", v, err)
	}

	// Locked (as after a login, or by the person): reading asks for the
	// password, in the keyring's prompt.
	lock := func() {
		c := d.bus.Conn(t)
		var alias dbus.ObjectPath
		svc := c.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
		if err := svc.Call("org.freedesktop.Secret.Service.ReadAlias", 0, "default").Store(&alias); err != nil {
			t.Fatal(err)
		}
		var locked []dbus.ObjectPath
		var prompt dbus.ObjectPath
		if err := svc.Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{alias}).Store(&locked, &prompt); err != nil || len(locked) != 1 {
			t.Fatalf("lock: %v %v", locked, err)
		}
	}
	lock()
	got := make(chan string, 1)
	go func() {
		v, err := ring.Get(ctx, "imagecx-test", "api-key")
		if err != nil {
			v = "error: " + err.Error()
		}
		got <- v
	}()
	d.answer("pass-word-42", "key:Return")
	if v := <-got; v != "chv_first" {
		t.Errorf("get from a locked keyring: %s", v)
	}

	// Dismissed: not read, and said.
	lock()
	go func() {
		_, err := ring.Get(ctx, "imagecx-test", "api-key")
		done <- err
	}()
	d.answer("key:Escape")
	if err := <-done; err == nil || !strings.Contains(err.Error(), "stayed locked") {
		t.Errorf("a dismissed prompt: %v", err)
	}
}

// With no Secret Service at all, a secret goes to a private file and is
// read back from it; one that went to a file while the keyring failed is
// read from the file whatever the keyring says now.
func TestSecretsFallBackToFilesBothWays(t *testing.T) {
	keyringEnv(t) // a bus with no Secret Service
	s := Secrets{Ring: SystemKeyring{Timeout: time.Second}, Dir: t.TempDir()}
	ctx := context.Background()
	loc, err := s.Set(ctx, "uploader/home/Headers.Authorization", "Bearer tok")
	if err != nil || loc.Source != SourceFile {
		t.Fatalf("set: %+v %v", loc, err)
	}
	if st, err := os.Stat(loc.Path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the secret's file: %v %v", st, err)
	}
	if v, err := s.Get(ctx, "uploader/home/Headers.Authorization"); err != nil || v != "Bearer tok" {
		t.Errorf("get: %q %v", v, err)
	}
	broken := Secrets{Ring: failingRing{}, Dir: s.Dir}
	if v, err := broken.Get(ctx, "uploader/home/Headers.Authorization"); err != nil || v != "Bearer tok" {
		t.Errorf("get with a failing keyring: %q %v", v, err)
	}
	if _, err := broken.Get(ctx, "uploader/home/other"); err == nil || errors.Is(err, ErrNotFound) {
		t.Errorf("a secret in neither, with a failing keyring: %v", err)
	}
}

// failingRing fails as gnome-keyring did with no login collection.
type failingRing struct{}

func (failingRing) Get(context.Context, string, string) (string, error) {
	return "", errors.New("Object does not exist at path “/org/freedesktop/secrets/collection/login”")
}
func (failingRing) Set(context.Context, string, string, string) error { return errors.New("no") }
func (failingRing) Delete(context.Context, string, string) error      { return errors.New("no") }
