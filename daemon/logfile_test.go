package daemon

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLogRotates(t *testing.T) {
	dir := t.TempDir()
	log, c, err := openLog(func(k string) string { return map[string]string{"XDG_STATE_HOME": dir}[k] })
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("x", 1000)
	for range 5000 { // ~5 MB
		log.Info(line)
	}
	c.Close()
	base := filepath.Join(dir, "imagecx", "imagecx.log")
	for _, suffix := range []string{"", ".1", ".2", ".3"} {
		st, err := os.Stat(base + suffix)
		if err != nil || st.Size() > logMax {
			t.Errorf("%s: %v %v", suffix, st, err)
		}
		if err == nil && st.Mode().Perm() != 0o600 && suffix == "" {
			t.Errorf("log mode %v", st.Mode().Perm())
		}
	}
	if _, err := os.Stat(base + ".4"); err == nil {
		t.Error("more than 3 old logs kept")
	}
}
