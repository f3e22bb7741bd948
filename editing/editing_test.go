package editing

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"imagecx/internal/rawimage"
)

// The test binary stands in for imagecx-editor when FAKE_EDITOR names an
// exit code: it inverts the image into --out and exits with it.
func TestMain(m *testing.M) {
	if code := os.Getenv("FAKE_EDITOR"); code != "" {
		os.Exit(fakeEditor(code))
	}
	os.Exit(m.Run())
}

func fakeEditor(code string) int {
	args := os.Args[1:]
	if len(args) != 3 || args[0] != "--out" {
		fmt.Fprintln(os.Stderr, "imagecx-editor: bad arguments", args)
		return ExitUsage
	}
	if code == "hang" {
		time.Sleep(time.Minute)
		return 0
	}
	fmt.Fprintln(os.Stderr, ShownLine)
	img, err := rawimage.Read(args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "imagecx-editor:", err)
		return ExitFailed
	}
	for i := range img.Pix {
		if i%4 != 3 {
			img.Pix[i] = 255 - img.Pix[i]
		}
	}
	rawimage.Write(args[1], img)
	if code == "fail" {
		fmt.Fprintln(os.Stderr, "something\nimagecx-editor: no display to open the window on")
		return ExitFailed
	}
	if code == "crash" { // the toolkit's log line last, then killed
		fmt.Fprintln(os.Stderr, "2026/12/07 Fyne error:  Error parsing user locale C\n  At: /root/go/pkg/mod/fyne.io/fyne/v2@v2.7.1/lang/locale.go:35")
		p, _ := os.FindProcess(os.Getpid())
		p.Kill()
		time.Sleep(time.Second)
	}
	if code == "orphan" {
		// A process left behind holds the editor's standard error open.
		child := exec.Command(os.Args[0], "--out", "x", "y")
		child.Env = append(os.Environ(), "FAKE_EDITOR=hang")
		child.Stderr = os.Stderr
		child.Start()
		return ExitUpload
	}
	n, _ := strconv.Atoi(code)
	return n
}

func edit(t *testing.T, code string) (Choice, *image.RGBA, error) {
	t.Helper()
	t.Setenv("FAKE_EDITOR", code)
	exe, _ := os.Executable()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.SetRGBA(1, 1, color.RGBA{10, 20, 30, 255})
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	shown := false
	c, out, err := Editor{Program: exe, Dir: dir, Shown: func(time.Duration) { shown = true }}.Edit(ctx, img)
	if code != "hang" && !shown {
		t.Error("the editor's window was not reported shown")
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left %d files behind", len(left))
	}
	return c, out, err
}

func TestChoices(t *testing.T) {
	c, img, err := edit(t, strconv.Itoa(ExitUpload))
	if err != nil || c != Upload || img.RGBAAt(1, 1) != (color.RGBA{245, 235, 225, 255}) {
		t.Errorf("upload: %v %v %v", c, err, img)
	}
	c, img, err = edit(t, strconv.Itoa(ExitCopy))
	if err != nil || c != Copy || img == nil {
		t.Errorf("copy: %v %v", c, err)
	}
	c, img, err = edit(t, strconv.Itoa(ExitCancelled))
	if err != nil || c != Cancelled || img != nil {
		t.Errorf("cancelled: %v %v", c, err)
	}
	_, _, err = edit(t, "fail")
	if err == nil || err.Error() != "The editor failed: no display to open the window on" {
		t.Errorf("failed: %v", err)
	}
	_, _, err = edit(t, "hang")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ctx ended: %v", err)
	}
}

func TestNoEditor(t *testing.T) {
	_, _, err := Editor{Program: "/nonexistent/imagecx-editor"}.Edit(context.Background(), image.NewRGBA(image.Rect(0, 0, 1, 1)))
	if err == nil || !strings.Contains(err.Error(), "The editor could not be started") {
		t.Errorf("%v", err)
	}
}

// An editor that ends but leaves a process holding its output open (as
// Wine does for a windowed program started from a console one): the
// result is read all the same, not after that process ends.
func TestEditorThatLeavesAProcessBehind(t *testing.T) {
	t.Setenv("FAKE_EDITOR", "orphan")
	exe, _ := os.Executable()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // the child lives a minute
	defer cancel()
	c, out, err := Editor{Program: exe, Dir: t.TempDir()}.Edit(ctx, image.NewRGBA(image.Rect(0, 0, 2, 2)))
	if err != nil || c != Upload || out == nil {
		t.Fatalf("%v %v %v", c, out, err)
	}
}

// An editor that dies after its window was up is said to have: the
// caller must not write the original (the person may have hidden parts
// of it there); its message is its own words, never the toolkit's log.
func TestAnEditorThatDies(t *testing.T) {
	_, _, err := edit(t, "crash")
	var died *DiedError
	if !errors.As(err, &died) || !died.Shown || died.Why != "" || strings.Contains(err.Error(), "locale.go") {
		t.Fatalf("crashed: %#v %v", died, err)
	}
	_, _, err = edit(t, "fail")
	if !errors.As(err, &died) || died.Why != "no display to open the window on" {
		t.Fatalf("failed: %#v", err)
	}
}

// Editing folders that no process holds (the tray app was killed mid-edit)
// are removed; one in use is not.
func TestRemoveLeftovers(t *testing.T) {
	dir := t.TempDir()
	left := dir + "/imagecx-edit-1"
	os.Mkdir(left, 0o700)
	os.WriteFile(left+"/capture.pam", []byte("unredacted"), 0o600)
	os.WriteFile(left+"/lock", nil, 0o600)
	old := dir + "/imagecx-edit-2" // made before folders had a lock
	os.Mkdir(old, 0o700)
	busy := dir + "/imagecx-edit-3"
	os.Mkdir(busy, 0o700)
	lock, err := hold(busy + "/lock")
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	other := dir + "/someone-else"
	os.Mkdir(other, 0o700)
	if n := RemoveLeftovers(dir); n != 2 {
		t.Errorf("%d removed", n)
	}
	for path, want := range map[string]bool{left: false, old: false, busy: true, other: true} {
		if _, err := os.Stat(path); (err == nil) != want {
			t.Errorf("%s there: %v, want %v", path, err == nil, want)
		}
	}
}
