package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"attache"
	"attache/config"
	"attache/internal/redact"
	"attache/retrieval/sqlite"
)

// Exit codes.
const (
	exitOK      = 0
	exitRuntime = 1
	exitUsage   = 2
)

// usageError marks a mistake in how the command was called (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// env is everything a command needs from its surroundings, so tests can run
// the whole CLI in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	flags          globalFlags
}

type globalFlags struct {
	config, knowledge, index, logLevel, logFormat string
	rebuildOnCorrupt                              bool
}

// Main runs the CLI with args and returns the process exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	root := e.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ue usageError
	switch {
	case errors.As(err, &ue), strings.HasPrefix(err.Error(), "unknown command"):
		fmt.Fprintf(stderr, "error: %v\n", err)
		fmt.Fprintln(stderr, "run 'attache --help' for usage")
		return exitUsage
	case attache.ErrorCode(err) == attache.EINVALID:
		fmt.Fprintf(stderr, "error: %s\n", safeMessage(err))
		return exitUsage
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "interrupted")
		return exitRuntime
	default:
		fmt.Fprintf(stderr, "error: %s\n", safeMessage(err))
		if sqlite.IsCorrupt(err) {
			fmt.Fprintf(stderr, "hint: %s\n", corruptHint)
		}
		return exitRuntime
	}
}

// safeMessage is what the operator sees of an error on the command line: the
// whole chain, which names files and reasons. No layer puts keys or tokens in
// errors; a URL quoted in one (by net/http, say) has its password masked.
func safeMessage(err error) string { return redact.Text(err.Error()) }

func (e *env) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "attache",
		Short: "Cited answers on bilateral relations from a folder of news articles",
		Long: `Attaché answers questions on bilateral relations from a local folder of news
articles. Every claim in an answer cites the passage it comes from, with the
article's title, date and link. With no language model configured it answers
extractively, quoting the most relevant sentences.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&e.flags.config, "config", "", "config file (default ./attache.yaml, then $XDG_CONFIG_HOME/attache/attache.yaml)")
	pf.StringVar(&e.flags.knowledge, "knowledge", "", "use this folder as the only knowledge source")
	pf.StringVar(&e.flags.index, "index", "", "index file (default under the user cache directory)")
	pf.StringVar(&e.flags.logLevel, "log-level", "", "log level: debug, info, warn, error")
	pf.StringVar(&e.flags.logFormat, "log-format", "", "log format: text or json")
	pf.BoolVar(&e.flags.rebuildOnCorrupt, "rebuild-on-corrupt", false, "build a damaged index again from the knowledge folders instead of failing (config index.rebuild_on_corrupt)")

	root.AddCommand(
		e.indexCommand(),
		e.searchCommand(),
		e.askCommand(),
		e.summarizeCommand(),
		e.timelineCommand(),
		e.serveCommand(),
		e.feedbackCommand(),
		e.logCommand(),
		e.consoleCommand(),
		e.evalCommand(),
		e.fitCommand(),
		e.sourcesCommand(),
		e.configCommand(),
		e.versionCommand(),
	)
	return root
}

// args wraps a cobra argument validator so that its failures exit with code 2.
func args(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := v(cmd, a); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// loadConfig reads the configuration for a command.
// The articles built into the binary are written out when the default
// source stands for them.
func (e *env) loadConfig() (*config.Config, error) {
	cfg, err := config.Load(config.Options{
		File:      e.flags.config,
		Knowledge: e.flags.knowledge,
		Index:     e.flags.index,
		LogLevel:  e.flags.logLevel,
		LogFormat: e.flags.logFormat,
		Getenv:    e.getenv,
	})
	if err != nil {
		return nil, err
	}
	if e.flags.rebuildOnCorrupt {
		cfg.Index.RebuildOnCorrupt = true
	}
	if err := cfg.WriteBundled(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// newLogger builds the process logger from the config; logs go to stderr.
func (e *env) newLogger(c config.Log) *slog.Logger {
	var level slog.Level
	switch strings.ToLower(c.Level) {
	case "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	default:
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: redactAttr}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}

// redactAttr masks the password of any URL in a log message, string value or
// error, wherever in the program the line was logged.
func redactAttr(_ []string, a slog.Attr) slog.Attr {
	switch a.Value.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(redact.Text(a.Value.String()))
	case slog.KindAny:
		switch v := a.Value.Any().(type) {
		case error:
			if s := v.Error(); redact.Text(s) != s {
				a.Value = slog.StringValue(redact.Text(s))
			}
		case fmt.Stringer:
			if s := v.String(); redact.Text(s) != s {
				a.Value = slog.StringValue(redact.Text(s))
			}
		}
	}
	return a
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func (e *env) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(e.stdout, "attache %s\n", buildVersion())
			return err
		},
	}
}

func (e *env) configCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Inspect the configuration"}
	cmd.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "Validate the configuration and print the effective settings, secrets redacted",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := e.loadConfig()
			if err != nil {
				return err
			}
			out, err := cfg.Redacted().YAML()
			if err != nil {
				return fmt.Errorf("config check: %w", err)
			}
			for _, w := range cfg.Warnings {
				fmt.Fprintf(e.stderr, "warning: %s\n", w)
			}
			if cfg.File != "" {
				fmt.Fprintf(e.stdout, "# config file: %s\n", cfg.File)
			} else {
				fmt.Fprintln(e.stdout, "# no config file: defaults, environment and flags")
			}
			_, err = e.stdout.Write(out)
			return err
		},
	})
	return cmd
}

// exportLines writes items as JSON Lines to path, or to standard output
// when path is "" or "-", and says on standard error how many it wrote to
// a file (what names the items: "answers", "questions").
func exportLines[T any](e *env, path, what string, items []T) (err error) {
	w := e.stdout
	if path != "" && path != "-" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer func() {
			if cerr := f.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("export %s: %w", path, cerr)
			}
		}()
		w = f
	}
	for _, it := range items {
		if err := writeJSONLine(w, it); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	if path != "" && path != "-" {
		fmt.Fprintf(e.stderr, "wrote %d %s to %s\n", len(items), what, path)
	}
	return nil
}

func writeJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
