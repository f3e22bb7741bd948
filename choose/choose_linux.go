package choose

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"imagecx/filetype"
	"imagecx/i18n"
	"imagecx/internal/portal"
	"imagecx/internal/sessionbus"
)

// Files asks for files to upload, titled title; their paths in the order
// the chooser gives them.
func Files(ctx context.Context, getenv func(string) string, title string) ([]string, error) {
	paths, err := fromPortal(ctx, getenv, title)
	if !errors.Is(err, portal.ErrUnavailable) {
		return paths, err
	}
	for _, tool := range []struct {
		name string
		args []string
	}{
		{"zenity", []string{"--file-selection", "--multiple", "--separator=\n", "--title=" + title,
			"--file-filter=" + i18n.T(filterMedia) + " | " + strings.Join(withUpper(Patterns), " "),
			"--file-filter=" + i18n.T(filterAll) + " | *"}},
		{"kdialog", []string{"--getopenfilename", "--multiple", "--separate-output", "--title", title,
			getenv("HOME"), strings.Join(withUpper(Patterns), " ") + "|" + i18n.T(filterMedia)}},
	} {
		if _, err := exec.LookPath(tool.name); err != nil {
			continue
		}
		return fromTool(ctx, tool.name, tool.args...)
	}
	return nil, ErrUnavailable
}

func fromPortal(ctx context.Context, getenv func(string) string, title string) ([]string, error) {
	conn, err := sessionbus.Connect(ctx, getenv)
	if err != nil {
		return nil, portal.ErrUnavailable
	}
	defer conn.Close()
	paths, err := portal.ChooseFiles(ctx, conn, "", title, i18n.T("Upload"), []portal.Filter{
		{Name: i18n.T(filterMedia), Types: filetype.Accepted}, {Name: i18n.T(filterAll)}})
	if errors.Is(err, portal.ErrCancelled) {
		return nil, ErrCancelled
	}
	return paths, err
}

// fromTool runs a chooser that prints the chosen paths one per line and
// exits with 1 when closed.
func fromTool(ctx context.Context, name string, args ...string) ([]string, error) {
	out, err := exec.CommandContext(ctx, name, args...).Output()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return nil, ErrCancelled
	case err != nil:
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var paths []string
	for _, l := range strings.Split(string(out), "\n") {
		if l = strings.TrimRight(l, "\r"); l != "" {
			paths = append(paths, l)
		}
	}
	if len(paths) == 0 {
		return nil, ErrCancelled
	}
	return paths, nil
}
