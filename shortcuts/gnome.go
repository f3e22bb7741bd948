package shortcuts

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"imagecx/action"
	"imagecx/i18n"
)

// GNOME keeps custom shortcuts as a list of settings paths, each with a
// name, a command and a binding; gnome-settings-daemon runs the command
// when the key is pressed (on Wayland too).
const (
	mediaKeys = "org.gnome.settings-daemon.plugins.media-keys"
	custom    = mediaKeys + ".custom-keybinding"
	pathBase  = "/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/"
)

// ErrNoGSettings is a desktop without GNOME's settings tool.
var ErrNoGSettings error = i18n.Errorf("GNOME's settings tool (gsettings) is not installed, so its keyboard shortcuts cannot be set from here")

func path(id action.ID) string {
	return pathBase + "imagecx-" + strings.ReplaceAll(string(id), "_", "-") + "/"
}

// AddGNOME makes bs GNOME custom keyboard shortcuts, replacing the ones
// imagecx made before; the person's own are left as they are.
func AddGNOME(ctx context.Context, bs []Binding) error {
	paths, err := customPaths(ctx)
	if err != nil {
		return err
	}
	var keep []string
	for _, p := range paths {
		if !strings.HasPrefix(p, pathBase+"imagecx-") {
			keep = append(keep, p)
		}
	}
	for _, b := range bs {
		p := path(b.Action)
		for key, v := range map[string]string{"name": b.Name, "command": b.Command, "binding": b.Accel} {
			if err := gsettings(ctx, "set", custom+":"+p, key, gvString(v)); err != nil {
				return err
			}
		}
		keep = append(keep, p)
	}
	return setPaths(ctx, keep)
}

// RemoveGNOME takes away the shortcuts imagecx made.
func RemoveGNOME(ctx context.Context) error {
	paths, err := customPaths(ctx)
	if err != nil {
		return err
	}
	var keep []string
	for _, p := range paths {
		if strings.HasPrefix(p, pathBase+"imagecx-") {
			for _, key := range []string{"name", "command", "binding"} {
				gsettings(ctx, "reset", custom+":"+p, key)
			}
			continue
		}
		keep = append(keep, p)
	}
	return setPaths(ctx, keep)
}

// customPaths is GNOME's list of custom shortcuts.
func customPaths(ctx context.Context) ([]string, error) {
	out, err := gsettingsOut(ctx, "get", mediaKeys, "custom-keybindings")
	if err != nil {
		return nil, err
	}
	return parseStrings(out), nil
}

func setPaths(ctx context.Context, paths []string) error {
	var q []string
	for _, p := range paths {
		q = append(q, gvString(p))
	}
	return gsettings(ctx, "set", mediaKeys, "custom-keybindings", "["+strings.Join(q, ", ")+"]")
}

// parseStrings reads a GVariant string array as gsettings prints it:
// "['/a/', '/b/']" or "@as []".
func parseStrings(s string) []string {
	var out []string
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "@as"))
	for {
		i := strings.IndexAny(s, `'"`)
		if i < 0 {
			return out
		}
		q := s[i]
		var b strings.Builder
		j := i + 1
		for ; j < len(s) && s[j] != q; j++ {
			if s[j] == '\\' && j+1 < len(s) {
				j++
			}
			b.WriteByte(s[j])
		}
		out = append(out, b.String())
		if j >= len(s) {
			return out
		}
		s = s[j+1:]
	}
}

// gvString is s as a GVariant string.
func gvString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func gsettings(ctx context.Context, args ...string) error {
	_, err := gsettingsOut(ctx, args...)
	return err
}

func gsettingsOut(ctx context.Context, args ...string) (string, error) {
	if _, err := exec.LookPath("gsettings"); err != nil {
		return "", ErrNoGSettings
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "gsettings", args...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("gsettings %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}
