package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"attache/eval"
	"attache/retrieval"
)

func (e *env) perturbCommand() *cobra.Command {
	var (
		questions, output string
		seed              uint64
		rules             []string
	)
	cmd := &cobra.Command{
		Use:   "perturb --questions FILE.jsonl [-o OUT.jsonl] [--seed 1] [--rule RULE]...",
		Short: "Make unanswerable questions from answerable ones by changing one thing",
		Long: `Make unanswerable questions from the answerable questions of a set, in the
manner of SQuAD 2.0, by changing one thing of each:

  country  a country (name, adjective, people or capital) for one no article mentions
  person   a person the question and its article name for one no article mentions
  org      an international body for one no article mentions
  year     the year, moved to one the article is not dated in nor mentions and in
           which no article holds the question's other key words
  amount   "Why did X do Y?" asked as "How many times did X do Y?" where no passage
           holding the question's key words states a number

Every question is checked against the configured knowledge (indexed first).
Each output question is unanswerable, keeps its source's ID followed by "~"
and the rule, and has its source's first document as origin, so that it falls
in the same half. The output depends only on the questions, the articles and
--seed.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if questions == "" {
				return usageError{errors.New("--questions FILE.jsonl is required")}
			}
			for _, r := range rules {
				if !containsString(eval.Rules, r) {
					return usageError{fmt.Errorf("--rule %q: want one of %v", r, eval.Rules)}
				}
			}
			qs, err := eval.LoadQuestions(questions)
			if err != nil {
				return usageError{fmt.Errorf("--questions: %w", err)}
			}
			ctx := cmd.Context()
			a, err := e.open(ctx)
			if err != nil {
				return err
			}
			defer a.Close()
			if _, err := a.refresh(ctx); err != nil {
				return err
			}
			ps, err := retrieval.AllPassages(ctx, a.store)
			if err != nil {
				return fmt.Errorf("read passages: %w", err)
			}
			if len(ps) == 0 {
				return usageError{errors.New("the knowledge base is empty: nothing to check the questions against")}
			}
			out := eval.Perturb(qs, eval.NewCorpus(ps), eval.PerturbOptions{Seed: seed, Rules: rules})
			var buf bytes.Buffer
			fmt.Fprintf(&buf, "# Unanswerable questions made by 'attache eval perturb --seed %d' from %s; \"rule\" says how.\n",
				seed, filepath.Base(questions))
			for _, q := range out {
				line := generatedQuestion{ID: q.ID, Question: q.Question, Type: q.Type, Origin: q.Origin, Rule: q.Rule}
				if err := writeJSONLine(&buf, line); err != nil {
					return err
				}
			}
			counts := map[string]int{}
			for _, q := range out {
				counts[q.Rule]++
			}
			for _, r := range eval.Rules {
				if n, ok := counts[r]; ok {
					fmt.Fprintf(e.stderr, "%-8s %d\n", r, n)
				}
			}
			fmt.Fprintf(e.stderr, "%d questions from %d\n", len(out), len(qs))
			if output == "" || output == "-" {
				_, err := e.stdout.Write(buf.Bytes())
				return err
			}
			return writeFileAtomic(output, buf.Bytes())
		},
	}
	f := cmd.Flags()
	f.StringVar(&questions, "questions", "", "question set to make unanswerable questions from")
	f.StringVarP(&output, "output", "o", "", "write the questions to this file (default standard output)")
	f.Uint64Var(&seed, "seed", 1, "seed of the choices")
	f.StringSliceVar(&rules, "rule", nil, "apply only these rules (repeatable)")
	return cmd
}

// generatedQuestion is a line of the output: a question set line without
// the fields an unanswerable question leaves empty.
type generatedQuestion struct {
	ID       string `json:"id"`
	Question string `json:"question"`
	Type     string `json:"type"`
	Origin   string `json:"origin"`
	Rule     string `json:"rule"`
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// writeFileAtomic writes data to path through a temporary file in the same
// folder, so that an interrupted run leaves the old file whole.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
