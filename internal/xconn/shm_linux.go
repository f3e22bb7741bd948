package xconn

import (
	"context"
	"errors"
	"fmt"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/shm"
	"github.com/jezek/xgb/xproto"
	"golang.org/x/sys/unix"

	"imagecx/internal/bgrx"
	"imagecx/internal/hugemem"
)

// shmRing is a few strip-sized slots of System V shared memory attached to
// the X server (MIT-SHM). A strip read this way is written by the server
// straight into memory this process can read: no 1 MB reply crosses the
// socket and nothing is allocated per strip. The slots are reused in turn,
// so a 4K capture needs 4 MB of shared memory, not 33.
type shmRing struct {
	conn  *xgb.Conn
	seg   shm.Seg
	mem   []byte
	slot  int // bytes per slot
	slots int
}

// openShm attaches slots×slot bytes of shared memory to the server, or
// says why it cannot.
func openShm(conn *xgb.Conn, d xproto.Drawable, slot, slots int) (*shmRing, error) {
	if err := shm.Init(conn); err != nil {
		return nil, err
	}
	id, err := unix.SysvShmGet(unix.IPC_PRIVATE, slot*slots, unix.IPC_CREAT|0o600)
	if err != nil {
		return nil, fmt.Errorf("shmget: %w", err)
	}
	// Marked for removal as soon as the server has it, so it is freed
	// when both sides detach, even if this process dies.
	defer unix.SysvShmCtl(id, unix.IPC_RMID, nil)
	mem, err := unix.SysvShmAttach(id, 0, 0)
	if err != nil {
		return nil, fmt.Errorf("shmat: %w", err)
	}
	hugemem.Populate(mem) // one call, not a fault for each of its 1,000 pages on first read
	r := &shmRing{conn: conn, mem: mem, slot: slot, slots: slots}
	if r.seg, err = shm.NewSegId(conn); err != nil {
		unix.SysvShmDetach(mem)
		return nil, err
	}
	if err := shm.AttachChecked(conn, r.seg, uint32(id), false).Check(); err != nil {
		unix.SysvShmDetach(mem)
		return nil, fmt.Errorf("attach: %w", err)
	}
	if err := verifyShared(conn, d, r.seg, r.mem); err != nil {
		r.close()
		return nil, err
	}
	return r, nil
}

// verifyShared checks that the server writes into mem through seg. A
// server in another IPC namespace (a container) can accept the id and
// attach a different segment. One pixel is read over two different
// fillings: only if the server wrote into this memory do they agree.
func verifyShared(conn *xgb.Conn, d xproto.Drawable, seg shm.Seg, mem []byte) error {
	var got [2]uint32
	for i, fill := range []byte{0x00, 0xff} {
		mem[0], mem[1], mem[2] = fill, fill, fill
		if _, err := shm.GetImage(conn, d, 0, 0, 1, 1, 0xffffffff, xproto.ImageFormatZPixmap, seg, 0).Reply(); err != nil {
			return err
		}
		got[i] = uint32(mem[0]) | uint32(mem[1])<<8 | uint32(mem[2])<<16
	}
	if got[0] != got[1] {
		return errors.New("the X server does not see this process's shared memory")
	}
	return nil
}

// strips reads r of d into img (stride bytes a row), rows at a time,
// converting each strip as it arrives while the server fills the other
// slots.
func (s *shmRing) strips(ctx context.Context, d xproto.Drawable, img []byte, stride int, r xrect, rows int, progress func(int)) error {
	n := (r.h + rows - 1) / rows
	cookies := make([]shm.GetImageCookie, n)
	issue := func(i int) {
		y := i * rows
		cookies[i] = shm.GetImage(s.conn, d, int16(r.x), int16(r.y+y), uint16(r.w), uint16(min(rows, r.h-y)),
			0xffffffff, xproto.ImageFormatZPixmap, s.seg, uint32((i%s.slots)*s.slot))
	}
	for i := range min(s.slots, n) {
		issue(i)
	}
	for i := range n {
		y := i * rows
		k := min(rows, r.h-y)
		_, err := cookies[i].Reply()
		if err == nil {
			err = ctx.Err()
		}
		if err != nil {
			for j := i + 1; j < min(i+s.slots, n); j++ {
				cookies[j].Reply() // drain, so the slots are not written later
			}
			return fmt.Errorf("read rows %d–%d: %w", y, y+k, Gone(err))
		}
		off := (i % s.slots) * s.slot
		bgrx.ToRGBA(img[y*stride:(y+k)*stride], s.mem[off:off+r.w*k*4])
		if i+s.slots < n {
			issue(i + s.slots)
		}
		if progress != nil {
			progress(y + k)
		}
	}
	return nil
}

// close detaches both sides; the segment, already marked for removal, is
// freed when the server has processed its detach.
func (s *shmRing) close() {
	shm.Detach(s.conn, s.seg)
	unix.SysvShmDetach(s.mem)
}
