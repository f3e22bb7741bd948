package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"imagecx/explain"
	"imagecx/i18n"
	"imagecx/instance"
	"imagecx/settings"
	"imagecx/uploader"
)

var keyUsage = i18n.Mark(`key set|test|where|clear

  set     store the API key; it is read from standard input (hidden when typed),
          never from the command line, where the process list would show it:
            imagecx key set              (then paste the key)
            imagecx key set < keyfile
          it is tested with one request first, and a key the site rejects is not
          stored (--no-test stores it untested)
  test    make one request to image.cx that proves the key works (uploads nothing)
  where   say where the key is stored: the keyring, a file, or the environment
  clear   remove the key from the keyring and the key file`)

func runKey(ctx context.Context, args []string, env Env) int {
	fs := newFlags(env, "key", keyUsage)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	sub, rest := fs.Arg(0), fs.Args()[1:]
	noTest := false
	if sub == "set" && len(rest) == 1 && (rest[0] == "--no-test" || rest[0] == "-no-test") {
		noTest, rest = true, nil
	}
	if len(rest) > 0 {
		if sub == "set" {
			// Never echo it: it is probably the key.
			fmt.Fprintln(env.Stderr, "imagecx key set: "+i18n.T("the key is read from standard input, never from the command line (it would show in the process list and shell history)"))
		} else {
			fmt.Fprintf(env.Stderr, "imagecx key %s: %s\n", sub, i18n.T("this command takes no arguments"))
		}
		return exitUsage
	}
	w, err := load(ctx, env)
	if err != nil {
		return fail(env, "", err)
	}
	switch sub {
	case "set":
		code := keySet(w, noTest)
		if code == exitOK {
			reloadTrayApp(ctx, env, "The running imagecx uses it from now on.")
		}
		return code
	case "test":
		return keyTest(ctx, w)
	case "where":
		_, loc, err := w.keys.Get(w.ctx)
		if err != nil {
			return fail(env, "", err)
		}
		if loc.Source == settings.SourceNone {
			say(env.Stdout, "No API key is stored. Create one at {{.url}}, then run `imagecx key set`.", "url", strings.TrimRight(w.endpoint(), "/")+"/settings/api")
			return exitOK
		}
		say(env.Stdout, "The API key is in {{.where}}.", "where", loc)
		if loc.Warning != "" {
			errorf(env, "the key file {{.file}}: {{.warning}}.", "file", loc.Path, "warning", loc.Warning)
		}
		if loc.Reason != "" {
			say(env.Stdout, "The keyring is not used: {{.why}}.", "why", loc.Reason)
		}
		return exitOK
	case "clear":
		if err := w.keys.Clear(w.ctx); err != nil {
			return fail(env, "", err)
		}
		say(env.Stdout, "The stored API key was removed.")
		reloadTrayApp(ctx, env, "The running imagecx no longer uploads with it.")
		if env.Getenv(settings.EnvKey) != "" {
			say(env.Stdout, "{{.name}} is still set in this environment and will be used.", "name", settings.EnvKey)
		}
		return exitOK
	}
	fmt.Fprintln(env.Stderr, "imagecx key: "+i18n.T("unknown command {{.name}}", "name", strconv.Quote(sub)))
	fs.Usage()
	return exitUsage
}

func keySet(w *world, noTest bool) int {
	env := w.env
	var raw []byte
	var err error
	if env.StdinTerminal && env.ReadSecret != nil {
		fmt.Fprint(env.Stderr, i18n.T("Paste your API key from {{.url}} (input is hidden): ", "url", strings.TrimRight(w.endpoint(), "/")+"/settings/api"))
		raw, err = env.ReadSecret()
		fmt.Fprintln(env.Stderr)
	} else {
		raw, err = io.ReadAll(io.LimitReader(env.Stdin, 4096))
	}
	if err != nil {
		return fail(env, "reading the key", err)
	}
	key, err := settings.NormalizeKey(string(raw))
	if err != nil {
		return fail(env, "", err)
	}
	tested := false
	if !noTest {
		client, err := w.cfg.Client(key, env.Getenv)
		if err != nil {
			return fail(env, "", err)
		}
		ctx, cancel := context.WithTimeout(w.ctx, 30*time.Second)
		err = client.Verify(ctx)
		cancel()
		switch {
		case errors.Is(err, uploader.ErrBadKey):
			fail(env, "", err)
			return errorf(env, "Nothing was stored. (`imagecx key set --no-test` stores a key untested.)")
		case err != nil:
			errorf(env, "the key could not be tested ({{.why}}); it is stored all the same.", "why", strings.TrimRight(explain.Lower(explain.Error(err)), ".。"))
		default:
			tested = true
		}
	}
	loc, err := w.keys.Set(w.ctx, key)
	if err != nil {
		return fail(env, "", err)
	}
	say(env.Stdout, "The API key is saved in {{.where}}.", "where", loc)
	if loc.Reason != "" {
		say(env.Stdout, "No keyring could be used ({{.why}}), so it is in a private file instead.", "why", loc.Reason)
	}
	if env.Getenv(settings.EnvKey) != "" {
		say(env.Stdout, "Note: {{.name}} is set in this environment and takes precedence.", "name", settings.EnvKey)
	}
	if tested {
		say(env.Stdout, "The key works: the site accepted it.")
	} else {
		say(env.Stdout, "Run `imagecx key test` to check it.")
	}
	return exitOK
}

func keyTest(ctx context.Context, w *world) int {
	env := w.env
	client, key, err := w.client()
	if err != nil {
		return fail(env, "", err)
	}
	if key == "" {
		return errorf(env, "No API key is set: run `imagecx key set`.")
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := client.Verify(ctx); err != nil {
		if errors.Is(err, uploader.ErrBadKey) {
			return fail(env, "", err)
		}
		return fail(env, "", err)
	}
	say(env.Stdout, "The key works: {{.site}} accepted it.", "site", client.Endpoint())
	say(env.Stdout, "image.cx's API does not report the account or its limits; uploads are limited to 5 MB per file.")
	return exitOK
}

// reloadTrayApp tells a running tray app to read the key again (it works
// from the settings it last read), and says so.
func reloadTrayApp(ctx context.Context, env Env, said string) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := instance.Send(ctx, instance.Path(env.Getenv), instance.Reload); err == nil {
		fmt.Fprintln(env.Stdout, said)
	}
}
