// Package portal makes xdg-desktop-portal requests: the call returns a
// Request object whose Response signal carries the answer, so the client
// subscribes to that signal before it calls (or a fast answer is lost).
package portal

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/godbus/dbus/v5"
)

// The portal service and object.
const (
	Name = "org.freedesktop.portal.Desktop"
	Path = "/org/freedesktop/portal/desktop"
)

// Errors of a request.
var (
	ErrUnavailable = errors.New("the desktop has no such portal")
	ErrCancelled   = errors.New("cancelled")
	ErrFailed      = errors.New("the portal failed")
)

// Token is a fresh handle token.
func Token() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "imagecx_" + hex.EncodeToString(b)
}

// Request calls iface.method with the arguments args builds around a
// fresh handle token (pass it as "handle_token") and waits, until ctx
// ends, for the Response: its results on success, ErrCancelled when the
// user cancelled, ErrFailed otherwise, ErrUnavailable when no portal
// offers the method.
func Request(ctx context.Context, conn *dbus.Conn, iface, method string, args func(token string) []any) (map[string]dbus.Variant, error) {
	token := Token()
	sender := strings.ReplaceAll(strings.TrimPrefix(conn.Names()[0], ":"), ".", "_")
	handle := dbus.ObjectPath(Path + "/request/" + sender + "/" + token)
	match := []dbus.MatchOption{dbus.WithMatchObjectPath(handle), dbus.WithMatchInterface("org.freedesktop.portal.Request"), dbus.WithMatchMember("Response")}
	if err := conn.AddMatchSignalContext(ctx, match...); err != nil {
		return nil, fmt.Errorf("listen for the portal's answer: %w", err)
	}
	defer conn.RemoveMatchSignal(match...)
	signals := make(chan *dbus.Signal, 4)
	conn.Signal(signals)
	defer conn.RemoveSignal(signals)

	call := conn.Object(Name, Path).CallWithContext(ctx, iface+"."+method, 0, args(token)...)
	if call.Err != nil {
		var de dbus.Error
		if errors.As(call.Err, &de) && (strings.Contains(de.Name, "ServiceUnknown") || strings.Contains(de.Name, "UnknownMethod") ||
			strings.Contains(de.Name, "UnknownInterface") || strings.Contains(de.Name, "UnknownObject")) {
			return nil, ErrUnavailable
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("the portal did not answer: %w", ctx.Err())
		}
		return nil, fmt.Errorf("%w: %v", ErrFailed, call.Err)
	}
	var got dbus.ObjectPath
	if err := call.Store(&got); err == nil && got != "" && got != handle {
		handle = got // an old portal that ignores handle_token
	}
	for {
		select {
		case <-ctx.Done():
			// Close the request so a dialog the portal showed goes away.
			conn.Object(Name, handle).Call("org.freedesktop.portal.Request.Close", dbus.FlagNoReplyExpected)
			return nil, fmt.Errorf("the portal did not answer in time: %w", ctx.Err())
		case sig := <-signals:
			if sig == nil || sig.Path != handle || sig.Name != "org.freedesktop.portal.Request.Response" || len(sig.Body) < 2 {
				continue
			}
			code, _ := sig.Body[0].(uint32)
			results, _ := sig.Body[1].(map[string]dbus.Variant)
			switch code {
			case 0:
				return results, nil
			case 1:
				return nil, ErrCancelled
			default:
				return nil, fmt.Errorf("%w (response %d)", ErrFailed, code)
			}
		}
	}
}
