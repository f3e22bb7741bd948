package shot

import (
	"fmt"
	"strings"

	"imagecx/explain"
	"imagecx/notify"
)

// ResultNote is the notification after a delivery.
func ResultNote(o Outcome) notify.Note {
	n := len(o.Links)
	copied, notCopied := "copied", ""
	if o.CopyErr != nil {
		// The link is in the notification all the same.
		copied, notCopied = "not copied", "\nCopying to the clipboard failed: "+explain.Lower(explain.Error(o.CopyErr))
	}
	switch {
	case o.Err == nil && n == 1:
		body := o.Links[0]
		if o.Results[0].AwaitingApproval {
			body += "\nThe site reviews uploads first: this is the viewer page, visible once approved."
		}
		return notify.Note{Title: "Uploaded — link " + copied, Body: withFitted(body, o.Fitted) + notCopied, Urgency: notify.Normal}
	case o.Err == nil:
		return notify.Note{Title: fmt.Sprintf("Uploaded %d images — links %s", n, copied), Body: withFitted(strings.Join(o.Links, "\n"), o.Fitted) + notCopied, Urgency: notify.Normal}
	}
	var b strings.Builder
	b.WriteString(explain.Error(o.Err))
	if n > 0 {
		fmt.Fprintf(&b, "\n%d of %d uploaded; their links are %s.", n, len(o.Jobs), copied)
		b.WriteString(notCopied)
	}
	if where := kept(o.Jobs); where != "" {
		b.WriteString("\n" + where)
	}
	title := "Upload failed"
	if n > 0 {
		title = fmt.Sprintf("%d of %d uploads failed", len(o.Jobs)-n, len(o.Jobs))
	}
	return notify.Note{Title: title, Body: b.String(), Urgency: notify.Critical}
}

// withFitted adds what was done to fit the size limit ("Uploaded as JPEG
// q90 to fit 5.0 MB.").
func withFitted(body string, fitted []string) string {
	for _, f := range fitted {
		body += "\n" + explain.Sentence(f)
	}
	return body
}

// kept says where the user's image still is.
func kept(jobs []Job) string {
	if len(jobs) != 1 {
		return ""
	}
	j := jobs[0]
	switch {
	case j.FromClipboard:
		return ""
	case j.File != "":
		return "The capture is saved at " + j.File + "."
	case j.SaveErr != nil:
		return "It could not be saved either, so the image is on the clipboard. " + explain.Error(j.SaveErr)
	}
	return ""
}

// NoKeyNote is the first-run notification: no key yet.
func NoKeyNote(jobs []Job) notify.Note {
	body := "No image.cx API key is set, so nothing was uploaded. Add one with Settings… in the tray menu, or run `imagecx key set`."
	title := "Not uploaded: no API key"
	if len(jobs) == 1 && !jobs[0].FromClipboard {
		title = "Screenshot copied as an image"
		if jobs[0].File != "" {
			body += "\nSaved at " + jobs[0].File + "."
		}
	}
	return notify.Note{Title: title, Body: body, Urgency: notify.Normal}
}

// HotkeyNote tells the user a hotkey could not be registered and how to
// pick another.
func HotkeyNote(action string, err error, configPath string) notify.Note {
	return notify.Note{
		Title:   "Hotkey not available",
		Body:    fmt.Sprintf("%s (for %s). imagecx keeps running; choose another combination in Settings… or in %s.", strings.TrimSuffix(explain.Error(err), "."), action, configPath),
		Urgency: notify.Normal,
	}
}
