//go:build freebsd || openbsd || netbsd

package xconn

import (
	"context"
	"errors"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

type shmRing struct{}

func openShm(*xgb.Conn, xproto.Drawable, int, int) (*shmRing, error) {
	return nil, errors.New("MIT-SHM is used on Linux only")
}

func (*shmRing) strips(context.Context, xproto.Drawable, []byte, int, xrect, int, func(int)) error {
	return nil
}
func (*shmRing) close() {}
