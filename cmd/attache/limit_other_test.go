//go:build !linux

package main

// runChild reports false: file-size limits are only tested on Linux.
func runChild() (int, bool) { return 0, false }
