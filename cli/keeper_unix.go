//go:build linux || freebsd || openbsd || netbsd

package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"imagecx/i18n"
)

// startKeeper starts `imagecx keep-clipboard [MIME]` in a session of its
// own (it outlives this command, and a terminal closing does not end it)
// and waits until it owns data (text when mime is "").
func startKeeper(ctx context.Context, mime string, data []byte) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("start the clipboard keeper: %w", err)
	}
	args := []string{"keep-clipboard"}
	if mime != "" {
		args = append(args, mime)
	}
	cmd := exec.Command(self, args...)
	cmd.Stdin = bytes.NewReader(data)
	cmd.Dir = "/" // it holds no folder of ours
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	said, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("start the clipboard keeper: %w", err)
	}
	// Its errors go to a file: a pipe would break when this command
	// ends, and the keeper with it.
	why, err := os.CreateTemp("", "imagecx-keeper-")
	if err != nil {
		return fmt.Errorf("start the clipboard keeper: %w", err)
	}
	defer os.Remove(why.Name())
	defer why.Close()
	cmd.Stderr = why
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the clipboard keeper: %w", err)
	}
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(said).ReadString('\n')
		line <- strings.TrimSpace(l)
	}()
	select {
	case l := <-line:
		if l == "kept" {
			go cmd.Wait() // reaped if it ends before we do
			return nil
		}
		cmd.Wait()
		msg, _ := os.ReadFile(why.Name())
		return errors.New(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(msg)), "imagecx:")))
	case <-time.After(10 * time.Second):
	case <-ctx.Done():
	}
	cmd.Process.Kill()
	return i18n.Errorf("the clipboard keeper did not answer")
}
