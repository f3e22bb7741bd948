package portal

import (
	"context"
	"fmt"
	"net/url"

	"github.com/godbus/dbus/v5"
)

// ChooseFolder opens the desktop's own folder chooser (the FileChooser
// portal) at current, over the window named parent ("x11:1a00003", or ""
// for none), and returns the folder the person chose. ErrCancelled: they
// closed it; ErrUnavailable: the desktop has no such chooser. The folder
// to start at is version 4 of the interface (xdg-desktop-portal 1.18);
// older portals (Debian 12's 1.16) drop it and start where they like.
func ChooseFolder(ctx context.Context, conn *dbus.Conn, parent, title, current string) (string, error) {
	res, err := Request(ctx, conn, "org.freedesktop.portal.FileChooser", "OpenFile", func(token string) []any {
		opts := map[string]dbus.Variant{
			"handle_token": dbus.MakeVariant(token),
			"modal":        dbus.MakeVariant(true),
			"directory":    dbus.MakeVariant(true),
			"accept_label": dbus.MakeVariant("Choose"),
		}
		if current != "" {
			// A byte string ending in a zero, as the portal takes paths.
			opts["current_folder"] = dbus.MakeVariant(append([]byte(current), 0))
		}
		return []any{parent, title, opts}
	})
	if err != nil {
		return "", err
	}
	uris, _ := res["uris"].Value().([]string)
	if len(uris) == 0 {
		return "", fmt.Errorf("%w: no folder in the answer", ErrFailed)
	}
	u, err := url.Parse(uris[0])
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return "", fmt.Errorf("%w: the answer %q is not a local folder", ErrFailed, uris[0])
	}
	return u.Path, nil
}

// Filter is one choice of a file chooser's filter: a name and the MIME
// types it shows (none: every file).
type Filter struct {
	Name  string
	Types []string
}

// ChooseFiles opens the desktop's own file chooser (the FileChooser
// portal) over the window named parent ("" for none) to choose one or
// more files, the first filter chosen; it returns their paths.
// ErrCancelled: the person closed it; ErrUnavailable: the desktop has no
// such chooser.
func ChooseFiles(ctx context.Context, conn *dbus.Conn, parent, title, accept string, filters []Filter) ([]string, error) {
	type rule struct {
		Kind    uint32 // 0 a glob, 1 a MIME type
		Pattern string
	}
	type filter struct {
		Name  string
		Rules []rule
	}
	var list []filter
	for _, f := range filters {
		fl := filter{Name: f.Name}
		for _, t := range f.Types {
			fl.Rules = append(fl.Rules, rule{1, t})
		}
		if len(fl.Rules) == 0 {
			fl.Rules = append(fl.Rules, rule{0, "*"})
		}
		list = append(list, fl)
	}
	res, err := Request(ctx, conn, "org.freedesktop.portal.FileChooser", "OpenFile", func(token string) []any {
		opts := map[string]dbus.Variant{
			"handle_token": dbus.MakeVariant(token),
			"modal":        dbus.MakeVariant(true),
			"multiple":     dbus.MakeVariant(true),
			"accept_label": dbus.MakeVariant(accept),
		}
		if len(list) > 0 {
			opts["filters"] = dbus.MakeVariant(list)
			opts["current_filter"] = dbus.MakeVariant(list[0])
		}
		return []any{parent, title, opts}
	})
	if err != nil {
		return nil, err
	}
	uris, _ := res["uris"].Value().([]string)
	var paths []string
	for _, s := range uris {
		u, err := url.Parse(s)
		if err != nil || u.Scheme != "file" || u.Path == "" {
			return nil, fmt.Errorf("%w: the answer %q is not a local file", ErrFailed, s)
		}
		paths = append(paths, u.Path)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%w: no file in the answer", ErrFailed)
	}
	return paths, nil
}
