package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"imagecx/filetype"
	"imagecx/fromlink"
	"imagecx/i18n"
	"io"
	"path/filepath"
	"strings"

	"imagecx/explain"
	"imagecx/history"
	"imagecx/outbox"
	"imagecx/shot"
	"imagecx/uploader"
)

// progressMin is the size from which a progress bar is worth drawing.
const progressMin = 512 << 10

type fileJob struct {
	arg   string // as given
	name  string // sent to the server
	data  []byte
	title string // the title when --title gives none (a link's file or host)
	link  bool   // fetched from a link: it is on no disk
}

func runUpload(ctx context.Context, args []string, env Env) int {
	return uploading(ctx, args, env, nil, nil)
}

// uploading is `imagecx upload`; all, when not nil, is told what came of
// every file (for `imagecx open`'s notification).
func uploading(ctx context.Context, args []string, env Env, all *outbox.Outcome, watch func(outbox.Progress)) int {
	if all == nil {
		all = &outbox.Outcome{}
	}
	fs := newFlags(env, "upload", "upload [flags] FILE|LINK...\n\nUploads each file to image.cx (or to the custom uploader --to names, or to\nthe one `imagecx uploader default` chose) and prints one link per line, in\norder. A link (https://…) is fetched first and its image sent, titled with its\nfile's name or its site. Files over the size limit or of a type image.cx\nrefuses are reported before anything is sent.")
	format := fs.String("format", "url", i18n.T("what to print: url, viewer, markdown, html, bbcode or json"))
	title := fs.String("title", "", i18n.T("title (default: the server derives it from the file name)"))
	desc := fs.String("description", "", i18n.T("description"))
	tags := fs.String("tags", "", i18n.T("comma-separated tags"))
	album := fs.String("album", "", i18n.T("album id (as in the album's URL, e.g. oHo)"))
	expire := fs.String("expire", "", i18n.T("delete after: 5m, 1h, 1d, 1w, 1mo, 1y (default: never)"))
	nsfw := fs.Bool("nsfw", false, i18n.T("mark as not safe for work"))
	fit := fs.Bool("fit", false, i18n.T("convert an image over the size limit so it fits, as the tray app does (lossless WebP, else JPEG, else scaled down)"))
	to := fs.String("to", "", i18n.T("upload to this custom uploader (`NAME` from imagecx uploader list), or image.cx (default: where captures go)"))
	if code, ok := parse(fs, args); !ok {
		return code
	}
	files := fs.Args()
	if len(files) == 0 {
		fmt.Fprintln(env.Stderr, "imagecx upload: "+i18n.T("no files given"))
		fs.Usage()
		return exitUsage
	}
	asJSON := strings.EqualFold(*format, "json")
	var lf uploader.LinkFormat
	if !asJSON {
		var err error
		if lf, err = uploader.ParseLinkFormat(*format); err != nil {
			fmt.Fprintf(env.Stderr, "imagecx upload: --format: %s\n", i18n.T("{{.why}} (or json)", "why", explain.Error(err)))
			return exitUsage
		}
	}
	exp, err := uploader.ParseExpiration(*expire)
	if err != nil {
		fmt.Fprintf(env.Stderr, "imagecx upload: --expire: %s\n", explain.Error(err))
		return exitUsage
	}
	opts := uploader.Options{Title: *title, Description: *desc, AlbumID: *album, Expiration: exp, NSFW: *nsfw}
	for _, t := range strings.Split(*tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			opts.Tags = append(opts.Tags, t)
		}
	}

	w, err := load(ctx, env)
	if err != nil {
		return fail(env, "", err)
	}
	d, key, dest, err := w.delivery(ctx, *to)
	if err != nil {
		return fail(env, "", err)
	}
	client := d.Client.(sender)
	// The flags are the options: not the settings' album, title template
	// or expiry (those are the tray app's), and the files stay.
	d.Options, d.Title, d.DropLocal, d.Link = opts, "", false, lf

	// Everything that can be refused without the network is, first.
	failed := 0
	var jobs []fileJob
	for _, arg := range files {
		limit := client.MaxSize()
		if *fit {
			limit = fitMaxRead
		}
		job, err := readJob(ctx, arg, env.Stdin, limit)
		if err == nil && *fit && int64(len(job.data)) > client.MaxSize() {
			job, err = fitJob(env, job)
		}
		if err != nil {
			all.Jobs = append(all.Jobs, outbox.Job{Job: shot.Job{Name: arg}})
			all.Failed = append(all.Failed, outbox.Failure{Job: outbox.Job{Job: shot.Job{Name: arg}}, Err: err})
			all.Err = cmp.Or(all.Err, err)
			fail(env, arg, err)
			if errors.Is(err, uploader.ErrTooLarge) && !*fit {
				errorf(env, "--fit converts an image so it fits, as the tray app does.")
			}
			failed++
			continue
		}
		jobs = append(jobs, job)
	}
	if len(jobs) > 0 && key == "" && dest == "" {
		return errorf(env, "No API key is set: create one at {{.url}} and run `imagecx key set`, or set IMAGECX_API_KEY.", "url", strings.TrimRight(w.endpoint(), "/")+"/settings/api")
	}
	books := w.history()
	if books != nil {
		defer books.Close()
	}
	ob := w.outbox(books, quietPipeline())

	progress := outbox.Progress{All: len(jobs)}
	for _, job := range jobs {
		progress.Total += int64(len(job.data))
	}
	for i, job := range jobs {
		if ctx.Err() != nil { // Ctrl+C: the rest is not sent
			break
		}
		if watch != nil {
			watch(progress)
		}
		progress.Done, progress.Sent = i+1, progress.Sent+int64(len(job.data))
		dj := d
		var bar *progressBar
		if env.StderrTerminal && len(job.data) >= progressMin {
			bar = newProgressBar(env.Stderr, job.name)
			dj.Options.Progress = bar.update
		}
		added, _ := ob.Add(ctx, []shot.Job{job.shot()}, dest, history.FromCLI, history.Uploading) // this process's: a tray app does not take it over
		added[0].Title = cmp.Or(opts.Title, job.title)
		out := ob.Send(ctx, outbox.One(dj), added)
		bar.done()
		all.Jobs = append(all.Jobs, out.Jobs...)
		all.Results = append(all.Results, out.Results...)
		all.Links = append(all.Links, out.Links...)
		all.Fitted = append(all.Fitted, out.Fitted...)
		all.Failed = append(all.Failed, out.Failed...)
		all.Err = cmp.Or(all.Err, out.Err)
		if out.Err != nil {
			if ctx.Err() != nil {
				ob.GiveUp(ctx, added[0]) // cancelled here: nothing takes it over
			}
			fail(env, job.arg, out.Err)
			failed++
			continue
		}
		res := out.Results[0]
		if res.AwaitingApproval {
			errorf(env, "{{.file}}: uploaded; it awaits the site's approval, so the viewer page is given instead of a direct link", "file", job.arg)
		}
		line := out.Links[0]
		if asJSON {
			line = jsonLine(struct {
				File string `json:"file"`
				uploader.Result
			}{job.arg, res})
		}
		if emit(env, line) != nil {
			failed++
		}
	}
	if ctx.Err() != nil {
		errorf(env, "Cancelled: {{.done}} of {{.all}} uploaded; the rest was not sent.", "done", len(all.Links), "all", len(files))
		return exitFail
	}
	if failed > 0 {
		if len(files) > 1 {
			errorf(env, "{{.failed}} of {{.all}} files failed", "failed", failed, "all", len(files))
		}
		return exitFail
	}
	return exitOK
}

