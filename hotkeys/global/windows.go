//go:build windows

package global

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"

	"imagecx/hotkeys"
)

// Windows: RegisterHotKey on one thread of our own whose message loop waits
// in GetMessage (no CPU while idle); registrations are run on that thread,
// woken by a posted message. A combination another program registered
// first is *hotkeys.TakenError, as on X11. (golang.design/x/hotkey v0.5.0
// is not used: it runs a thread per hotkey that polls a hundred times a
// second.)

var (
	user32                 = windows.NewLazySystemDLL("user32.dll")
	kernel32               = windows.NewLazySystemDLL("kernel32.dll")
	procRegisterHotKey     = user32.NewProc("RegisterHotKey")
	procUnregisterHotKey   = user32.NewProc("UnregisterHotKey")
	procGetMessageW        = user32.NewProc("GetMessageW")
	procPeekMessageW       = user32.NewProc("PeekMessageW")
	procPostThreadMessageW = user32.NewProc("PostThreadMessageW")
	procGetCurrentThreadID = kernel32.NewProc("GetCurrentThreadId")
)

const (
	wmHotkey   = 0x0312
	wmQuit     = 0x0012
	wmWork     = 0x8000 + 1 // WM_APP+1: requests are waiting
	modAlt     = 0x1
	modControl = 0x2
	modShift   = 0x4
	modWin     = 0x8
	modNoRep   = 0x4000 // a key held down fires once
	pmNoRemove = 0

	errHotkeyAlreadyRegistered = windows.Errno(1409)
)

type msg struct {
	Hwnd    uintptr
	Message uint32
	WParam  uintptr
	LParam  uintptr
	Time    uint32
	Pt      struct{ X, Y int32 }
}

type winKeys struct {
	tid    uint32
	work   chan func() // run on the loop's thread
	events chan hotkeys.Event
	done   chan struct{}

	mu     sync.Mutex // guards the maps, used on the loop's thread and by Register's checks
	ids    map[string]uintptr
	names  map[uintptr]string
	keys   map[string]hotkeys.Hotkey
	nextID uintptr
	closed bool
}

var _ hotkeys.Registry = (*winKeys)(nil)

// Open starts the hotkey thread; the display name is ignored.
func Open(string) (hotkeys.Registry, error) {
	if err := user32.Load(); err != nil {
		return nil, fmt.Errorf("%w: %v", hotkeys.ErrUnsupported, err)
	}
	k := &winKeys{work: make(chan func(), 8), events: make(chan hotkeys.Event, 8), done: make(chan struct{}),
		ids: map[string]uintptr{}, names: map[uintptr]string{}, keys: map[string]hotkeys.Hotkey{}, nextID: 1}
	ready := make(chan uint32)
	go k.loop(ready)
	k.tid = <-ready
	return k, nil
}

// loop owns the thread that registered the hotkeys: WM_HOTKEY arrives in
// its queue.
func (k *winKeys) loop(ready chan<- uint32) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer close(k.done)
	defer close(k.events)
	var m msg
	procPeekMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0, pmNoRemove) // makes the queue
	tid, _, _ := procGetCurrentThreadID.Call()
	ready <- uint32(tid)
	missed := 0
	for {
		r, _, _ := procGetMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0)
		if int32(r) <= 0 { // WM_QUIT, or an error
			return
		}
		switch m.Message {
		case wmWork:
			for drained := false; !drained; {
				select {
				case f := <-k.work:
					f()
				default:
					drained = true
				}
			}
		case wmHotkey:
			k.mu.Lock()
			name := k.names[m.WParam]
			k.mu.Unlock()
			if name == "" {
				continue
			}
			select {
			case k.events <- hotkeys.Event{Name: name, Missed: missed}:
				missed = 0
			default: // the program is far behind: counted, and said with the next press
				missed++
			}
		}
	}
}

// do runs f on the loop's thread and waits for it.
func (k *winKeys) do(f func()) error {
	done := make(chan struct{})
	select {
	case k.work <- func() { f(); close(done) }:
	case <-k.done:
		return errors.New("hotkeys are closed")
	}
	if r, _, err := procPostThreadMessageW.Call(uintptr(k.tid), wmWork, 0, 0); r == 0 {
		return fmt.Errorf("wake the hotkey thread: %w", err)
	}
	select {
	case <-done:
		return nil
	case <-k.done:
		return errors.New("hotkeys are closed")
	}
}

func (k *winKeys) Register(name string, hk hotkeys.Hotkey) error {
	vk, ok := virtualKey(hk.Key)
	if !ok {
		return fmt.Errorf("%s: the key %q has no Windows key code", hk, hk.Key)
	}
	k.Unregister(name)
	k.mu.Lock()
	if k.closed {
		k.mu.Unlock()
		return errors.New("hotkeys are closed")
	}
	for other, h := range k.keys {
		if h == hk && other != name {
			k.mu.Unlock()
			return fmt.Errorf("%s is already assigned to another action", hk)
		}
	}
	id := k.nextID
	k.nextID++
	k.mu.Unlock()
	var regErr error
	if err := k.do(func() {
		if r, _, err := procRegisterHotKey.Call(0, id, uintptr(modifiers(hk.Mods)|modNoRep), uintptr(vk)); r == 0 {
			regErr = err
		}
	}); err != nil {
		return err
	}
	if errors.Is(regErr, errHotkeyAlreadyRegistered) {
		return &hotkeys.TakenError{Hotkey: hk}
	}
	if regErr != nil {
		return fmt.Errorf("register %s: %w", hk, regErr)
	}
	k.mu.Lock()
	k.ids[name], k.names[id], k.keys[name] = id, name, hk
	k.mu.Unlock()
	return nil
}

func (k *winKeys) Unregister(name string) {
	k.mu.Lock()
	id, ok := k.ids[name]
	delete(k.ids, name)
	delete(k.names, id)
	delete(k.keys, name)
	k.mu.Unlock()
	if ok {
		k.do(func() { procUnregisterHotKey.Call(0, id) })
	}
}

func (k *winKeys) Events() <-chan hotkeys.Event { return k.events }

// Close unregisters every hotkey and ends the thread.
func (k *winKeys) Close() error {
	k.mu.Lock()
	if k.closed {
		k.mu.Unlock()
		return nil
	}
	k.closed = true
	ids := k.ids
	k.ids, k.names, k.keys = map[string]uintptr{}, map[uintptr]string{}, map[string]hotkeys.Hotkey{}
	k.mu.Unlock()
	k.do(func() {
		for _, id := range ids {
			procUnregisterHotKey.Call(0, id)
		}
	})
	procPostThreadMessageW.Call(uintptr(k.tid), wmQuit, 0, 0)
	<-k.done
	return nil
}

func modifiers(m hotkeys.Mod) uint32 {
	var v uint32
	if m&hotkeys.Ctrl != 0 {
		v |= modControl
	}
	if m&hotkeys.Shift != 0 {
		v |= modShift
	}
	if m&hotkeys.Alt != 0 {
		v |= modAlt
	}
	if m&hotkeys.Super != 0 {
		v |= modWin
	}
	return v
}
