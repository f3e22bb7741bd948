package dbustest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"imagecx/internal/testkit/poll"
)

// PromptServices are what a desktop session's bus starts for the keyring
// (StartActivating): gnome-keyring itself, and gcr-prompter, which shows
// its prompts (to choose a new keyring's password, to unlock one).
var PromptServices = []string{"org.freedesktop.secrets", "org.gnome.keyring.SystemPrompter"}

// AnswerKeyringPrompt waits for the keyring's prompt window on the X
// server display and types into it as a person would: each of keys is
// text to type, or a key's name after "key:" ("key:Return"). It returns
// once the prompt has closed.
func AnswerKeyringPrompt(t testing.TB, display string, keys ...string) {
	t.Helper()
	xdo := func(args ...string) string {
		cmd := exec.Command("xdotool", args...)
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		out, _ := cmd.Output()
		return strings.TrimSpace(string(out))
	}
	win := poll.Value(t, 30*time.Second, "the keyring's prompt", func() (string, bool) {
		ws := strings.Fields(xdo("search", "--onlyvisible", "--class", "gcr-prompter"))
		if len(ws) == 0 {
			return "", false
		}
		return ws[len(ws)-1], true
	})
	time.Sleep(500 * time.Millisecond) // GTK takes keys once it has drawn
	xdo("windowfocus", "--sync", win)
	for _, k := range keys {
		if name, ok := strings.CutPrefix(k, "key:"); ok {
			xdo("key", "--window", win, name)
		} else {
			xdo("type", "--window", win, "--delay", "30", k)
		}
		time.Sleep(200 * time.Millisecond)
	}
	poll.Until(t, 30*time.Second, "the keyring's prompt to close", func() bool {
		return xdo("search", "--onlyvisible", "--class", "gcr-prompter") == ""
	})
}
