package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"imagecx/shortcuts"
)

// runShortcuts is `imagecx shortcuts [add|remove]`: the capture commands
// bound to keys in the desktop's own keyboard settings, for desktops that
// give imagecx no hotkeys of its own (GNOME on Wayland).
func runShortcuts(ctx context.Context, args []string, env Env) int {
	fs := newFlags(env, "shortcuts", `shortcuts [add|remove]

Lists the keyboard shortcuts that run imagecx's capture commands with the
hotkeys from the settings. On GNOME, add makes them the desktop's own custom
shortcuts (Settings → Keyboard → Custom Shortcuts), replacing those imagecx
made before, and remove takes them away; elsewhere it says where to add them.
The command a shortcut runs hands the capture to the tray app when it runs,
and otherwise copies the link and shows a notification itself.`)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	verb := fs.Arg(0)
	if fs.NArg() > 1 || (verb != "" && verb != "add" && verb != "remove") {
		fs.Usage()
		return exitUsage
	}
	w, err := load(ctx, env)
	if err != nil {
		return fail(env, "", err)
	}
	exe, err := os.Executable()
	if err != nil {
		return fail(env, "find imagecx's own path", err)
	}
	bs, err := shortcuts.For(exe, w.cfg.Hotkeys)
	if err != nil {
		return fail(env, "", err)
	}
	desktop := strings.ToUpper(env.Getenv("XDG_CURRENT_DESKTOP"))
	gnome := strings.Contains(desktop, "GNOME")
	switch {
	case verb == "add" && gnome:
		if err := shortcuts.AddGNOME(ctx, bs); err != nil {
			return fail(env, "", err)
		}
		say(env.Stdout, "Added to GNOME's keyboard shortcuts:")
	case verb == "remove" && gnome:
		if err := shortcuts.RemoveGNOME(ctx); err != nil {
			return fail(env, "", err)
		}
		say(env.Stdout, "imagecx's shortcuts were removed from GNOME's keyboard shortcuts.")
		return exitOK
	case verb != "":
		errorf(env, "only GNOME's shortcuts can be set from here; add these yourself:")
	}
	for _, b := range bs {
		fmt.Fprintf(env.Stdout, "  %-14s %s\n", b.Hotkey, b.Command)
	}
	switch {
	case verb != "" && gnome:
	case strings.Contains(desktop, "KDE"):
		say(env.Stdout, "In KDE: System Settings → Keyboard → Shortcuts → Add New → Command or Script.")
	case gnome:
		say(env.Stdout, "`imagecx shortcuts add` makes them GNOME's custom shortcuts.")
	default:
		say(env.Stdout, "Add them in your desktop's keyboard settings, as custom shortcuts that run a command.")
	}
	if verb != "" && !gnome {
		return exitFail
	}
	return exitOK
}
