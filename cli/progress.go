package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"imagecx/explain"
)

// progressBar draws "name [#####.....]  45%  1.2 MB / 2.5 MB" on one
// terminal line, at most ten times a second.
type progressBar struct {
	w     io.Writer
	name  string
	last  time.Time
	drawn bool
}

func newProgressBar(w io.Writer, name string) *progressBar {
	if len(name) > 30 {
		name = name[:27] + "..."
	}
	return &progressBar{w: w, name: name}
}

func (p *progressBar) update(sent, total int64) {
	if total <= 0 || (sent < total && time.Since(p.last) < 100*time.Millisecond) {
		return
	}
	p.last = time.Now()
	p.drawn = true
	fmt.Fprint(p.w, "\r"+renderBar(p.name, sent, total, 30))
}

// done clears the line; safe on a nil bar.
func (p *progressBar) done() {
	if p == nil || !p.drawn {
		return
	}
	fmt.Fprint(p.w, "\r\033[K")
}

func renderBar(name string, sent, total int64, width int) string {
	sent = min(max(sent, 0), total)
	fill := int(int64(width) * sent / total)
	return fmt.Sprintf("%s [%s%s] %3d%%  %s / %s", name, strings.Repeat("#", fill), strings.Repeat(".", width-fill),
		100*sent/total, explain.Size(sent), explain.Size(total))
}
