package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"imagecx/i18n"
	"imagecx/integrate"
)

// runIntegrate is `imagecx integrate [--remove]`: the file managers'
// "Upload to image.cx" and "Edit with imagecx", for this person.
func runIntegrate(ctx context.Context, args []string, env Env) int {
	fs := newFlags(env, "integrate", `integrate [--remove]

Adds "Upload to image.cx" (several files upload as one batch) and "Edit with
imagecx" to the right-click menus of GNOME Files (a script), Dolphin (a service
menu), Nemo (an action) and Thunar (a custom action, added to your own), for you
alone; --remove takes exactly these away.`)
	remove := fs.Bool("remove", false, i18n.T("take the actions away again"))
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	if runtime.GOOS != "linux" {
		return errorf(env, "imagecx integrate is for Linux's file managers.")
	}
	dirs, err := integrate.DirsFrom(env.Getenv)
	if err != nil {
		return fail(env, "", err)
	}
	var changed []string
	if *remove {
		changed, err = dirs.Remove()
	} else {
		bin, berr := os.Executable()
		if berr != nil {
			return fail(env, "", berr)
		}
		if resolved, err := filepath.EvalSymlinks(bin); err == nil {
			bin = resolved
		}
		changed, err = dirs.Add(bin)
	}
	for _, f := range changed {
		fmt.Fprintln(env.Stdout, f)
	}
	if err != nil {
		return fail(env, "", err)
	}
	if *remove {
		say(env.Stderr, "The file managers' imagecx actions are removed.")
	} else {
		say(env.Stderr, "Right-click image files in GNOME Files (Scripts), Dolphin, Nemo or Thunar: Upload to image.cx. A file manager that was open may need to be restarted.")
	}
	return exitOK
}
