package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"attache"
)

// answerLogStore is what the state store offers for the answer log.
type answerLogStore interface {
	SetAnswerLogSalt(salt string)
	LogAnswer(ctx context.Context, e attache.LoggedAnswer, userID string) error
	LoggedAnswers(ctx context.Context, since time.Time) ([]attache.LoggedAnswer, error)
	PruneAnswerLog(ctx context.Context, before time.Time) (int64, error)
}

// answerLog is the app's answer log: it writes entries while
// console.log_questions is on in the running configuration (so a reload
// turns it on or off) with the configured salt, if any.
type answerLog struct{ app *app }

func (l answerLog) store(ctx context.Context) (answerLogStore, error) {
	s, err := l.app.stateStore(ctx)
	if err != nil {
		return nil, err
	}
	s.SetAnswerLogSalt(l.app.cfg().Console.Salt)
	return s, nil
}

// LogAnswer writes e when the answer log is on, and else does nothing.
func (l answerLog) LogAnswer(ctx context.Context, e attache.LoggedAnswer, userID string) error {
	if !l.app.cfg().Console.LogQuestions {
		return nil
	}
	s, err := l.store(ctx)
	if err != nil {
		return err
	}
	return s.LogAnswer(ctx, e, userID)
}

// prune deletes the entries older than console.retention_days. It runs
// whether or not the log is on, so that turning it off still lets old
// entries expire.
func (l answerLog) prune(ctx context.Context, now time.Time) (int64, error) {
	days := l.app.cfg().Console.RetentionDays
	if days < 1 {
		return 0, nil
	}
	s, err := l.store(ctx)
	if err != nil {
		return 0, err
	}
	return s.PruneAnswerLog(ctx, now.AddDate(0, 0, -days))
}

// bucketIdle is how long a rate limit bucket is kept unused at least; it
// is kept longer when it takes longer to fill up again, since only then
// does it hold nothing a new one would not.
const bucketIdle = 24 * time.Hour

// pruneBuckets deletes the rate limit buckets unused long enough to be
// full again.
func (l answerLog) pruneBuckets(ctx context.Context, now time.Time) (int64, error) {
	idle := bucketIdle
	if rl := l.app.cfg().Discord.RateLimit; rl.PerMinute > 0 {
		idle = max(idle, time.Duration(float64(max(rl.Burst, 1))/rl.PerMinute*float64(time.Minute)))
	}
	s, err := l.app.stateStore(ctx)
	if err != nil {
		return 0, err
	}
	return s.PruneBuckets(ctx, now.Add(-idle))
}

// pruneEvery is how often a running bot deletes expired answer log entries.
const pruneEvery = 24 * time.Hour

// keepPruned prunes the answer log now and then every period until ctx is
// done.
func (l answerLog) keepPruned(ctx context.Context, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		if n, err := l.prune(ctx, time.Now()); err != nil {
			l.app.log.Warn("answer log: deleting old entries failed", "err", err)
		} else if n > 0 {
			l.app.log.Info("answer log: deleted old entries", "entries", n, "retention_days", l.app.cfg().Console.RetentionDays)
		}
		if n, err := l.pruneBuckets(ctx, time.Now()); err != nil {
			l.app.log.Warn("rate limit: deleting idle buckets failed", "err", err)
		} else if n > 0 {
			l.app.log.Debug("rate limit: deleted idle buckets", "buckets", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// logAsk logs a question answered by "attache ask" (no user, no channel).
func (l answerLog) logAsk(ctx context.Context, question string, ans attache.Answer, err error) {
	e := attache.LoggedAnswer{Time: time.Now(), Question: question, Command: "cli", Outcome: attache.AnswerOutcome(ans),
		DocIDs: attache.CitedDocs(ans), LatencyMS: ans.LatencyMS, Model: ans.Model, Usage: ans.Usage, Reason: ans.Reason}
	if err != nil {
		e.Outcome, e.DocIDs = attache.OutcomeError, []string{}
	}
	if werr := l.LogAnswer(ctx, e, ""); werr != nil {
		l.app.log.Warn("answer log: writing an entry failed", "err", werr)
	}
}

func (e *env) logCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "log", Short: "Work with the answer log (console.log_questions)"}
	var (
		outPath string
		since   string
	)
	export := &cobra.Command{
		Use:   "export",
		Short: "Write the answer log as JSON Lines (one question per line, oldest first)",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			from, err := parseSince(since)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			a, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer a.Close()
			s, err := answerLog{app: a}.store(ctx)
			if err != nil {
				return err
			}
			items, err := s.LoggedAnswers(ctx, from)
			if err != nil {
				return err
			}
			return exportLines(e, outPath, "questions", items)
		},
	}
	export.Flags().StringVarP(&outPath, "output", "o", "", "file to write (default standard output)")
	export.Flags().StringVar(&since, "since", "", "only questions asked on or after this date (YYYY-MM-DD, UTC) or time (RFC 3339)")
	cmd.AddCommand(export)
	return cmd
}

// parseSince reads --since: a date (midnight UTC) or an RFC 3339 time.
func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usageError{fmt.Errorf("--since: want a date such as 2026-03-01 or an RFC 3339 time, got %q", s)}
}
