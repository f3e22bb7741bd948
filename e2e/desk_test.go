package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"imagecx/instance"
	"imagecx/internal/testkit/dbustest"
	"imagecx/internal/testkit/imgdiff"
	"imagecx/internal/testkit/poll"
	"imagecx/internal/testkit/refdesk"
	"imagecx/internal/testkit/xvfb"
	"imagecx/uploader/cxtest"
)

// desktopImage is the reference desktop (internal/testkit/refdesk); read only.
func desktopImage(t testing.TB) *image.RGBA { return refdesk.Image() }

// desk is one user's desktop: a 4K X server showing the reference desktop,
// a session bus with a notification server and a tray host, and image.cx.
type desk struct {
	t     testing.TB
	x     *xvfb.Server
	bus   *dbustest.Bus
	notes *dbustest.Notifications
	tray  *dbustest.Watcher // nil when the desktop has no tray host
	srv   *cxtest.Server
	u     *user
	// editorTitle is the editor window's title ("imagecx editor" in
	// English).
	editorTitle string
}

type deskOpts struct {
	noTray bool
	noKey  bool
	config string      // config.json content, if any
	screen image.Image // what the screen shows; the reference desktop by default
	server cxtest.Config
}

func newDesk(t testing.TB, o deskOpts) *desk {
	t.Helper()
	xvfb.Need(t, "xdotool", "xclip")
	want := desktopImage(t)
	d := &desk{t: t, x: xvfb.Start(t, want.Rect.Dx(), want.Rect.Dy()), bus: dbustest.Start(t), srv: startServer(t, o.server), u: newUser(t)}
	if o.screen != nil {
		d.x.Paint(t, o.screen)
	} else {
		d.x.Paint(t, want)
	}
	d.notes = d.bus.RecordNotifications(t)
	if !o.noTray {
		d.tray = d.bus.WatchTray(t)
	}
	d.u.env["DISPLAY"] = d.x.Display
	d.u.env["DBUS_SESSION_BUS_ADDRESS"] = d.bus.Addr
	d.u.env["IMAGECX_ENDPOINT"] = d.srv.URL
	if !o.noKey {
		d.u.env["IMAGECX_API_KEY"] = d.srv.Key
	}
	if o.config != "" {
		os.MkdirAll(d.u.configDir(), 0o700)
		os.WriteFile(filepath.Join(d.u.configDir(), "config.json"), []byte(o.config), 0o600)
	}
	return d
}

// proc is a running daemon.
type proc struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error
	item string // its tray item's bus name
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs `imagecx` (the tray app) and waits until it is up: it answers
// on the instance socket, and its tray item is registered (when the
// desktop has a tray host).
func (d *desk) start() *proc {
	d.t.Helper()
	items := 0
	if d.tray != nil {
		items = d.tray.Registered()
	}
	p := &proc{cmd: exec.Command(binary), out: &syncBuffer{}, done: make(chan struct{})}
	p.cmd.Env = d.u.environ()
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	p.cmd.WaitDelay = 2 * time.Second // a window it started may hold its output open
	if err := p.cmd.Start(); err != nil {
		d.t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	d.t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Kill()
			<-p.done
		}
		if d.t.Failed() {
			d.t.Logf("imagecx output:\n%s\nlog:\n%s", p.out.String(), d.logText())
		}
	})
	d.ready(p, 15*time.Second)
	if d.tray != nil {
		p.item = d.tray.Item(d.t, items, 15*time.Second)
	}
	return p
}

