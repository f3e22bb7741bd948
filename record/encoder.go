package record

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"imagecx/i18n"
)

// Encoder is the ffmpeg that encodes recordings and the ffprobe that
// reads them back.
type Encoder struct {
	FFmpeg, FFprobe string
}

// FindEncoder is the ffmpeg the person chose (a path; its ffprobe beside
// it, else on the PATH), or the one on the PATH when chosen is "".
func FindEncoder(chosen string) (Encoder, error) {
	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe"
	}
	var e Encoder
	if chosen != "" {
		st, err := os.Stat(chosen)
		if err != nil || st.IsDir() {
			return Encoder{}, i18n.Errorf("the ffmpeg program chosen in the settings is not there: {{.file}}", "file", chosen)
		}
		e.FFmpeg = chosen
		if p := filepath.Join(filepath.Dir(chosen), "ffprobe"+exe); exists(p) {
			e.FFprobe = p
		}
	} else {
		p, err := exec.LookPath("ffmpeg")
		if err != nil {
			return Encoder{}, noEncoder()
		}
		e.FFmpeg = p
	}
	if e.FFprobe == "" {
		p, err := exec.LookPath("ffprobe")
		if err != nil {
			if chosen != "" {
				return Encoder{}, i18n.Errorf("ffprobe is not beside the ffmpeg chosen in the settings ({{.file}}): both come in ffmpeg's download", "file", chosen)
			}
			return Encoder{}, noEncoder()
		}
		e.FFprobe = p
	}
	return e, nil
}

// orFind is e, or the encoder on the PATH when e is not set.
func (e Encoder) orFind() (Encoder, error) {
	if e.FFmpeg != "" && e.FFprobe != "" {
		return e, nil
	}
	return FindEncoder("")
}

// noEncoder says that no ffmpeg was found, and how to have one here.
func noEncoder() error {
	if runtime.GOOS == "linux" {
		return ErrNoEncoder
	}
	return ErrNoH264
}

func exists(file string) bool {
	st, err := os.Stat(file)
	return err == nil && !st.IsDir()
}

// isNoEncoder is whether err says that no encoder was found.
func isNoEncoder(err error) bool {
	return errors.Is(err, ErrNoEncoder) || errors.Is(err, ErrNoH264)
}
