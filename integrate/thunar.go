package integrate

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"imagecx/i18n"
)

// Thunar keeps its custom actions in one file, uca.xml, the person's own
// among them: imagecx's are found by their unique-id and replaced or
// removed in place; every other byte of the file stays as it was.

// thunarIDs are the unique-ids of imagecx's actions.
var thunarIDs = []string{"imagecx-upload", "imagecx-edit"}

// thunarActions are imagecx's actions, as uca.xml holds them.
func thunarActions(bin string) string {
	esc := func(s string) string {
		var b bytes.Buffer
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	var patterns []string
	for _, e := range extensions {
		patterns = append(patterns, "*."+e, "*."+strings.ToUpper(e))
	}
	action := func(id, label, args, desc string, video bool) string {
		s := "<action>\n\t<icon>cx.image.imagecx</icon>\n\t<name>" + esc(i18n.T(label)) + "</name>\n\t<submenu></submenu>\n" +
			"\t<unique-id>" + id + "</unique-id>\n\t<command>" + esc(shellQuote(bin)+" "+args) + "</command>\n" +
			"\t<description>" + esc(i18n.T(desc)) + "</description>\n\t<range></range>\n" +
			"\t<patterns>" + esc(strings.Join(patterns, ";")) + "</patterns>\n\t<image-files/>\n"
		if video {
			s += "\t<video-files/>\n"
		}
		return s + "</action>\n"
	}
	return action(thunarIDs[0], uploadLabel, "open %F", i18n.Mark("Upload the selected files with imagecx; the links go to the clipboard"), true) +
		action(thunarIDs[1], editLabel, "edit %f", i18n.Mark("Mark up or redact the image, then upload it"), false)
}

// span is one <action> element's bytes in the file.
type span struct{ start, end int64 }

// imagecxActions finds imagecx's actions in a uca.xml and the offset of
// its closing </actions>. A file that is not uca.xml's XML is an error:
// it is left alone.
func imagecxActions(data []byte) (found []span, closing int64, err error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	depth := 0
	var cur span
	inID, ours := false, false
	closing = -1
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, 0, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 && t.Name.Local != "actions" {
				return nil, 0, fmt.Errorf("<%s> where <actions> should be", t.Name.Local)
			}
			if depth == 2 && t.Name.Local == "action" {
				cur, ours = span{start: before}, false
			}
			inID = depth == 3 && t.Name.Local == "unique-id"
		case xml.CharData:
			if inID {
				for _, id := range thunarIDs {
					ours = ours || strings.TrimSpace(string(t)) == id
				}
			}
		case xml.EndElement:
			inID = false
			if depth == 2 && t.Name.Local == "action" && ours {
				cur.end = dec.InputOffset()
				found = append(found, cur)
			}
			if depth == 1 {
				closing = before
			}
			depth--
		}
	}
	if closing < 0 {
		return nil, 0, errors.New("no <actions> element")
	}
	return found, closing, nil
}

// mergeThunar puts actions into the uca.xml at path in place of imagecx's
// earlier ones (or before </actions>), making the file when there is
// none.
func mergeThunar(path, actions string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		data = []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<actions>\n</actions>\n")
	} else if err != nil {
		return err
	}
	out, err := spliceThunar(data, actions)
	if err != nil {
		return i18n.Errorf("{{.file}} is not Thunar's list of custom actions, so it was left as it is: {{.why}}", "file", path, "why", err)
	}
	return write(file{path: path, data: string(out), mode: 0o644})
}

// unmergeThunar removes imagecx's actions from the uca.xml at path; it
// reports whether it changed the file.
func unmergeThunar(path string) (bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	out, err := spliceThunar(data, "")
	if err != nil {
		return false, i18n.Errorf("{{.file}} is not Thunar's list of custom actions, so it was left as it is: {{.why}}", "file", path, "why", err)
	}
	if bytes.Equal(out, data) {
		return false, nil
	}
	return true, write(file{path: path, data: string(out), mode: 0o644})
}

// spliceThunar is data with imagecx's actions replaced by actions (""
// removes them), everything else as it was.
func spliceThunar(data []byte, actions string) ([]byte, error) {
	found, closing, err := imagecxActions(data)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	at := int64(0)
	for _, s := range found {
		b.Write(data[at:s.start])
		at = s.end
		if at < int64(len(data)) && data[at] == '\n' {
			at++ // the line the action ended
		}
	}
	if at > closing {
		return nil, errors.New("an action after </actions>")
	}
	b.Write(data[at:closing])
	if actions != "" {
		if b.Len() > 0 && !bytes.HasSuffix(b.Bytes(), []byte("\n")) {
			b.WriteByte('\n')
		}
		b.WriteString(actions)
	}
	b.Write(data[closing:])
	return b.Bytes(), nil
}
