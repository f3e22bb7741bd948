//go:build !windows

package instance

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// Path is the socket: $XDG_RUNTIME_DIR/imagecx.sock, or, where there is
// no runtime dir, imagecx.sock in the user's own cache folder
// (~/.cache/imagecx), which no other user can make first, as they could
// a fixed name in the temporary folder; the temporary folder only when
// there is no home either.
func Path(getenv func(string) string) string {
	if d := getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "imagecx.sock")
	}
	cache := getenv("XDG_CACHE_HOME")
	if cache == "" {
		if home := getenv("HOME"); home != "" {
			cache = filepath.Join(home, ".cache")
		}
	}
	// A socket's path is at most 107 bytes.
	if cache != "" && filepath.IsAbs(cache) && len(filepath.Join(cache, "imagecx", "imagecx-settings.sock")) < 100 {
		return filepath.Join(cache, "imagecx", "imagecx.sock")
	}
	return filepath.Join(os.TempDir(), "imagecx-"+strconv.Itoa(os.Getuid()), "imagecx.sock")
}

// privateDir checks that dir is a real folder owned by this user that no
// one else can write to, making it (0700) when create is set and it is
// missing.
func privateDir(dir string, create bool) error {
	st, err := os.Lstat(dir)
	if errors.Is(err, fs.ErrNotExist) && create {
		if err := os.MkdirAll(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		st, err = os.Lstat(dir)
	}
	if err != nil {
		return err
	}
	switch sys, _ := st.Sys().(*syscall.Stat_t); {
	case !st.IsDir():
		return &UnsafeDirError{dir, "it is not a folder"}
	case sys != nil && int(sys.Uid) != os.Getuid():
		return &UnsafeDirError{dir, "another user owns it"}
	case st.Mode().Perm()&0o022 != 0:
		return &UnsafeDirError{dir, fmt.Sprintf("others can write to it, mode %04o", st.Mode().Perm())}
	}
	return nil
}

// listen makes the socket, private to the user, in place of one left by
// an instance that died.
func listen(path string) (net.Listener, error) {
	if err := privateDir(filepath.Dir(path), true); err != nil {
		return nil, err
	}
	os.Remove(path) // stale: nobody answered
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	os.Chmod(path, 0o600)
	return ln, nil
}

// dial connects to the running instance, if the socket is in a private
// folder and the process behind it is this user's.
func dial(ctx context.Context, path string) (net.Conn, error) {
	if err := privateDir(filepath.Dir(path), false); err != nil {
		return nil, err
	}
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return nil, err
	}
	if !samePeer(c) {
		c.Close()
		return nil, fmt.Errorf("the process behind %s is another user's", path)
	}
	return c, nil
}

func unlink(path string) { os.Remove(path) }
