//go:build !windows

package instance

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestOneInstanceAndHandOff(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run", "imagecx.sock")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := Send(ctx, path, "capture full"); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("nobody running: %v", err)
	}
	s, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("socket mode: %v %v", st, err)
	}
	if _, err := Listen(path); !errors.Is(err, ErrRunning) {
		t.Fatalf("second instance: %v", err)
	}
	go func() {
		for req := range s.Requests() {
			if req.Cmd == "capture full" {
				req.Answer("queued", nil)
			} else {
				req.Answer("", errors.New("unknown command"))
			}
		}
	}()
	if got, err := Send(ctx, path, "capture full"); err != nil || got != "queued" {
		t.Fatalf("send: %q %v", got, err)
	}
	if _, err := Send(ctx, path, "frobnicate"); err == nil || err.Error() != "unknown command" {
		t.Fatalf("refusal: %v", err)
	}
	s.Close()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("socket left behind")
	}
}

func TestStaleSocketIsReplaced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "imagecx.sock")
	// A socket file nobody listens on (the owner died).
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatal("no stale socket to test with")
	}
	s, err := Listen(path)
	if err != nil {
		t.Fatalf("stale socket not replaced: %v", err)
	}
	s.Close()
}

func TestPath(t *testing.T) {
	if got := Path(func(k string) string { return map[string]string{"XDG_RUNTIME_DIR": "/run/user/7"}[k] }); got != "/run/user/7/imagecx.sock" {
		t.Errorf("with a runtime dir: %q", got)
	}
	// Without one: the user's cache folder, which another user cannot
	// make first (as they can /tmp/imagecx-UID).
	env := map[string]string{"HOME": "/home/ada"}
	if got := Path(func(k string) string { return env[k] }); got != "/home/ada/.cache/imagecx/imagecx.sock" {
		t.Errorf("without one: %q", got)
	}
	env["XDG_CACHE_HOME"] = "/home/ada/.my-cache"
	if got := Path(func(k string) string { return env[k] }); got != "/home/ada/.my-cache/imagecx/imagecx.sock" {
		t.Errorf("with a cache folder: %q", got)
	}
	// No home at all, or one too long for a socket's path: the temporary
	// folder, in a folder of the user's own.
	tmp := filepath.Join(os.TempDir(), "imagecx-"+strconv.Itoa(os.Getuid()), "imagecx.sock")
	if got := Path(func(string) string { return "" }); got != tmp {
		t.Errorf("without a home: %q", got)
	}
	long := map[string]string{"HOME": "/home/" + strings.Repeat("a", 100)}
	if got := Path(func(k string) string { return long[k] }); got != tmp {
		t.Errorf("with a long home: %q", got)
	}
}

// A command line longer than MaxLine is not read into memory: the
// connection is closed, and the server goes on.
func TestLongLinesAreCutOff(t *testing.T) {
	path := filepath.Join(t.TempDir(), "imagecx.sock")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	go func() {
		for r := range srv.Requests() {
			r.Answer("ok", nil)
		}
	}()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	huge := make([]byte, MaxLine+1<<20)
	for i := range huge {
		huge[i] = 'x'
	}
	c.Write(huge) // may fail part way: the server stops reading
	c.Close()
	dctx, dcancel := context.WithTimeout(ctx, 5*time.Second)
	defer dcancel()
	if got, err := Send(dctx, path, Status); err != nil || got != "ok" {
		t.Errorf("after a long line: %q, %v", got, err)
	}
}

