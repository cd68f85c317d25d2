package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// fsizeEnv, in the environment of the test binary, makes it run the CLI
// with its arguments under that file-size limit (RLIMIT_FSIZE, in bytes)
// instead of the tests: a disk that is full for this process only.
const fsizeEnv = "ATTACHE_TEST_FILE_SIZE_LIMIT"

// runChild runs the CLI when the test binary was started by runLimited, and
// reports its exit code.
func runChild() (int, bool) {
	v := os.Getenv(fsizeEnv)
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err == nil {
		err = syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n})
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "file size limit %q: %v\n", v, err)
		return 2, true
	}
	return Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv), true
}

// runLimited runs the CLI in a child process that cannot write past limit
// bytes in any file, with env as its whole environment.
func runLimited(t *testing.T, limit int64, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = []string{fsizeEnv + "=" + strconv.FormatInt(limit, 10)}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("run %v: %v", args, err)
	}
	return code, out.String(), errb.String()
}

func TestQueriesAnswerUnderFileSizeLimit(t *testing.T) {
	t.Parallel()
	f := newIndexFixture(t, t.TempDir())
	f.build(t)
	f.addArticle(t)
	// An article larger than the limit: indexing it needs a longer
	// write-ahead log than the process may write. The limit leaves room for
	// the 32 KiB shared-memory file a reader needs.
	const limit = 64 << 10
	writeFile(t, filepath.Join(f.knowledge, "2024-07-01-report.md"), "---\ntitle: Annual Report\n---\n\n"+
		strings.Repeat("The annual report lists every consular appointment of the year. ", 4*limit/64))
	limited := func(t *testing.T, env map[string]string, args ...string) (int, string, string) {
		t.Helper()
		return runLimited(t, limit, env, args...)
	}
	checkAnswersBehind(t, f, limited, "the index cannot be written")
}
