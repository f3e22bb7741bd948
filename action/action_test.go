package action

import "testing"

func TestAllIsConsistent(t *testing.T) {
	ids, labels, verbs := map[ID]bool{}, map[string]bool{}, map[string]bool{}
	for _, a := range All {
		if a.ID == "" || a.Label == "" || a.Description == "" {
			t.Errorf("incomplete: %+v", a)
		}
		if ids[a.ID] || labels[a.Label] || (a.Verb != "" && verbs[a.Verb]) {
			t.Errorf("said twice: %+v", a)
		}
		ids[a.ID], labels[a.Label], verbs[a.Verb] = true, true, true
		if got, ok := Get(a.ID); !ok || got != a {
			t.Errorf("Get(%q) = %+v", a.ID, got)
		}
		if a.Verb != "" {
			if got, ok := ByVerb(a.Verb); !ok || got.ID != a.ID {
				t.Errorf("ByVerb(%q) = %+v", a.Verb, got)
			}
		}
	}
	if _, ok := Get("nothing"); ok {
		t.Error("Get found an unknown action")
	}
	if _, ok := ByVerb(""); ok {
		t.Error("ByVerb found an empty verb")
	}
	if d := Defaults(); d[FullScreen] != "Ctrl+Shift+1" || d[Region] != "Ctrl+Shift+2" || d[RepeatRegion] != "" {
		t.Errorf("defaults %v", d)
	}
}