// ready waits until the tray app p answers instance.Status: its loop runs.
func (d *desk) ready(p *proc, within time.Duration) {
	d.t.Helper()
	sock := instance.Path(func(k string) string { return d.u.env[k] })
	poll.Until(d.t, within, "the tray app to answer on its socket", func() bool {
		if !p.running() {
			d.t.Fatalf("imagecx exited: %v\n%s", p.err, p.out.String())
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		text, err := instance.Send(ctx, sock, instance.Status)
		return err == nil && text == "ready"
	})
}

func (d *desk) logText() string {
	data, _ := os.ReadFile(filepath.Join(d.u.env["XDG_STATE_HOME"], "imagecx", "imagecx.log"))
	return string(data)
}

// waitLog waits until the log says text at least n times.
func (d *desk) waitLog(text string, n int, within time.Duration) {
	d.t.Helper()
	poll.Until(d.t, within, fmt.Sprintf("the log to say %q %d times", text, n), func() bool { return strings.Count(d.logText(), text) >= n })
}

// exit waits for the daemon to end and returns how long that took.
func (p *proc) exit(t *testing.T, within time.Duration) (int, time.Duration) {
	t.Helper()
	start := time.Now()
	select {
	case <-p.done:
	case <-time.After(within):
		t.Fatalf("imagecx did not exit within %v", within)
	}
	if p.cmd.ProcessState == nil {
		return -1, time.Since(start)
	}
	return p.cmd.ProcessState.ExitCode(), time.Since(start)
}

func (p *proc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

func (d *desk) tool(name string, args ...string) string {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = d.u.environ()
	cmd.WaitDelay = time.Second // a forked child must not hold us
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		d.t.Fatalf("%s %v: %v %s", name, args, err, errb.String())
	}
	return out.String()
}

func (d *desk) key(combo string) { d.tool("xdotool", "key", combo) }

// copyToClipboard puts data on the clipboard with xclip as target and waits
// until xclip's background child serves it (it takes the selection after
// the parent exits; its output must not be a pipe of ours).
func (d *desk) copyToClipboard(target string, data []byte) {
	d.t.Helper()
	cmd := exec.Command("xclip", "-selection", "clipboard", "-t", target, "-i")
	cmd.Env = d.u.environ()
	cmd.Stdin = bytes.NewReader(data)
	if err := cmd.Run(); err != nil {
		d.t.Fatalf("xclip -i: %v", err)
	}
	poll.Until(d.t, 10*time.Second, "xclip to serve the clipboard as "+target, func() bool {
		probe := exec.Command("xclip", "-o", "-selection", "clipboard", "-t", target)
		probe.Env = d.u.environ()
		probe.WaitDelay = time.Second
		out, err := probe.Output()
		return err == nil && bytes.Equal(out, data)
	})
}

// clipboard reads the CLIPBOARD selection as target with xclip.
func (d *desk) clipboard(target string) []byte {
	d.t.Helper()
	return []byte(d.tool("xclip", "-o", "-selection", "clipboard", "-t", target))
}

// waitStored waits until the server has stored n images.
func (d *desk) waitStored(n int, within time.Duration) []cxtest.Upload {
	d.t.Helper()
	return poll.Value(d.t, within, fmt.Sprintf("the server to store %d images", n), func() ([]cxtest.Upload, bool) {
		s := d.srv.Stored()
		return s, len(s) >= n
	})
}

// equalsDesktop decodes a PNG and compares it with the painted desktop.
func equalsDesktop(t *testing.T, data []byte) {
	t.Helper()
	equalsCrop(t, data, desktopImage(t).Rect)
}

// equalsCrop decodes an image and compares it with r of the painted
// desktop.
func equalsCrop(t *testing.T, data []byte, r image.Rectangle) {
	t.Helper()
	img, err := imgdiff.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if ok, why := imgdiff.Equal(img, desktopImage(t).SubImage(r)); !ok {
		t.Fatalf("the upload is not the %v of the screen: %s", r, why)
	}
}

func titled(title string) func(dbustest.Note) bool {
	return func(n dbustest.Note) bool { return strings.HasPrefix(n.Title, title) }
}

func savedCaptures(t *testing.T, u *user) []string {
	files, _ := filepath.Glob(filepath.Join(u.home, "Pictures", "imagecx", "imagecx-*.png"))
	return files
}

// waitWindow waits for a mapped window whose name contains name and
// returns its id.
func (d *desk) waitWindow(name string, within time.Duration) string {
	d.t.Helper()
	return poll.Value(d.t, within, "a window named "+name, func() (string, bool) {
		ids := d.windows(name)
		if len(ids) == 0 {
			return "", false
		}
		return ids[0], true
	})
}

// windows lists the mapped windows whose name contains name.
func (d *desk) windows(name string) []string {
	cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", name)
	cmd.Env = d.u.environ()
	out, _ := cmd.Output()
	return strings.Fields(string(out))
}

// waitNoWindow waits until no window's name contains name.
func (d *desk) waitNoWindow(name string, within time.Duration) {
	d.t.Helper()
	poll.Until(d.t, within, "the window "+name+" to close", func() bool { return len(d.windows(name)) == 0 })
}

// shellGeometry reads `xdotool getwindowgeometry --shell`'s output: the
// window's rectangle on the screen.
func shellGeometry(out string) image.Rectangle {
	v := map[string]int{}
	for _, l := range strings.Fields(out) {
		if k, val, ok := strings.Cut(l, "="); ok {
			v[k], _ = strconv.Atoi(val)
		}
	}
	return image.Rect(v["X"], v["Y"], v["X"]+v["WIDTH"], v["Y"]+v["HEIGHT"])
}
