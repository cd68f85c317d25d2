package main

import (
	"runtime/debug"
	"testing"
)

func TestVersionFromBuildInfo(t *testing.T) {
	t.Parallel()
	const rev = "0123456789abcdef0123456789abcdef01234567"
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev},
			{Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		name     string
		main     string
		settings []debug.BuildSetting
		want     string
	}{
		{"module version", "v1.4.0", vcs("false"), "v1.4.0"},
		{"pseudo-version of a checkout", "v0.0.0-20261204210000-0123456789ab+dirty", nil, "v0.0.0-20261204210000-0123456789ab+dirty"},
		{"clean checkout", "(devel)", vcs("false"), "0123456789ab"},
		{"modified checkout", "(devel)", vcs("true"), "0123456789ab-dirty"},
		{"short revision", "", []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}}, "abc"},
		{"nothing recorded", "(devel)", []debug.BuildSetting{{Key: "GOOS", Value: "linux"}}, "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			info := &debug.BuildInfo{Main: debug.Module{Path: "attache", Version: tt.main}, Settings: tt.settings}
			if got := versionFromBuildInfo(info); got != tt.want {
				t.Errorf("version = %q, want %q", got, tt.want)
			}
		})
	}
}
