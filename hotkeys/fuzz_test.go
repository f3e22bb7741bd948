package hotkeys

import "testing"

// FuzzParse: whatever a settings file holds is read or refused without a
// panic, and what is read is written back as something that reads the
// same.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"Ctrl+Shift+1", "alt-print", "Super+F24", "ctrl++", "Ctrl+-", "F25", "Shift+Shift+a", " c t r l + x ", "Ctrl+Prior", "+", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(h.String())
		if err != nil || again != h {
			t.Fatalf("Parse(%q) = %v, whose String %q reads as %v, %v", s, h, h.String(), again, err)
		}
	})
}
