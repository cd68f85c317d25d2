package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"attache"
	"attache/answer"
	"attache/config"
	"attache/internal/text"
	"attache/retrieval"
)

func (e *env) indexCommand() *cobra.Command {
	var asJSON, rebuild bool
	cmd := &cobra.Command{
		Use:   "index",
		Short: "Bring the index up to date with the knowledge folders",
		Long: `Bring the index up to date with the knowledge folders. Only files that
changed since the last run are read again. When another indexing run (or a
bot) is writing the index, this one waits for it to finish.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			mode := indexer
			mode.rebuild = rebuild
			a, sum, err := e.openSynced(cmd.Context(), mode)
			if err != nil {
				return err
			}
			defer a.Close()
			if asJSON {
				return writeJSON(e.stdout, sum)
			}
			for _, s := range sum.Skips {
				fmt.Fprintf(e.stdout, "skipped %s: %s\n", s.Path, s.Reason)
			}
			fmt.Fprintf(e.stdout, "indexed in %s: %s\n", sum.Duration.Round(time.Millisecond), sum)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	cmd.Flags().BoolVar(&rebuild, "rebuild", false, "read every file again and replace the whole index (also repairs a damaged index file)")
	return cmd
}

// dateFlags adds --since and --until to a command.
func dateFlags(cmd *cobra.Command, r *attache.DateRange) {
	cmd.Flags().StringVar(&r.Since, "since", "", "only articles dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)")
	cmd.Flags().StringVar(&r.Until, "until", "", "only articles dated on or before this date (YYYY, YYYY-MM or YYYY-MM-DD)")
}

var isoPrefix = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

func checkDates(r attache.DateRange) error {
	for name, v := range map[string]string{"--since": r.Since, "--until": r.Until} {
		if v == "" {
			continue
		}
		layout := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}[len(v)]
		if !isoPrefix.MatchString(v) {
			return usageError{fmt.Errorf("%s %q: want YYYY, YYYY-MM or YYYY-MM-DD", name, v)}
		}
		if _, err := time.Parse(layout, v); err != nil {
			return usageError{fmt.Errorf("%s %q: not a valid date", name, v)}
		}
	}
	if r.Since != "" && r.Until != "" && r.Since > r.Until {
		return usageError{fmt.Errorf("--since %s is after --until %s", r.Since, r.Until)}
	}
	return nil
}

// searchJSON is the stable JSON shape of `attache search --json`.
type searchJSON struct {
	Query   string             `json:"query"`
	Results []searchResultJSON `json:"results"`
}

type searchResultJSON struct {
	Rank   int     `json:"rank"`
	DocID  string  `json:"doc_id"`
	Title  string  `json:"title"`
	Path   string  `json:"path"`
	Source string  `json:"source"`
	Date   string  `json:"date"`
	URL    string  `json:"url"`
	Score  float64 `json:"score"`
	// Coverage is the share of the question's weighted words the passage
	// holds; Lacks names the country the question is about when the
	// passage does not mention it.
	Coverage float64 `json:"coverage"`
	Lacks    string  `json:"lacks,omitempty"`
	// Missing lists the question's names the passage does not match; Focus
	// is the share of the question's rarest words it holds.
	Missing []string `json:"missing,omitempty"`
	Focus   float64  `json:"focus"`
	// Features are the relevance features the score sums (with --explain).
	Features map[string]float64 `json:"features,omitempty"`
	Text     string             `json:"text"`
}

func (e *env) searchCommand() *cobra.Command {
	var (
		k               int
		asJSON, explain bool
		dates           attache.DateRange
	)
	cmd := &cobra.Command{
		Use:   "search [flags] QUERY",
		Short: "Show the passages that best match a query (no model involved)",
		Args:  args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, argv []string) error {
			if err := checkDates(dates); err != nil {
				return err
			}
			if k < 1 || k > 100 {
				return usageError{fmt.Errorf("--k %d: want 1 to 100", k)}
			}
			ctx := cmd.Context()
			a, err := e.openFresh(ctx)
			if err != nil {
				return err
			}
			defer a.Close()
			query := strings.Join(argv, " ")
			res, err := a.searcher.Search(ctx, query, retrieval.SearchOptions{K: k, Dates: dates, Explain: explain})
			if err != nil {
				return err
			}
			out := searchJSON{Query: query, Results: []searchResultJSON{}}
			for _, h := range res.Hits {
				out.Results = append(out.Results, searchResultJSON{Rank: h.Rank, DocID: h.DocID, Title: h.Title,
					Path: h.Path, Source: h.Source, Date: h.Date, URL: h.URL, Score: h.Score,
					Coverage: h.Coverage, Lacks: h.Lacks, Missing: h.Missing, Focus: h.Focus, Features: h.Features, Text: h.Text})
			}
			if asJSON {
				return writeJSON(e.stdout, out)
			}
			if len(out.Results) == 0 {
				fmt.Fprintln(e.stdout, "No passage matches.")
				return nil
			}
			for _, r := range out.Results {
				fmt.Fprintf(e.stdout, "%d. %s (%s) — %s/%s  [score %.2f]\n", r.Rank, r.Title, orUnknown(r.Date), r.Source, r.Path, r.Score)
				if explain {
					fmt.Fprintf(e.stdout, "   %s\n", explainLine(r.Features, a.searcher.Weights))
				}
				fmt.Fprintf(e.stdout, "   %s\n\n", snippet(r.Text, 300))
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&k, "k", 5, "number of passages")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&explain, "explain", false, "show each passage's relevance features (the score is their weighted sum)")
	dateFlags(cmd, &dates)
	return cmd
}

func (e *env) askCommand() *cobra.Command {
	var (
		asJSON  bool
		history string
		dates   attache.DateRange
	)
	cmd := &cobra.Command{
		Use:   "ask [flags] QUESTION",
		Short: "Answer a question from the knowledge base, citing every claim",
		Args:  args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, argv []string) error {
			if err := checkDates(dates); err != nil {
				return err
			}
			var turns []attache.Turn
			if history != "" {
				var err error
				if turns, err = readHistory(history); err != nil {
					return err
				}
			}
			ctx := cmd.Context()
			a, err := e.openFresh(ctx)
			if err != nil {
				return err
			}
			defer a.Close()
			question := strings.Join(argv, " ")
			ans, err := a.answers.Ask(ctx, answer.Request{Question: question, History: turns, Dates: dates})
			answerLog{app: a}.logAsk(ctx, question, ans, err)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(e.stdout, ans)
			}
			printAnswer(e, ans)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&history, "history", "", `JSON file with earlier turns: [{"role":"user","content":"..."},...]`)
	dateFlags(cmd, &dates)
	return cmd
}

func readHistory(path string) ([]attache.Turn, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usageError{fmt.Errorf("--history: %w", err)}
	}
	var turns []attache.Turn
	if err := json.Unmarshal(data, &turns); err != nil {
		return nil, usageError{fmt.Errorf("--history %s: want a JSON array of {\"role\",\"content\"}: %v", path, err)}
	}
	for i, t := range turns {
		if t.Role != "user" && t.Role != "assistant" {
			return nil, usageError{fmt.Errorf("--history %s: turn %d: role must be \"user\" or \"assistant\"", path, i)}
		}
	}
	return turns, nil
}

func printAnswer(e *env, ans attache.Answer) {
	fmt.Fprintln(e.stdout, ans.Text)
	for _, w := range ans.Warnings {
		fmt.Fprintf(e.stdout, "\nwarning: %s\n", w)
	}
	if len(ans.Citations) == 0 {
		return
	}
	label := "Sources"
	if text.Language(ans.Question) == "es" {
		label = "Fuentes" // the answer's fixed sentences follow the question's language
	}
	fmt.Fprintf(e.stdout, "\n%s:\n", label)
	perDoc := map[string]int{}
	for _, c := range ans.Citations {
		perDoc[c.DocID]++
	}
	for _, c := range ans.Citations {
		where := c.URL
		if where == "" {
			where = c.Source + "/" + c.Path
		}
		part := ""
		if i := strings.LastIndex(c.PassageID, "#"); i >= 0 && perDoc[c.DocID] > 1 {
			if n, err := strconv.Atoi(c.PassageID[i+1:]); err == nil {
				part = fmt.Sprintf(", passage %d", n+1)
			}
		}
		fmt.Fprintf(e.stdout, "[%d] %s (%s%s) %s\n", c.N, c.Title, orUnknown(c.Date), part, where)
	}
}

func (e *env) sourcesCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "sources",
		Short: "List the configured knowledge sources and what the index holds of them",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, err := e.openFresh(ctx)
			if err != nil {
				return err
			}
			defer a.Close()
			stats, err := a.store.Stats(ctx)
			if err != nil {
				return err
			}
			byName := map[string]retrieval.SourceStats{}
			for _, s := range stats {
				byName[s.Source] = s
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SOURCE\tPATH\tDOCUMENTS\tPASSAGES\tLAST INDEXED")
			for _, s := range a.cfg().Knowledge.Sources {
				st := byName[s.Name]
				last := "never"
				if !st.LastIndexed.IsZero() {
					last = st.LastIndexed.Local().Format(time.DateTime)
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", s.Name, s.Path, st.Documents, st.Passages, last)
			}
			if c := a.cfg(); c.Index.Driver == config.DriverPostgres {
				fmt.Fprintf(tw, "\nindex: PostgreSQL %s (local files beside %s)\n", c.Redacted().Index.DSN, a.local)
			} else {
				fmt.Fprintf(tw, "\nindex: %s\n", c.Index.Path)
			}
			return tw.Flush()
		},
	}
}

func orUnknown(date string) string {
	if date == "" {
		return "undated"
	}
	return date
}

func snippet(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndex(s[:n], " ")
	if cut < n/2 {
		cut = n
	}
	return s[:cut] + " …"
}
