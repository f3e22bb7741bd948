package cli

import (
	"context"
	"path/filepath"

	"imagecx/fromlink"
	"imagecx/instance"
	"imagecx/outbox"
)

// runOpen is `imagecx open [FILE|LINK…]`, the desktop entry's command
// (Open With in a file manager, a drop on the launcher): with nothing,
// the tray app starts; with files, they upload as one batch through the
// running tray app, which shows the progress and copies the links; with
// none running, here, the links copied and one notification at the end.
func runOpen(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 {
		return Run(ctx, nil, env)
	}
	var files []string
	for _, a := range args {
		if !fromlink.Is(a) {
			if abs, err := filepath.Abs(a); err == nil {
				a = abs
			}
		}
		files = append(files, a)
	}
	if code, handed := handOff(ctx, env, instance.UploadFiles(files)); handed {
		return code
	}
	// No tray app: uploaded here, several files with one notification
	// that says the progress and then, in its place, how it went.
	notes := openNotes(env)
	if notes != nil {
		defer notes.Close()
	}
	var watch func(outbox.Progress)
	place := ""
	if notes != nil && len(files) > 1 {
		place = "open"
		watch = func(p outbox.Progress) {
			n := p.Note()
			n.Replace = place
			show(ctx, env, notes, n)
		}
	}
	var all outbox.Outcome
	code := uploading(ctx, files, env, &all, watch)
	copyLinks(ctx, env, &all)
	// Cut off (the session ends): the progress note is not left behind.
	if len(all.Jobs) > 0 && notes != nil && (ctx.Err() == nil || place != "") {
		n := all.Note()
		n.Replace = place
		show(context.WithoutCancel(ctx), env, notes, n)
	}
	return code
}