// A socket folder that another user could have made or can write to is
// not used: a squatter there would pass for the tray app.
func TestSquattedFolderIsRefused(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "imagecx-squat")
	os.Mkdir(dir, 0o700)
	os.Chmod(dir, 0o777)
	path := filepath.Join(dir, "imagecx.sock")
	var unsafe *UnsafeDirError
	if _, err := Listen(path); !errors.As(err, &unsafe) || !strings.Contains(err.Error(), "others can write") {
		t.Errorf("listen: %v", err)
	}
	if _, err := Send(ctx, path, Status); !errors.As(err, &unsafe) {
		t.Errorf("send: %v", err)
	}
	link := filepath.Join(t.TempDir(), "link")
	os.Symlink(t.TempDir(), link)
	if _, err := Listen(filepath.Join(link, "imagecx.sock")); !errors.As(err, &unsafe) {
		t.Errorf("a symbolic link: %v", err)
	}
	if os.Getuid() == 0 {
		other := filepath.Join(t.TempDir(), "other")
		os.Mkdir(other, 0o700)
		os.Chown(other, 65534, 65534)
		if _, err := Listen(filepath.Join(other, "imagecx.sock")); !errors.As(err, &unsafe) || !strings.Contains(err.Error(), "another user owns it") {
			t.Errorf("another user's folder: %v", err)
		}
	}
}

// A process of another user that reaches the socket is not heard.
func TestOtherUsersAreNotHeard(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run a client as another user")
	}
	dir := t.TempDir()
	// Reachable by nobody, as a careless runtime dir would be.
	os.Chmod(filepath.Dir(dir), 0o755)
	os.Chmod(dir, 0o755)
	path := filepath.Join(dir, "imagecx.sock")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o777)
	s := serve(ln, path)
	defer s.Close()
	heard := make(chan string, 1)
	go func() {
		for req := range s.Requests() {
			heard <- req.Cmd
			req.Answer("done", nil)
		}
	}()
	// The test binary, where nobody can run it.
	bin := filepath.Join(dir, "client.test")
	data, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(bin, data, 0o755)
	client := exec.Command(bin, "-test.run=^TestDialAsAnotherUser$")
	client.Env = append(os.Environ(), "IMAGECX_INSTANCE_DIAL="+path)
	client.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := client.CombinedOutput()
	if err != nil {
		t.Fatalf("the client as nobody: %v %s", err, out)
	}
	select {
	case cmd := <-heard:
		t.Fatalf("another user's %q was heard; client said %s", cmd, out)
	case <-time.After(500 * time.Millisecond):
	}
	if !strings.Contains(string(out), "no answer") {
		t.Errorf("the client got an answer: %s", out)
	}
	// This user is heard on the same socket.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		t.Fatal(err)
	}
	conn.Write([]byte(`{"cmd":"status"}` + "\n"))
	if cmd := <-heard; cmd != "status" {
		t.Errorf("heard %q", cmd)
	}
	conn.Close()
}

// TestDialAsAnotherUser is the client of TestOtherUsersAreNotHeard, run
// as nobody.
func TestDialAsAnotherUser(t *testing.T) {
	path := os.Getenv("IMAGECX_INSTANCE_DIAL")
	if path == "" {
		t.Skip("runs as the client of TestOtherUsersAreNotHeard")
	}
	c, err := net.Dial("unix", path)
	if err != nil {
		fmt.Println("dial:", err)
		return
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	c.Write([]byte(`{"cmd":"capture full"}` + "\n"))
	if line, err := bufio.NewReader(c).ReadString('\n'); err != nil {
		fmt.Println("no answer:", err)
	} else {
		fmt.Println("answer:", line)
	}
}

// Close ends a loop that ranges over Requests.
func TestCloseClosesRequests(t *testing.T) {
	s, err := Listen(filepath.Join(t.TempDir(), "imagecx.sock"))
	if err != nil {
		t.Fatal(err)
	}
	ended := make(chan struct{})
	go func() {
		for range s.Requests() {
		}
		close(ended)
	}()
	s.Close()
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("Requests was not closed")
	}
	s.Close() // twice is fine
}

// One window program at a time: a second Claim asks the first to come
// forward and gets no server.
func TestClaim(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "w.sock")
	first, err := Claim(context.Background(), sock)
	if err != nil || first == nil {
		t.Fatalf("first: %v %v", first, err)
	}
	focused := make(chan struct{}, 1)
	done := first.Focused(func() { focused <- struct{}{} })
	second, err := Claim(context.Background(), sock)
	if err != nil || second != nil {
		t.Fatalf("second: %v %v", second, err)
	}
	select {
	case <-focused:
	case <-time.After(5 * time.Second):
		t.Fatal("the first was not asked to come forward")
	}
	first.Close()
	<-done
}
