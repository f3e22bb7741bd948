package cli

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

func TestRenderBar(t *testing.T) {
	cases := []struct {
		sent, total int64
		want        string
	}{
		{0, 2 << 20, "a.png [..........]   0%  0 bytes / 2.0 MB"},
		{1 << 20, 2 << 20, "a.png [#####.....]  50%  1.0 MB / 2.0 MB"},
		{3 << 20, 2 << 20, "a.png [##########] 100%  2.0 MB / 2.0 MB"},
	}
	for _, tc := range cases {
		if got := renderBar("a.png", tc.sent, tc.total, 10); got != tc.want {
			t.Errorf("renderBar(%d, %d)\n got %q\nwant %q", tc.sent, tc.total, got, tc.want)
		}
	}
}

func TestProgressBarDrawsAndClears(t *testing.T) {
	var buf bytes.Buffer
	p := newProgressBar(&buf, strings.Repeat("n", 40)+".png")
	p.update(1, 100)
	p.update(2, 100) // throttled
	p.update(100, 100)
	p.done()
	out := buf.String()
	if strings.Count(out, "\r") != 3 || !strings.Contains(out, "100%") || !strings.HasSuffix(out, "\r\033[K") || !strings.Contains(out, "...") {
		t.Errorf("output %q", out)
	}
	var nilBar *progressBar
	nilBar.done() // must not panic
}

// After the last byte the bar says it waits for the server, and how long.
func TestProgressBarWaitsForTheServer(t *testing.T) {
	var buf syncBuffer
	p := newProgressBar(&buf, "big.png")
	p.update(4<<20, 4<<20)
	time.Sleep(1200 * time.Millisecond)
	p.done()
	if out := buf.String(); !strings.Contains(out, "4.0 MB sent, waiting for the server (1 s)") || !strings.HasSuffix(out, "\r\033[K") {
		t.Errorf("output %q", out)
	}
}

// Every command answers -h with its usage on standard output and does
// nothing else (settings opens no window), and help COMMAND says the same;
// Docs finds every command's flags.
func TestEveryCommandAnswersHelp(t *testing.T) {
	for _, d := range Docs() {
		for _, args := range [][]string{{d.Name, "-h"}, {"help", d.Name}} {
			var out, errb bytes.Buffer
			env := Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
			if code := Run(context.Background(), args, env); code != exitOK || !strings.HasPrefix(out.String(), "Usage: imagecx "+d.Name) {
				t.Errorf("%v: exit %d, %q %q", args, code, out.String(), errb.String())
			}
		}
	}
	flags := map[string]bool{}
	for _, d := range Docs() {
		for _, f := range d.Flags {
			flags[d.Name+" "+f.Name] = true
		}
	}
	for _, want := range []string{"upload format", "capture edit", "capture o", "edit no-upload", "history json", "history yes"} {
		if !flags[want] {
			t.Errorf("Docs has no flag %q: %v", want, flags)
		}
	}
	var errb bytes.Buffer
	if code := Run(context.Background(), []string{"status", "now"}, Env{Stdout: io.Discard, Stderr: &errb}); code != exitUsage {
		t.Errorf("status with an argument: exit %d, %q", code, errb.String())
	}
}
