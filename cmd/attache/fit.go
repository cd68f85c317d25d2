package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"attache"
	"attache/answer"
	"attache/eval"
	"attache/retrieval"
	"attache/retrieval/ingest"
)

func (e *env) fitCommand() *cobra.Command {
	var (
		questions, load []string
		save, half      string
		lambda          float64
		k               int
	)
	cmd := &cobra.Command{
		Use:   "fit [--questions FILE.jsonl]... [--load FILE.json]... [--save FILE.json] [--half tune] [--lambda 0.1]",
		Short: "Fit the weights of the relevance model from question sets",
		Long: `Fit the weights of the relevance model by pairwise logistic regression.

Every answerable question of the chosen half (--half, default "tune") is
searched; among the passages re-ranking scored, the relevant ones are those of
an expected document that hold the question's evidence (or, when none does,
every passage of an expected document), and every other candidate should score
below each of them. The fit is L2-regularised (--lambda) and deterministic. It
prints the weights as Go source for retrieval.DefaultWeights, and the share of
pairs ranked right before (with the current weights) and after.

--save writes the gathered comparisons, --load adds saved ones, so that
question sets over different folders and indexes are fitted together:

  attache fit --questions eval/bundled.jsonl --save bundled.json
  attache --knowledge LARGE --index LARGE.db fit --questions large.jsonl --save large.json
  attache fit --load bundled.json --load large.json`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(questions) == 0 && len(load) == 0 {
				return usageError{errors.New("--questions FILE.jsonl or --load FILE.json is required")}
			}
			if half != eval.HalfTune && half != eval.HalfTest && half != "all" {
				return usageError{fmt.Errorf("--half %q: want tune, test or all", half)}
			}
			if lambda <= 0 {
				return usageError{fmt.Errorf("--lambda %g: want a positive number", lambda)}
			}
			if k < 1 || k > 100 {
				return usageError{fmt.Errorf("--k %d: want 1 to 100", k)}
			}
			var qs []retrieval.FitQuestion
			for _, path := range load {
				got, err := loadFitQuestions(path)
				if err != nil {
					return usageError{fmt.Errorf("--load: %w", err)}
				}
				qs = append(qs, got...)
			}
			if len(questions) > 0 {
				got, err := e.gatherFit(cmd, questions, half, k)
				if err != nil {
					return err
				}
				if save != "" {
					if err := saveFitQuestions(save, got); err != nil {
						return err
					}
				}
				qs = append(qs, got...)
			}
			start := retrieval.DefaultWeights
			res := retrieval.Fit(qs, lambda, start)
			fmt.Fprintf(e.stdout, "// %d questions, %d pairs; pairs ranked right: %.3f before, %.3f after\n",
				res.Questions, res.Pairs, res.PairsBefore, res.PairsAfter)
			if len(res.Fixed) > 0 {
				fmt.Fprintf(e.stdout, "// no pair tells apart (weight kept): %s\n", strings.Join(res.Fixed, ", "))
			}
			return res.Weights.WriteGo(e.stdout)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&questions, "questions", nil, "question set over this index (repeatable)")
	f.StringArrayVar(&load, "load", nil, "comparisons saved by --save (repeatable)")
	f.StringVar(&save, "save", "", "write the comparisons gathered from --questions to this file")
	f.StringVar(&half, "half", eval.HalfTune, "questions to fit on: tune, test or all")
	f.Float64Var(&lambda, "lambda", 0.1, "L2 regularisation (0.1 ranked the tune half best of 0.001 to 10)")
	f.IntVar(&k, "k", eval.DefaultK, "hits a search returns (decides how many candidates are scored)")
	return cmd
}

// gatherFit searches every answerable question of the half and returns its
// candidates' features, split into relevant and other.
func (e *env) gatherFit(cmd *cobra.Command, paths []string, half string, k int) ([]retrieval.FitQuestion, error) {
	ctx := cmd.Context()
	a, err := e.open(ctx)
	if err != nil {
		return nil, err
	}
	defer a.Close()
	if _, err := a.refresh(ctx); err != nil {
		return nil, err
	}
	var out []retrieval.FitQuestion
	for _, path := range paths {
		qs, err := eval.LoadQuestions(path)
		if err != nil {
			return nil, usageError{fmt.Errorf("--questions: %w", err)}
		}
		for _, q := range qs {
			if !q.Answerable() || half != "all" && q.Half() != half {
				continue
			}
			query := answer.CondenseHeuristic(q.Question, q.History)
			hits, err := a.searcher.Candidates(ctx, query, retrieval.SearchOptions{K: k})
			if err != nil {
				return nil, fmt.Errorf("fit %s: %w", q.ID, err)
			}
			out = append(out, splitCandidates(q, hits))
		}
	}
	return out, nil
}

// splitCandidates sorts a question's candidates into relevant (of an
// expected document and holding the evidence; when none holds it, every
// passage of an expected document) and other.
func splitCandidates(q eval.Question, hits []attache.Hit) retrieval.FitQuestion {
	fq := retrieval.FitQuestion{ID: q.ID}
	var expected, withEvidence []int
	for i, h := range hits {
		if !q.Expects(h, ingest.EscapePath) {
			fq.Other = append(fq.Other, h.Features)
			continue
		}
		expected = append(expected, i)
		if q.EvidenceIn(h.Text) {
			withEvidence = append(withEvidence, i)
		}
	}
	relevant := withEvidence
	if len(relevant) == 0 {
		relevant = expected
	}
	for _, i := range relevant {
		fq.Relevant = append(fq.Relevant, hits[i].Features)
	}
	return fq
}

func loadFitQuestions(path string) ([]retrieval.FitQuestion, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var qs []retrieval.FitQuestion
	if err := json.Unmarshal(b, &qs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return qs, nil
}

func saveFitQuestions(path string, qs []retrieval.FitQuestion) error {
	b, err := json.Marshal(qs)
	if err != nil {
		return fmt.Errorf("save comparisons: %w", err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("save comparisons: %w", err)
	}
	return nil
}

// explainLine shows a hit's features with their weights, as the score sums
// them.
func explainLine(features map[string]float64, w retrieval.Weights) string {
	if w == nil {
		w = retrieval.DefaultWeights
	}
	var parts []string
	for _, n := range retrieval.Features() {
		if v := features[n]; v != 0 {
			parts = append(parts, fmt.Sprintf("%s %.3g×%.3g", n, w[n], v))
		}
	}
	return strings.Join(parts, "  ")
}
