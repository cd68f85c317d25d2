package main

import (
	"runtime/debug"
)

// version overrides the version read from the build information when set at
// build time with -ldflags "-X main.version=...".
var version = ""

// buildVersion is the version of this binary: the -ldflags override, else the
// main module's version (set when built from a tagged module or, since Go
// 1.24, from a version control checkout), else the commit it was built from,
// with "-dirty" when the checkout had uncommitted changes; "unknown" when
// the build recorded none of these.
func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	return versionFromBuildInfo(info)
}

// versionFromBuildInfo reads the version out of a binary's build information.
func versionFromBuildInfo(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "unknown"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}