func readJob(ctx context.Context, arg string, stdin io.Reader, max int64) (fileJob, error) {
	if fromlink.Is(arg) {
		f, err := fromlink.Fetch(ctx, arg, max, nil)
		if err != nil {
			return fileJob{}, err
		}
		if err := uploader.Check(f.Data, max); err != nil {
			return fileJob{}, err
		}
		return fileJob{arg: arg, name: f.Name, data: f.Data, title: f.Title, link: true}, nil
	}
	if arg == "-" {
		data, err := io.ReadAll(io.LimitReader(stdin, max+1))
		if err != nil {
			return fileJob{}, fmt.Errorf("read standard input: %w", err)
		}
		if err := uploader.Check(data, max); err != nil {
			return fileJob{}, err
		}
		return fileJob{arg: "(stdin)", name: "stdin" + filetype.Ext(filetype.Sniff(data)), data: data}, nil
	}
	data, err := uploader.ReadFile(arg, max)
	if err != nil {
		return fileJob{}, err
	}
	return fileJob{arg: arg, name: filepath.Base(arg), data: data}, nil
}

// fitMaxRead is the largest file --fit reads: an 8K PNG of noise.
const fitMaxRead = 200 << 20

// fitJob converts an image over the size limit the way the tray app does,
// and says what was done.
func fitJob(env Env, job fileJob) (fileJob, error) {
	name, data, how, err := outbox.ForUpload(shot.Job{Name: job.name, Data: job.data, MIME: filetype.Sniff(job.data)}, false)
	if err != nil {
		return fileJob{}, err
	}
	fmt.Fprintf(env.Stderr, "imagecx: %s: %s\n", job.arg, how)
	return fileJob{arg: job.arg, name: name, data: data, title: job.title, link: job.link}, nil
}

// jsonLine is v as one line of JSON, with <, > and & as they are.
func jsonLine(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v) // a Result always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// shot is the file as a job for the outbox: where it is (none for
// standard input, which exists nowhere else), its type and size.
func (job fileJob) shot() shot.Job {
	sj := shot.Job{Name: job.name, Data: job.data, MIME: filetype.Sniff(job.data)}
	if abs, err := filepath.Abs(job.arg); err == nil && job.arg != "(stdin)" && !job.link {
		sj.File = abs
	}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(job.data)); err == nil {
		sj.Width, sj.Height = cfg.Width, cfg.Height
	}
	return sj
}
