//go:build !linux && !windows

package choose

import "context"

// Files: no chooser here yet.
func Files(context.Context, func(string) string, string) ([]string, error) {
	return nil, ErrUnavailable
}
