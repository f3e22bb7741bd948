package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"imagecx/explain"
)

// progressBar draws "name [#####.....]  45%  1.2 MB / 2.5 MB" on one
// terminal line, at most ten times a second; once every byte is sent, it
// says that it waits for the server, and for how long.
type progressBar struct {
	mu    sync.Mutex // update and the waiting line's ticker both write
	w     io.Writer
	name  string
	last  time.Time
	drawn bool

	stop, stopped chan struct{} // the waiting line's goroutine
}

func newProgressBar(w io.Writer, name string) *progressBar {
	if len(name) > 30 {
		name = name[:27] + "..."
	}
	return &progressBar{w: w, name: name}
}

func (p *progressBar) update(sent, total int64) {
	if sent < total {
		p.stopWaiting() // the upload is sent again (a retry)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if total <= 0 || (sent < total && time.Since(p.last) < 100*time.Millisecond) {
		return
	}
	p.last = time.Now()
	p.drawn = true
	fmt.Fprint(p.w, "\r"+renderBar(p.name, sent, total, 30))
	if sent >= total && p.stop == nil {
		p.stop, p.stopped = make(chan struct{}), make(chan struct{})
		go p.waiting(total, time.Now(), p.stop, p.stopped)
	}
}

// waiting redraws the line every second while the server has every byte
// and has not answered yet.
func (p *progressBar) waiting(total int64, since time.Time, stop <-chan struct{}, stopped chan<- struct{}) {
	defer close(stopped)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.mu.Lock()
			fmt.Fprint(p.w, "\r\033[K"+renderWaiting(p.name, total, time.Since(since), 30))
			p.mu.Unlock()
		}
	}
}

// stopWaiting ends the waiting line, if it runs.
func (p *progressBar) stopWaiting() {
	p.mu.Lock()
	stop, stopped := p.stop, p.stopped
	p.stop, p.stopped = nil, nil
	p.mu.Unlock()
	if stop != nil {
		close(stop)
		<-stopped
	}
}

// done clears the line; safe on a nil bar.
func (p *progressBar) done() {
	if p == nil {
		return
	}
	p.stopWaiting()
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func renderWaiting(name string, total int64, waited time.Duration, width int) string {
	return fmt.Sprintf("%s [%s] 100%%  %s sent, waiting for the server (%s)", name, strings.Repeat("#", width),
		explain.Size(total), explain.Duration(waited.Round(time.Second)))
}

func renderBar(name string, sent, total int64, width int) string {
	sent = min(max(sent, 0), total)
	fill := int(int64(width) * sent / total)
	return fmt.Sprintf("%s [%s%s] %3d%%  %s / %s", name, strings.Repeat("#", fill), strings.Repeat(".", width-fill),
		100*sent/total, explain.Size(sent), explain.Size(total))
}
