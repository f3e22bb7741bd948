package outbox

import (
	"errors"
	"strings"

	"imagecx/explain"
	"imagecx/i18n"
	"imagecx/notify"
)

// Note is what a person is told after Send and Copy, by the tray app and
// by a command run from a desktop shortcut alike: the link (or the
// links) and whether it is on the clipboard, what was done to fit the
// host's limit, and on a failure the one explained error, where the
// capture still is and when it is tried again. Who shows it adds its
// own buttons and sound.
func (o Outcome) Note() notify.Note {
	n := len(o.Links)
	notCopied := ""
	if o.CopyErr != nil {
		// The link is in the notification all the same.
		notCopied = "\n" + i18n.T("Copying to the clipboard failed: {{.why}}", "why", explain.Lower(explain.Error(o.CopyErr)))
	}
	if o.Err == nil {
		note := notify.Note{Urgency: notify.Normal}
		if n == 1 {
			note.Title = i18n.T("Uploaded — link copied")
			switch {
			case o.CopyErr != nil:
				note.Title = i18n.T("Uploaded — link not copied")
			case o.NotCopied:
				// Tried again later, after the person copied something
				// else: that stays on the clipboard.
				note.Title = i18n.T("Uploaded — link ready (Copy link)")
			}
			note.Body = o.Links[0]
			if o.Results[0].AwaitingApproval {
				note.Body += "\n" + i18n.T("The site reviews uploads first: this is the viewer page, visible once approved.")
			}
			if len(o.Jobs) == 1 {
				note.Image = o.Jobs[0].Thumb
			}
		} else {
			note.Title = i18n.T("Uploaded {{.n}} images — links copied", "n", n)
			switch {
			case o.CopyErr != nil:
				note.Title = i18n.T("Uploaded {{.n}} images — links not copied", "n", n)
			case o.NotCopied:
				note.Title = i18n.T("Uploaded {{.n}} images — links ready in Recent uploads", "n", n)
			}
			note.Body = strings.Join(o.Links, "\n")
		}
		for _, f := range o.Fitted {
			note.Body += "\n" + explain.Sentence(f)
		}
		note.Body += notCopied
		if unsaved := o.NotSaved(); unsaved != "" {
			note.Body += "\n" + unsaved
		}
		return note
	}
	if errors.Is(o.Err, ErrCancelled) {
		note := notify.Note{Title: i18n.T("Upload cancelled"), Urgency: notify.Normal}
		if n > 0 {
			note.Title = i18n.T("{{.done}} of {{.all}} uploaded, the rest cancelled", "done", n, "all", len(o.Jobs))
			note.Body = strings.Join(o.Links, "\n") + notCopied + "\n"
		}
		note.Body += i18n.N(len(o.Jobs)-n, "The one not sent is in the history: Retry sends it.", "The {{.n}} not sent are in the history: Retry sends them.")
		return note
	}
	var b strings.Builder
	b.WriteString(explain.Error(o.Err))
	if n > 0 {
		if o.CopyErr != nil {
			b.WriteString("\n" + i18n.T("{{.done}} of {{.all}} uploaded; their links are not copied.", "done", n, "all", len(o.Jobs)))
		} else {
			b.WriteString("\n" + i18n.T("{{.done}} of {{.all}} uploaded; their links are copied.", "done", n, "all", len(o.Jobs)))
		}
		b.WriteString(notCopied)
	}
	if where := kept(o.Jobs); where != "" {
		b.WriteString("\n" + where)
	}
	if o.RetryIn > 0 {
		b.WriteString("\n" + i18n.T("imagecx tries again in {{.wait}}.", "wait", explain.Duration(o.RetryIn)))
	}
	title := i18n.T("Upload failed")
	if n > 0 {
		title = i18n.T("{{.failed}} of {{.all}} uploads failed", "failed", len(o.Jobs)-n, "all", len(o.Jobs))
	}
	return notify.Note{Title: title, Body: b.String(), Urgency: notify.Critical}
}

// NotSaved says that the captures folder could not take a capture that
// was uploaded: the person expects a copy on disk. "" when every one
// was kept (or came from the clipboard).
func (o Outcome) NotSaved() string {
	for _, j := range o.Jobs {
		if j.SaveErr != nil && !j.FromClipboard && !j.Given {
			return i18n.T("No copy is kept on this computer: {{.why}}", "why", explain.Lower(explain.Error(j.SaveErr)))
		}
	}
	return ""
}

// kept says where a single capture still is after a failure.
func kept(jobs []Job) string {
	if len(jobs) != 1 {
		return ""
	}
	j := jobs[0]
	switch {
	case j.FromClipboard, j.Given:
		return ""
	case j.File != "":
		return i18n.T("The capture is saved at {{.file}}.", "file", j.File)
	case j.SaveErr != nil:
		return i18n.T("It could not be saved either, so the image is on the clipboard.") + " " + explain.Error(j.SaveErr)
	}
	return ""
}

// Note is what a batch's progress notification says; the caller makes it
// take the place of the one before (Note.Replace) and adds its buttons.
func (p Progress) Note() notify.Note {
	return notify.Note{
		Title:   i18n.T("Uploading {{.n}} files ({{.percent}} % done)", "n", p.All, "percent", p.Percent()),
		Body:    i18n.T("{{.done}} of {{.all}} done.", "done", p.Done, "all", p.All),
		Urgency: notify.Low,
	}
}
