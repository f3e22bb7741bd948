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
	var all outbox.Outcome
	code := uploading(ctx, files, env, &all)
	copyLinks(ctx, env, &all)
	if len(all.Jobs) > 0 && ctx.Err() == nil {
		tell(ctx, env, all.Note())
	}
	return code
}
