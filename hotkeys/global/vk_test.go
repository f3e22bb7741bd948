package global

import (
	"testing"

	"imagecx/hotkeys"
)

func TestVirtualKey(t *testing.T) {
	for combo, want := range map[string]uint16{"Ctrl+Shift+1": '1', "Ctrl+a": 'A', "Print": 0x2C, "F1": 0x70, "Super+F24": 0x87, "Alt+-": 0xBD, "Ctrl+PgDn": 0x22} {
		hk, err := hotkeys.Parse(combo)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := virtualKey(hk.Key); !ok || got != want {
			t.Errorf("%s: %#x %v, want %#x", combo, got, ok, want)
		}
	}
	if _, ok := virtualKey("F25"); ok {
		t.Error("F25 has a key code")
	}
}
