package config

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
)

// FileName is the name of the configuration file that Load looks for.
const FileName = "attache.yaml"

// userDir mirrors os.UserConfigDir and os.UserCacheDir but reads the
// environment through getenv, and honours the XDG variable (xdg) on every
// system when it holds an absolute path. It returns "" when no directory is
// known. unixSub is the folder under $HOME on Unix (".config" or ".cache"),
// darwinSub the one on macOS, winVar the Windows variable.
func userDir(getenv func(string) string, xdg, unixSub, darwinSub, winVar string) string {
	if d := getenv(xdg); d != "" && filepath.IsAbs(d) {
		return filepath.Clean(d)
	}
	var base string
	switch runtime.GOOS {
	case "windows":
		return getenv(winVar)
	case "darwin", "ios":
		base = darwinSub
	default:
		base = unixSub
	}
	home := getenv("HOME")
	if home == "" || !filepath.IsAbs(home) {
		return ""
	}
	return filepath.Join(home, base)
}

func userConfigDir(getenv func(string) string) string {
	return userDir(getenv, "XDG_CONFIG_HOME", ".config", "Library/Application Support", "AppData")
}

// CacheDir returns the user cache directory read through getenv (XDG_CACHE_HOME,
// else the system's default under HOME), or "" when none is known.
func CacheDir(getenv func(string) string) string { return userCacheDir(getenv) }

func userCacheDir(getenv func(string) string) string {
	return userDir(getenv, "XDG_CACHE_HOME", ".cache", "Library/Caches", "LocalAppData")
}

func userStateDir(getenv func(string) string) string {
	return userDir(getenv, "XDG_STATE_HOME", ".local/state", "Library/Application Support", "LocalAppData")
}

// DefaultStateDir returns where the state database is kept when state.dir
// is not set: the attache folder of the user state directory
// ($XDG_STATE_HOME, else ~/.local/state on Unix, ~/Library/Application
// Support on macOS, %LocalAppData% on Windows). Unlike the index it does
// not depend on the sources, and it is not in the cache folder: votes are
// not a cache. Without such a directory, it is .attache under the working
// directory.
func DefaultStateDir() string {
	wd, err := os.Getwd()
	if err != nil {
		wd = "."
	}
	return defaultStateDir(os.Getenv, wd)
}

func defaultStateDir(getenv func(string) string, wd string) string {
	d := userStateDir(getenv)
	if d == "" {
		return filepath.Join(wd, ".attache")
	}
	return filepath.Join(d, "attache")
}

// configCandidates lists, in order, the files Load tries when no file is
// named: ./attache.yaml, then attache/attache.yaml under the user config dir.
func configCandidates(getenv func(string) string, wd string) []string {
	out := []string{filepath.Join(wd, FileName)}
	if d := userConfigDir(getenv); d != "" {
		out = append(out, filepath.Join(d, "attache", FileName))
	}
	return out
}

// DefaultIndexPath returns where the SQLite index of these sources is kept
// when index.path is not set: index-<hash>.db in the attache folder of the
// user cache directory, where hash is the first 12 hex digits of the SHA-256
// of the sorted absolute source paths. Different knowledge sets therefore
// never share an index and the working tree stays clean. Without a cache
// directory, it is .attache/index.db under the working directory.
func DefaultIndexPath(sources []Source) string {
	wd, err := os.Getwd()
	if err != nil {
		wd = "."
	}
	return defaultIndexPath(sources, os.Getenv, wd)
}

func defaultIndexPath(sources []Source, getenv func(string) string, wd string) string {
	cache := userCacheDir(getenv)
	if cache == "" {
		return filepath.Join(wd, ".attache", "index.db")
	}
	return filepath.Join(cache, "attache", "index-"+sourcesHash(sources, wd)+".db")
}

// sourcesHash is the first 12 hex digits of the SHA-256 of the sorted,
// absolute source paths, one per line.
func sourcesHash(sources []Source, wd string) string {
	paths := make([]string, 0, len(sources))
	for _, s := range sources {
		paths = append(paths, absUnder(wd, s.Path))
	}
	slices.Sort(paths)
	sum := sha256.Sum256([]byte(strings.Join(paths, "\n")))
	return hex.EncodeToString(sum[:])[:12]
}

// absUnder makes p absolute against base (unless already absolute) and cleans it.
func absUnder(base, p string) string {
	if p == "" {
		return ""
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(base, p)
	}
	return filepath.Clean(p)
}
