package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"attache"
	"attache/console"
	"attache/internal/metrics"
	"attache/retrieval"
	"attache/retrieval/ingest"
)

func (e *env) consoleCommand() *cobra.Command {
	var httpAddr string
	cmd := &cobra.Command{
		Use:   "console",
		Short: "Serve the operator console: answer log, coverage gaps, feedback, index and model figures",
		Long: "Serve the operator console over HTTP, reading the same databases as the bot (the index, and\n" +
			"the state database with the answer log and votes), which may run elsewhere. It listens on\n" +
			"console.http (127.0.0.1:8090) unless --http says otherwise; an address other than loopback\n" +
			"needs console.token.",
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer a.Close()
			if httpAddr == "" {
				httpAddr = a.cfg().Console.HTTP
			}
			return a.runConsole(ctx, httpAddr, nil)
		},
	}
	cmd.Flags().StringVar(&httpAddr, "http", "", "listen on this address (default console.http, 127.0.0.1:8090)")
	return cmd
}

// consoleAllowed refuses an address other than loopback without a
// console token.
func consoleAllowed(addr, token string) error {
	if token == "" && !console.Loopback(addr) {
		return attache.Errorf(attache.EINVALID, "console.token is not set: the console on %s (not a loopback address) would show the questions asked to anyone who can reach it; set console.token (ATTACHE_CONSOLE_TOKEN, at least %d characters) or listen on 127.0.0.1", addr, console.MinTokenLength)
	}
	if len(token) > 0 && len(token) < console.MinTokenLength {
		return attache.Errorf(attache.EINVALID, "console.token must be at least %d characters long", console.MinTokenLength)
	}
	return nil
}

// runConsole serves the console alone on addr until ctx is done.
// listening, when set, is told the address it listens on.
func (a *app) runConsole(ctx context.Context, addr string, listening func(net.Addr)) error {
	token := a.cfg().Console.Token
	if err := consoleAllowed(addr, token); err != nil {
		return err
	}
	con, err := console.New(a.consoleOptions(token, !console.Loopback(addr), func(ctx context.Context) (string, error) {
		sum, err := a.refresh(ctx)
		if err != nil {
			return "", err
		}
		return sum.String(), nil
	}))
	if err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("console: listen %s: %w", addr, err)
	}
	a.log.Info("console listening", "url", "http://"+ln.Addr().String()+con.Prefix(), "token", token != "")
	if listening != nil {
		listening(ln.Addr())
	}
	if err := metrics.ServeListener(ctx, ln, consoleMux(con, nil), a.log); err != nil {
		return fmt.Errorf("console: %w", err)
	}
	return nil
}

// consoleMux serves the console under its prefix, sends / to it, and
// serves rest (the health and metrics endpoints), when set, for any other
// path.
func consoleMux(con *console.Console, rest http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(con.Prefix(), con)
	if rest != nil {
		mux.Handle("/", rest)
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, con.Prefix(), http.StatusSeeOther)
	})
	return mux
}

// consoleOptions wires the console's hooks over the app: the answer log
// and votes from whatever store keeps them, the searcher, the index's
// stats and catalog, and reindex.
func (a *app) consoleOptions(token string, secure bool, reindex console.Reindex) console.Options {
	o := console.Options{Token: token, SecureCookie: secure, Logger: a.log, Reindex: reindex, Search: a.consoleSearch, Index: a.consoleIndex}
	// The state store opens on first use, so that a console over a
	// database without votes or a log yet still starts.
	o.Answers = func(ctx context.Context, since time.Time) ([]attache.LoggedAnswer, error) {
		st, err := a.stateStore(ctx)
		if err != nil {
			return nil, err
		}
		return st.LoggedAnswers(ctx, since)
	}
	o.Feedback = func(ctx context.Context) ([]attache.Feedback, error) {
		st, err := a.stateStore(ctx)
		if err != nil {
			return nil, err
		}
		return st.Feedback(ctx)
	}
	return o
}

// consoleSearch returns the articles closest to a question: the
// documents of its best passages, each once.
func (a *app) consoleSearch(ctx context.Context, question string, k int) ([]console.Article, error) {
	res, err := a.searcher.Search(ctx, question, retrieval.SearchOptions{K: 2 * k})
	if err != nil {
		return nil, err
	}
	var out []console.Article
	seen := map[string]bool{}
	for _, h := range res.Hits {
		if seen[h.DocID] || len(out) == k {
			continue
		}
		seen[h.DocID] = true
		out = append(out, console.Article{DocID: h.DocID, Title: h.Title, Date: h.Date, URL: h.URL})
	}
	return out, nil
}

// maxStale bounds the stale files the index page lists.
const maxStale = 500

// consoleIndex reports the index: per-source counts, the files the last
// run skipped (from the indexer's catalog) and the indexed files that
// changed, went or cannot be read since.
func (a *app) consoleIndex(ctx context.Context) (console.Index, error) {
	var ix console.Index
	stats, err := a.store.Stats(ctx)
	if err != nil {
		return ix, err
	}
	for _, s := range stats {
		ix.Sources = append(ix.Sources, console.Source{Name: s.Source, Documents: s.Documents, Passages: s.Passages, LastIndexed: s.LastIndexed})
	}
	skipped, err := retrieval.Skipped(catalogPath(a.cfg().Index.Path))
	if err != nil {
		a.log.Warn("console: the list of skipped files cannot be read", "err", err)
	}
	for _, s := range skipped {
		ix.Skipped = append(ix.Skipped, console.File{Source: s.Source, Path: s.Path, ModTime: s.ModTime, Reason: s.Reason})
	}
	states, err := a.store.States(ctx)
	if err != nil {
		return ix, err
	}
	ix.Stale = staleFiles(states, a.indexer.Sources)
	return ix, nil
}

// staleFiles compares the indexed documents with their files.
func staleFiles(states map[string]retrieval.DocState, sources []retrieval.Source) []console.File {
	dirs := map[string]string{}
	for _, s := range sources {
		dirs[s.Name] = s.Path
	}
	var out []console.File
	for _, st := range sortedStates(states) {
		if len(out) == maxStale {
			break
		}
		dir, ok := dirs[st.Source]
		if !ok {
			out = append(out, console.File{Source: st.Source, Path: st.Path, Reason: "its source is no longer configured"})
			continue
		}
		rel, err := ingest.UnescapePath(st.Path)
		if err != nil {
			continue
		}
		f := console.File{Source: st.Source, Path: st.Path}
		fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			f.Reason = "gone since it was indexed"
		case err != nil:
			f.Reason = "unreadable: " + pathErr(err)
		case fi.Size() != st.Size || !fi.ModTime().Equal(st.ModTime):
			f.Reason, f.ModTime = "changed since it was indexed", fi.ModTime()
		default:
			r, err := os.Open(filepath.Join(dir, filepath.FromSlash(rel)))
			if err != nil {
				f.Reason, f.ModTime = "unreadable: "+pathErr(err), fi.ModTime()
				break
			}
			r.Close()
			continue
		}
		out = append(out, f)
	}
	return out
}

func sortedStates(m map[string]retrieval.DocState) []retrieval.DocState {
	out := make([]retrieval.DocState, 0, len(m))
	for _, s := range m {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b retrieval.DocState) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Path, b.Path))
	})
	return out
}

// pathErr is the cause of a file error without the path, which the page
// shows beside it.
func pathErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
