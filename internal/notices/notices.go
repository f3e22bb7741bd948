// Package notices collects the licences of the Go modules compiled into
// imagecx's programs, for the THIRD_PARTY_NOTICES file the packages ship:
// each module is read from the programs' own build information, so the
// file names exactly what was embedded, and its licence text is taken from
// the module as it was downloaded.
package notices

import (
	"debug/buildinfo"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// Module is one module compiled into a program, with its licence.
type Module struct {
	Path, Version string
	// License is the licence's SPDX identifier as recognised from its text
	// ("" when it is none of the kinds this package knows).
	License string
	// Files are the module's licence and notice files, by name.
	Files []File
}

// File is a licence or notice file of a module.
type File struct {
	Name, Text string
}

// Modules reads the build information of each program and returns every
// module they embed, the Go toolchain's own library first (its licence is
// in goroot), the rest sorted by path. A module whose folder in modcache
// has no licence file is an error: shipping it would break its terms.
func Modules(modcache, goroot string, programs ...string) ([]Module, error) {
	seen := map[string]Module{}
	goVersion := ""
	for _, p := range programs {
		info, err := buildinfo.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read the build information of %s: %w", p, err)
		}
		goVersion = info.GoVersion
		for _, d := range info.Deps {
			if d.Replace != nil {
				d = d.Replace
			}
			seen[d.Path+"@"+d.Version] = Module{Path: d.Path, Version: d.Version}
		}
	}
	var mods []Module
	for _, m := range seen {
		dir := filepath.Join(modcache, escape(m.Path)+"@"+escape(m.Version))
		files, err := licenseFiles(dir)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", m.Path, m.Version, err)
		}
		m.Files = files
		m.License = Identify(files[0].Text)
		mods = append(mods, m)
	}
	slices.SortFunc(mods, func(a, b Module) int { return strings.Compare(a.Path+" "+a.Version, b.Path+" "+b.Version) })
	if goVersion != "" {
		files, err := licenseFiles(goroot)
		if err != nil {
			return nil, fmt.Errorf("the Go toolchain (%s): %w", goroot, err)
		}
		std := Module{Path: "Go (the standard library and runtime)", Version: goVersion, License: Identify(files[0].Text), Files: files}
		mods = append([]Module{std}, mods...)
	}
	return mods, nil
}

// licenseNames are the files at a module's root that carry its terms
// (LICENSE, LICENSE.md, LICENSE-APACHE, COPYING, NOTICE, PATENTS…), not
// its code (license.go).
var (
	licenseNames = regexp.MustCompile(`(?i)^(licen[cs]e|copying|notice|patents|unlicense)([-._].*)?$`)
	codeNames    = regexp.MustCompile(`(?i)\.(go|s|c|h)$`)
)

func licenseFiles(dir string) ([]File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read the module's folder: %w", err)
	}
	var files []File
	for _, e := range entries {
		if e.IsDir() || !licenseNames.MatchString(e.Name()) || codeNames.MatchString(e.Name()) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: e.Name(), Text: strings.TrimSpace(string(data))})
	}
	// The licence itself first, then notices and patent grants.
	slices.SortStableFunc(files, func(a, b File) int {
		return rank(a.Name) - rank(b.Name)
	})
	if len(files) == 0 {
		return nil, errors.New("no licence file in " + dir)
	}
	return files, nil
}

func rank(name string) int {
	n := strings.ToLower(name)
	switch {
	case strings.HasPrefix(n, "licen"), strings.HasPrefix(n, "copying"), strings.HasPrefix(n, "unlicense"):
		return 0
	case strings.HasPrefix(n, "notice"):
		return 1
	}
	return 2
}

// escape is the module cache's case encoding: an upper-case letter is "!"
// and the letter in lower case.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// kinds are the licences seen in Go modules, each by phrases its text
// always holds (in the order tried: the most specific first).
var kinds = []struct {
	id      string
	phrases []string
}{
	{"Apache-2.0", []string{"apache license", "version 2.0"}},
	{"MPL-2.0", []string{"mozilla public license", "2.0"}},
	{"BSD-3-Clause", []string{"redistribution and use in source and binary forms", "may be used to endorse or promote"}},
	{"BSD-2-Clause", []string{"redistribution and use in source and binary forms", "this list of conditions and the following disclaimer in the documentation"}},
	{"MIT", []string{"permission is hereby granted, free of charge", "the above copyright notice and this permission notice shall be included"}},
	{"ISC", []string{"permission to use, copy, modify, and/or distribute this software for any purpose with or without fee is hereby granted"}},
	{"ISC", []string{"permission to use, copy, modify, and distribute this software for any purpose with or without fee is hereby granted"}},
	{"Unlicense", []string{"this is free and unencumbered software released into the public domain"}},
}

var space = regexp.MustCompile(`\s+`)

// Identify names a licence text by its SPDX identifier, or "" when it is
// not one of the kinds above.
func Identify(text string) string {
	t := space.ReplaceAllString(strings.ToLower(text), " ")
	for _, k := range kinds {
		all := true
		for _, p := range k.phrases {
			if !strings.Contains(t, p) {
				all = false
				break
			}
		}
		if all {
			return k.id
		}
	}
	return ""
}

// Write prints the notices: a summary line per module, then each one's
// licence and notice files in full.
func Write(w io.Writer, product string, mods []Module) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Third-party software in %s\n\n", product)
	fmt.Fprintf(&b, "%s is built from these Go modules, each under its own licence, whose text\nfollows in full below.\n\n", product)
	for _, m := range mods {
		fmt.Fprintf(&b, "  %-56s %-36s %s\n", m.Path, m.Version, cmpOr(m.License, "see its text below"))
	}
	for _, m := range mods {
		fmt.Fprintf(&b, "\n%s\n%s %s\n%s\n", strings.Repeat("=", 78), m.Path, m.Version, strings.Repeat("=", 78))
		for _, f := range m.Files {
			fmt.Fprintf(&b, "\n--- %s ---\n\n%s\n", f.Name, f.Text)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
