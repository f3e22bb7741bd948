// Package hostprog lets a Windows program under Wine run a program of
// the machine Wine runs on, for the tests: Wine starts a Linux program
// that a Windows program names in CreateProcess, but hands back no
// process to wait on or talk to ("WaitForSingleObject: Invalid handle"),
// so the real ffmpeg cannot stand where the person's ffmpeg.exe would.
// The stand-in (./stand), built for Windows under the program's name,
// sends its arguments and standard input over loopback to Serve, which
// runs the real program with the Windows paths among the arguments made
// this machine's, and sends back its output and exit code.
package hostprog

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strings"
	"sync"
)

// EnvAddr, followed by _ and the stand-in's name in capitals
// (IMAGECX_TEST_HOSTPROG_FFMPEG), is the environment variable that tells
// the stand-in where Serve listens.
const EnvAddr = "IMAGECX_TEST_HOSTPROG"

// What a frame carries.
const (
	kindArgs  = 'a' // the stand-in's arguments (JSON)
	kindIn    = 'i' // standard input
	kindInEnd = 'e' // standard input ended
	kindOut   = 'o' // standard output
	kindErr   = 'r' // standard error
	kindExit  = 'x' // the exit code (4 bytes)
)

func writeFrame(w io.Writer, kind byte, data []byte) error {
	head := [5]byte{kind}
	binary.BigEndian.PutUint32(head[1:], uint32(len(data)))
	if _, err := w.Write(head[:]); err != nil {
		return err
	}
	_, err := w.Write(data)
	return err
}

func readFrame(r io.Reader) (byte, []byte, error) {
	var head [5]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return 0, nil, err
	}
	data := make([]byte, binary.BigEndian.Uint32(head[1:]))
	_, err := io.ReadFull(r, data)
	return head[0], data, err
}

// frames writes frames of one kind to a connection shared by others.
type frames struct {
	mu   *sync.Mutex
	conn io.Writer
	kind byte
}

func (f frames) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := writeFrame(f.conn, f.kind, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Serve runs program for each stand-in that connects to ln, until ln is
// closed; path makes a Windows path among the arguments this machine's.
func Serve(ln net.Listener, program string, path func(windows string) string) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go serve(conn, program, path)
	}
}

func serve(conn net.Conn, program string, path func(string) string) {
	defer conn.Close()
	kind, data, err := readFrame(conn)
	var args []string
	if err != nil || kind != kindArgs || json.Unmarshal(data, &args) != nil {
		return
	}
	for i, a := range args {
		args[i] = path(a)
	}
	var mu sync.Mutex
	cmd := exec.Command(program, args...)
	cmd.Stdout = frames{&mu, conn, kindOut}
	cmd.Stderr = frames{&mu, conn, kindErr}
	stdin, err := cmd.StdinPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		fmt.Fprintf(frames{&mu, conn, kindErr}, "hostprog: %v\n", err)
		writeFrame(conn, kindExit, binary.BigEndian.AppendUint32(nil, 127))
		return
	}
	go func() {
		defer stdin.Close()
		for {
			kind, data, err := readFrame(conn)
			switch {
			case err != nil: // the stand-in is gone: so is its program
				cmd.Process.Kill()
				return
			case kind == kindInEnd:
				return
			case kind == kindIn:
				stdin.Write(data)
			}
		}
	}()
	code := 0
	if err := cmd.Wait(); err != nil {
		code = 1
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() > 0 {
			code = exit.ExitCode()
		}
	}
	mu.Lock()
	writeFrame(conn, kindExit, binary.BigEndian.AppendUint32(nil, uint32(code)))
	mu.Unlock()
}

// Run is the stand-in: it runs args on the program Serve at addr runs,
// with stdin, and writes its output to stdout and stderr; the program's
// exit code is returned.
func Run(addr string, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	var mu sync.Mutex
	data, _ := json.Marshal(args)
	if err := writeFrame(conn, kindArgs, data); err != nil {
		return 0, err
	}
	go func() {
		io.Copy(frames{&mu, conn, kindIn}, stdin)
		mu.Lock()
		writeFrame(conn, kindInEnd, nil)
		mu.Unlock()
	}()
	for {
		kind, data, err := readFrame(conn)
		if err != nil {
			return 0, fmt.Errorf("the program's end was not said: %w", err)
		}
		switch kind {
		case kindOut:
			stdout.Write(data)
		case kindErr:
			stderr.Write(data)
		case kindExit:
			return int(binary.BigEndian.Uint32(data)), nil
		}
	}
}

// WinePath is path for a Wine prefix at prefix: C:\… is in its
// drive_c, Z:\… is this machine's root, NUL is /dev/null; other
// arguments are left alone.
func WinePath(prefix string) func(string) string {
	return func(a string) string {
		if strings.EqualFold(a, "NUL") {
			return "/dev/null"
		}
		if len(a) < 3 || a[1] != ':' || a[2] != '\\' {
			return a
		}
		rest := strings.ReplaceAll(a[3:], `\`, "/")
		switch a[0] {
		case 'c', 'C':
			return prefix + "/drive_c/" + rest
		case 'z', 'Z':
			return "/" + rest
		}
		return a
	}
}
