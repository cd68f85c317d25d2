package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"attache"
	"attache/answer"
	"attache/config"
	"attache/eval"
	"attache/retrieval"
	"attache/retrieval/ingest"
)

func (e *env) evalCommand() *cobra.Command {
	var (
		questions, source, half string
		k                       int
		asJSON, cold            bool
		ablate                  []string
	)
	cmd := &cobra.Command{
		Use:   "eval --questions FILE.jsonl [--half tune|test|all] [--k 5] [--json] [--corpus-source NAME] [--cold]",
		Short: "Measure retrieval and answers against a set of questions",
		Long: `Run every question of a JSON Lines question set through search and answering
and report recall@k, mean reciprocal rank, evidence found, refusals of
unanswerable questions, false refusals, extractive answers that quote the
evidence and search latency, overall and per
question type, then the misses. Every rate comes with its count and a 95%
Wilson interval (the mean reciprocal rank with a normal-approximation
interval). With a language model configured, answers come from the model and
citation validity and support are measured too.

--half runs one half of the question set: every set splits by document into a
tune half (for shaping the system) and a test half (for reporting it).

--corpus-source restricts search and answers to one configured source, so that
expected paths in the question set refer to that source.

--ablate FEATURE runs with that feature of the relevance model weighing 0,
and --ablate rule:NAME without that rule of the answerability decision
(names, focus, time, year, number, event, speech, coverage, detail), to show
what it is worth.

Search latency is measured after one untimed pass over the questions, as a
running bot sees it; --cold measures the first search of each question instead.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if questions == "" {
				return usageError{errors.New("--questions FILE.jsonl is required")}
			}
			if k < 1 || k > 100 {
				return usageError{fmt.Errorf("--k %d: want 1 to 100", k)}
			}
			qs, err := eval.LoadQuestions(questions)
			if err != nil {
				return usageError{fmt.Errorf("--questions: %w", err)}
			}
			if len(qs) == 0 {
				return usageError{fmt.Errorf("--questions %s: no questions", questions)}
			}
			if qs, err = eval.SelectHalf(qs, half); err != nil {
				return usageError{fmt.Errorf("--half: %w", err)}
			}
			if len(qs) == 0 {
				return usageError{fmt.Errorf("--questions %s: no questions in the %s half", questions, half)}
			}
			ctx := cmd.Context()
			a, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer a.Close()
			if source != "" && !slices.ContainsFunc(a.cfg().Knowledge.Sources, func(s config.Source) bool { return s.Name == source }) {
				return attache.Errorf(attache.EINVALID, "--corpus-source %q: no such source (see 'attache sources')", source)
			}
			// Some rules share a feature's name ("coverage"): rules are
			// named with their prefix.
			var features, rules []string
			for _, n := range ablate {
				rule, isRule := strings.CutPrefix(n, "rule:")
				switch {
				case !isRule:
					features = append(features, n)
				case slices.Contains(answer.Rules(), rule):
					rules = append(rules, rule)
				default:
					return usageError{fmt.Errorf("--ablate %s: unknown rule %q (rules: %s)", n, rule, strings.Join(answer.Rules(), ", "))}
				}
			}
			if len(features) > 0 {
				w, err := retrieval.DefaultWeights.Without(features...)
				if err != nil {
					return usageError{fmt.Errorf("--ablate: %w", err)}
				}
				a.searcher.Weights = w
			}
			if _, err := a.refresh(ctx); err != nil {
				return err
			}
			a.answers.Options.RulesOff = rules
			o := evalOptions(a, k, source)
			o.WarmUp = !cold
			rep, err := eval.Run(ctx, qs, o)
			if err != nil {
				return err
			}
			rep.Half = half
			if asJSON {
				return writeJSON(e.stdout, rep)
			}
			return rep.WriteText(e.stdout)
		},
	}
	f := cmd.Flags()
	f.StringVar(&questions, "questions", "", "question set, one JSON object per line")
	f.IntVar(&k, "k", eval.DefaultK, "passages examined per question")
	f.StringVar(&half, "half", eval.HalfAll, "half of the question set to run: tune, test or all (split by document)")
	f.BoolVar(&asJSON, "json", false, "print the report as JSON")
	f.StringVar(&source, "corpus-source", "", "search and answer from this configured source only")
	f.BoolVar(&cold, "cold", false, "time the first search of each question (no warm-up pass)")
	f.StringArrayVar(&ablate, "ablate", nil, "run with this relevance feature's weight set to 0, or rule:NAME without this answerability rule (repeatable; see 'attache search --explain')")
	cmd.AddCommand(e.perturbCommand())
	return cmd
}

// evalOptions connects the harness to the app. Search completes a follow-up
// with the names, places and dates of its history by the heuristic, in both
// modes (with a model, the answer service condenses with the model first, so
// its answers may rest on a slightly different query); Ask is the app's
// answer service. A non-empty source restricts both to that source.
//
// The questions run one after another and Ask follows Search: when the answer
// service retrieves the very query that was just searched (always in
// extractive mode when k is the configured retrieval.k), it reuses those hits
// instead of searching the index a second time.
func evalOptions(a *app, k int, source string) eval.Options {
	var only []string
	if source != "" {
		only = []string{source}
	}
	var (
		mu   sync.Mutex
		last struct {
			query string
			k     int
			hits  []attache.Hit
		}
	)
	search := func(ctx context.Context, query string, k int, dates attache.DateRange) ([]attache.Hit, error) {
		res, err := a.searcher.Search(ctx, query, retrieval.SearchOptions{K: k, Dates: dates, Sources: only})
		return res.Hits, err
	}
	answers := *a.answers
	answers.Retrieve = func(ctx context.Context, query string, k int, dates attache.DateRange) ([]attache.Hit, error) {
		mu.Lock()
		reuse := dates == (attache.DateRange{}) && last.hits != nil && query == last.query && k == last.k
		hits := slices.Clone(last.hits)
		mu.Unlock()
		if reuse {
			return hits, nil
		}
		return search(ctx, query, k, dates)
	}
	return eval.Options{
		K: k,
		Search: func(ctx context.Context, q eval.Question, k int) ([]attache.Hit, error) {
			query := answer.CondenseHeuristic(q.Question, q.History)
			hits, err := search(ctx, query, k, attache.DateRange{})
			mu.Lock()
			last.query, last.k, last.hits = query, k, nil
			if err == nil {
				last.hits = slices.Clone(hits)
				if last.hits == nil {
					last.hits = []attache.Hit{}
				}
			}
			mu.Unlock()
			return hits, err
		},
		Ask: func(ctx context.Context, q eval.Question) (attache.Answer, error) {
			return answers.Ask(ctx, answer.Request{Question: q.Question, History: q.History})
		},
		WithModel: answers.Generator != nil,
		PathForm:  ingest.EscapePath,
	}
}
