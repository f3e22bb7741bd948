package notices

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIdentify(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"Permission is hereby granted, free of charge, to any person ... The above copyright notice and this permission\n  notice shall be included in all copies", "MIT"},
		{"Redistribution and use in source and binary forms, with or without modification... * Neither the name of Google Inc. nor the names of its contributors may be used to endorse or promote products", "BSD-3-Clause"},
		{"Redistribution and use in source and binary forms ... this list of conditions and the following disclaimer in the documentation and/or other materials", "BSD-2-Clause"},
		{"                                 Apache License\n                           Version 2.0, January 2004", "Apache-2.0"},
		{"Mozilla Public License Version 2.0", "MPL-2.0"},
		{"Permission to use, copy, modify, and/or distribute this software for any purpose with or without fee is hereby granted", "ISC"},
		{"This is free and unencumbered software released into the public domain.", "Unlicense"},
		{"All rights reserved. You may not copy this.", ""},
		{"GNU GENERAL PUBLIC LICENSE Version 3", ""},
	} {
		if got := Identify(c.text); got != c.want {
			t.Errorf("Identify(%.40q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestEscape(t *testing.T) {
	if got := escape("github.com/BurntSushi/toml"); got != "github.com/!burnt!sushi/toml" {
		t.Errorf("escape = %q", got)
	}
}

// A module's licence comes first, its notices after, other files never;
// a module without one is an error, not a silent omission.
func TestLicenseFiles(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"PATENTS": "grant", "NOTICE": "notice", "LICENSE-APACHE": "Apache License Version 2.0", "license.go": "package x", "README.md": "hi"} {
		os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
	}
	files, err := licenseFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, " "); got != "LICENSE-APACHE NOTICE PATENTS" {
		t.Errorf("licence files %q", got)
	}
	if _, err := licenseFiles(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no licence file") {
		t.Errorf("a module without a licence: %v", err)
	}
}
