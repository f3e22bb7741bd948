//go:build windows

package autostart

import (
	"testing"

	"golang.org/x/sys/windows/registry"
)

func TestRunValue(t *testing.T) {
	e, err := New(nil, `C:\Program Files\imagecx\imagecx.exe`)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Set(true); err != nil {
		t.Fatal(err)
	}
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := k.GetStringValue("imagecx")
	k.Close()
	if err != nil || v != `"C:\Program Files\imagecx\imagecx.exe"` || !e.Enabled() {
		t.Fatalf("value %q %v, enabled %v", v, err, e.Enabled())
	}
	if err := e.Set(false); err != nil || e.Enabled() {
		t.Fatalf("after Set(false): %v %v", err, e.Enabled())
	}
	if err := e.Set(false); err != nil {
		t.Fatalf("removing twice: %v", err)
	}
}
