package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"attache/answer"
	"attache/eval"
)

// qualityFloors are the floors of the default (extractive) mode, measured on
// the test half of each question set (split by document; see eval.Question.Half).
//
// Slack rule: a floor is the lower end of the 95% Wilson interval of the
// figure measured when it was set, rounded down to a multiple of 0.05 (a
// ceiling: the upper end, rounded up), so that only a drop the test half can
// tell from chance fails.
var qualityFloors = []qualityFloor{
	// Bundled articles, test half: eval/bundled.jsonl with
	// eval/bundled-unanswerable.jsonl ("written"), eval/bundled-perturbed.jsonl ("generated").
	{"bundled", "recall@5", 0.90, false},               // 60/60 (0.940-1.000)
	{"bundled", "evidence@1", 0.80, false},             // 55/60 (0.819-0.964)
	{"bundled", "answer quotes evidence", 0.65, false}, // 47/60 (0.664-0.869)
	{"bundled", "false refusal", 0.20, true},           // 4/60 (0.026-0.159)
	{"bundled", "refusal of written", 0.30, false},     // 9/16 (0.332-0.769)
	{"bundled", "refusal of generated", 0.85, false},   // 80/83 (0.899-0.988)
	// Large corpus, test half: eval/large.jsonl ("written"), eval/large-perturbed.jsonl ("generated").
	{"large", "recall@5", 0.90, false},               // 54/54 (0.934-1.000)
	{"large", "evidence@1", 0.70, false},             // 45/54 (0.713-0.910)
	{"large", "answer quotes evidence", 0.60, false}, // 41/54 (0.631-0.854)
	{"large", "false refusal", 0.20, true},           // 2/54 (0.010-0.125)
	{"large", "refusal of written", 0.30, false},     // 3/4 (0.301-0.954)
	{"large", "refusal of generated", 0.70, false},   // 69/86 (0.706-0.873)
}

type qualityFloor struct {
	corpus, measure string
	bound           float64
	ceiling         bool // the measure must stay at or below bound
}

// qualitySets are the question files of each corpus: the written sets (with
// the answerable questions) and the generated unanswerable ones.
var qualitySets = map[string]struct{ written, generated []string }{
	"bundled": {written: []string{"../../eval/bundled.jsonl", "../../eval/bundled-unanswerable.jsonl"},
		generated: []string{"../../eval/bundled-perturbed.jsonl"}},
	"large": {written: []string{"../../eval/large.jsonl"}, generated: []string{"../../eval/large-perturbed.jsonl"}},
}

const (
	bundledKnowledge = "../../knowledge"
	qualityK         = 5
)

// evalKnowledge writes a small knowledge folder in which two articles speak
// of fisheries: only the conversation's history says which one a follow-up
// means.
func evalKnowledge(t *testing.T, dir string) {
	t.Helper()
	writeFile(t, filepath.Join(dir, "2024-05-01-embassy.md"), `---
title: "Embassy Reopens in Havana"
date: 2024-05-01
---

The United States embassy in Havana resumed full visa processing on Wednesday, officials said.
Consular staff had been reduced since 2017 after unexplained health incidents affected diplomats.
`)
	writeFile(t, filepath.Join(dir, "2023-09-10-canada-fisheries.md"), `---
title: "Canada and the United States Sign Salmon Accord"
date: 2023-09-10
---

Canada and the United States signed a fisheries agreement on Pacific salmon in Ottawa on September 10, 2023.
The fisheries agreement sets catch limits for both fleets and was signed by the two fisheries ministers.
`)
	writeFile(t, filepath.Join(dir, "2022-03-15-norway-fisheries.md"), `---
title: "Norway and the European Union Settle Cod Quotas"
date: 2022-03-15
---

Norway and the European Union concluded a fisheries agreement on cod quotas in the Barents Sea in March 2022.
The fisheries agreement was signed in Brussels after three rounds of negotiation.
`)
}

const evalQuestions = `# questions for the end-to-end test of attache eval
{"id":"visas","question":"When did the US embassy in Havana resume visa processing?","doc_ids":["2024-05-01-embassy.md"],"evidence":"resumed full  visa processing","type":"date"}
{"id":"salmon","question":"Who signed the agreement on Pacific salmon?","doc_ids":["articles/2023-09-10-canada-fisheries.md"],"evidence":"Pacific salmon","type":"who"}
{"id":"followup","question":"When was the fisheries agreement signed?","doc_ids":["2023-09-10-canada-fisheries.md"],"type":"date","history":[{"role":"user","content":"What did Canada and the United States agree on Pacific salmon?"},{"role":"assistant","content":"They signed a fisheries agreement [1]."}]}
{"id":"bread","question":"What is the best recipe for a sourdough starter?","type":"unanswerable"}
`

// evalJSON is the part of the eval report the test reads.
type evalJSON struct {
	K         int  `json:"k"`
	Asked     bool `json:"asked"`
	WithModel bool `json:"with_model"`
	WarmedUp  bool `json:"warmed_up"`
	Overall   struct {
		N                int     `json:"n"`
		RecallAtK        float64 `json:"recall_at_k"`
		MRR              float64 `json:"mrr"`
		EvidenceAt1      float64 `json:"evidence_at_1"`
		EvidenceAtK      float64 `json:"evidence_at_k"`
		RefusalRate      float64 `json:"refusal_rate"`
		FalseRefusalRate float64 `json:"false_refusal_rate"`
		SearchP50MS      float64 `json:"search_p50_ms"`
		SearchP95MS      float64 `json:"search_p95_ms"`
		Answerable       int     `json:"answerable"`
		Unanswerable     int     `json:"unanswerable"`
		WithEvidence     int     `json:"with_evidence"`
		Errors           int     `json:"errors"`
	} `json:"overall"`
	ByType  map[string]json.RawMessage `json:"by_type"`
	Results []struct {
		ID       string   `json:"id"`
		Rank     int      `json:"rank"`
		Answered bool     `json:"answered"`
		TopDocs  []string `json:"top_docs"`
		Err      string   `json:"err"`
	} `json:"results"`
}

func TestEvalCommand(t *testing.T) {
	t.Parallel()
	vars := testEnv(t)
	dir := t.TempDir()
	kn := filepath.Join(dir, "articles")
	evalKnowledge(t, kn)
	qfile := filepath.Join(dir, "questions.jsonl")
	writeFile(t, qfile, evalQuestions)
	base := []string{"--knowledge", kn, "--index", filepath.Join(dir, "index.db")}

	code, out, errs := run(t, vars, append(base, "eval", "--questions", qfile, "--json", "--k", "3")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep evalJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	o := rep.Overall
	if rep.K != 3 || !rep.Asked || rep.WithModel || !rep.WarmedUp {
		t.Errorf("k %d asked %v with_model %v warmed_up %v", rep.K, rep.Asked, rep.WithModel, rep.WarmedUp)
	}
	if o.N != 4 || o.Answerable != 3 || o.Unanswerable != 1 || o.WithEvidence != 2 || o.Errors != 0 {
		t.Errorf("counts: %+v", o)
	}
	// Three articles and pointed questions: every expected article is found,
	// the off-topic question refused, none of the others.
	if o.RecallAtK != 1 || o.MRR < 2.0/3 || o.MRR > 1 || o.EvidenceAtK != 1 || o.EvidenceAt1 < 0.5 {
		t.Errorf("retrieval metrics: %+v\n%s", o, out)
	}
	if o.RefusalRate != 1 || o.FalseRefusalRate != 0 {
		t.Errorf("refusal %v, false refusal %v\n%s", o.RefusalRate, o.FalseRefusalRate, out)
	}
	if o.SearchP50MS < 0 || o.SearchP95MS < o.SearchP50MS || o.SearchP95MS > 10_000 {
		t.Errorf("latency p50 %v p95 %v", o.SearchP50MS, o.SearchP95MS)
	}
	for _, typ := range []string{"date", "who", "unanswerable"} {
		if rep.ByType[typ] == nil {
			t.Errorf("by_type lacks %q: %v", typ, rep.ByType)
		}
	}
	if len(rep.Results) != 4 {
		t.Fatalf("results: %+v", rep.Results)
	}
	for _, r := range rep.Results {
		if r.ID == "followup" && (r.Rank != 1 || r.TopDocs[0] != "articles/2023-09-10-canada-fisheries.md") {
			t.Errorf("the follow-up did not use its history: %+v", r)
		}
		if r.ID == "bread" && r.Answered {
			t.Errorf("the unanswerable question was answered: %+v", r)
		}
		if len(r.TopDocs) > 3 {
			t.Errorf("%s: more than k top docs: %v", r.ID, r.TopDocs)
		}
	}

	t.Run("text", func(t *testing.T) {
		code, out, errs := run(t, vars, append(base, "eval", "--questions", qfile, "--corpus-source", "articles")...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		for _, w := range []string{"4 questions, k=5, extractive answers, latency after a warm-up pass", "overall", "RECALL@5", "unanswerable"} {
			if !strings.Contains(out, w) {
				t.Errorf("text report lacks %q:\n%s", w, out)
			}
		}
		code, out, errs = run(t, vars, append(base, "eval", "--questions", qfile, "--cold")...)
		if code != 0 || !strings.Contains(out, "latency of a first search of each question") {
			t.Errorf("--cold: exit %d: %s\n%s", code, errs, out)
		}
	})

	t.Run("halves", func(t *testing.T) {
		// The articles of evalQuestions all fall in the test half; a question
		// that expects no article falls in the half of its ID.
		set := evalQuestions + `{"id":"wine","question":"Which wine goes with grilled cod?","type":"unanswerable"}` + "\n"
		qfile := filepath.Join(dir, "halves.jsonl")
		writeFile(t, qfile, set)
		qs, err := eval.ReadQuestions(strings.NewReader(set))
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, half := range []string{eval.HalfTune, eval.HalfTest} {
			want, err := eval.SelectHalf(qs, half)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 {
				t.Fatalf("the questions of this test need both halves; %s is empty", half)
			}
			code, out, errs := run(t, vars, append(base, "eval", "--questions", qfile, "--half", half, "--json")...)
			if code != 0 {
				t.Fatalf("--half %s: exit %d: %s", half, code, errs)
			}
			var rep struct {
				Half    string `json:"half"`
				Overall struct {
					N           int             `json:"n"`
					RecallAtKCI eval.Proportion `json:"recall_at_k_ci"`
				} `json:"overall"`
				Results []struct {
					ID string `json:"id"`
				} `json:"results"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			if rep.Half != half || rep.Overall.N != len(want) || len(rep.Results) != len(want) || rep.Results[0].ID != want[0].ID {
				t.Errorf("--half %s: report of half %q with %d questions, want %d from %s", half, rep.Half, rep.Overall.N, len(want), want[0].ID)
			}
			if p := rep.Overall.RecallAtKCI; p.N > 0 && (p.Low > p.Rate || p.High < p.Rate || p.Hits > p.N) {
				t.Errorf("--half %s: recall interval %+v", half, p)
			}
			total += rep.Overall.N
			code, out, _ = run(t, vars, append(base, "eval", "--questions", qfile, "--half", half)...)
			if code != 0 || !strings.Contains(out, "half: "+half+" (split by document)") || !strings.Contains(out, "95% intervals") {
				t.Errorf("--half %s text report:\n%s", half, out)
			}
		}
		if total != len(qs) {
			t.Errorf("the halves hold %d of %d questions", total, len(qs))
		}
	})

	t.Run("answers match the app's", func(t *testing.T) {
		// The harness lets Ask reuse the hits of the search just made; the
		// answers must be those the app gives on its own, whether or not
		// the hits can be reused (k=1 differs from the configured k).
		ctx := context.Background()
		a := openApp(t, vars, kn, nil)
		qs, err := eval.ReadQuestions(strings.NewReader(evalQuestions))
		if err != nil {
			t.Fatal(err)
		}
		// "both" is answered from both fisheries articles: hits cut at k=1
		// would lose one.
		qs = append(qs, eval.Question{ID: "both", Question: "When was the fisheries agreement signed?",
			DocIDs: []string{"2023-09-10-canada-fisheries.md"}, Type: eval.TypeDate})
		if want, err := a.answers.Ask(ctx, answer.Request{Question: qs[len(qs)-1].Question}); err != nil || len(want.Citations) < 2 {
			t.Fatalf("the app's answer to %q cites %d passages, want 2 (%v)", qs[len(qs)-1].Question, len(want.Citations), err)
		}
		// Every question is asked after a search of each question, with a k
		// that is and one that is not the configured one.
		for _, k := range []int{a.cfg().Retrieval.K, 1} {
			opts := evalOptions(a, k, "articles")
			for _, searched := range qs {
				for _, q := range qs {
					if _, err := opts.Search(ctx, searched, k); err != nil {
						t.Fatal(err)
					}
					got, err := opts.Ask(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					want, err := a.answers.Ask(ctx, answer.Request{Question: q.Question, History: q.History})
					if err != nil {
						t.Fatal(err)
					}
					if got.Text != want.Text || got.Answered != want.Answered || len(got.Citations) != len(want.Citations) {
						t.Errorf("k=%d, %s after searching %s: harness answer %q (%v), app answer %q (%v)",
							k, q.ID, searched.ID, got.Text, got.Answered, want.Text, want.Answered)
					}
				}
			}
		}
	})

	t.Run("usage errors", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.jsonl")
		writeFile(t, bad, `{"id":"a","question":"q","doc_ids":["x.md"],"type":"factoid"}`+"\n"+`{"id":"b","question":"q","type":"opinion"}`+"\n")
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"eval"}, "--questions"},
			{[]string{"eval", "--questions", filepath.Join(dir, "absent.jsonl")}, "absent.jsonl"},
			{[]string{"eval", "--questions", bad}, "line 2: type"},
			{[]string{"eval", "--questions", qfile, "--k", "0"}, "--k 0"},
			{[]string{"eval", "--questions", qfile, "--corpus-source", "nowhere"}, `"nowhere"`},
			{[]string{"eval", "--questions", qfile, "--half", "both"}, `--half: half "both"`},
		} {
			code, _, errs := run(t, vars, append(base, c.args...)...)
			if code != exitUsage || !strings.Contains(errs, c.want) {
				t.Errorf("%v: exit %d, stderr %q; want %d mentioning %q", c.args, code, errs, exitUsage, c.want)
			}
		}
	})
}

// TestBundledQualityFloor runs the bundled question sets against the bundled
// articles in the default (extractive) mode and fails below the floors.
func TestBundledQualityFloor(t *testing.T) {
	t.Parallel()
	checkQualityFloors(t, "bundled", bundledKnowledge)
}

// TestLargeQualityTargets runs the large question sets against the large
// corpus of releases when ATTACHE_LARGE_CORPUS names the folder it was
// unpacked to (it is not part of the repository, so the test is skipped
// otherwise). Indexing it takes about 45 s.
func TestLargeQualityTargets(t *testing.T) {
	dir := os.Getenv("ATTACHE_LARGE_CORPUS")
	if dir == "" {
		t.Skip("set ATTACHE_LARGE_CORPUS to the unpacked large corpus")
	}
	checkQualityFloors(t, "large", dir)
}

// TestFreshQuestionSets runs the question sets written without looking at
// the system's answers and logs their figures: the test half of the first
// such sets (eval/bundled-fresh*.jsonl, whose tune half was used after
// their first run), every question of the later ones. They have no floors:
// they measure the system on wording nobody tuned on. A missing or
// malformed file fails, and so does a question the harness cannot run.
func TestFreshQuestionSets(t *testing.T) {
	t.Parallel()
	a := openApp(t, testEnv(t), bundledKnowledge, nil)
	for _, set := range []struct {
		file string
		half string
	}{
		{"../../eval/bundled-fresh.jsonl", eval.HalfTest},
		{"../../eval/bundled-fresh-es.jsonl", eval.HalfTest},
		{"../../eval/bundled-blind.jsonl", eval.HalfAll},
		{"../../eval/bundled-blind2.jsonl", eval.HalfAll},
		{"../../eval/bundled-blind3.jsonl", eval.HalfAll},
		{"../../eval/bundled-blind4.jsonl", eval.HalfAll},
		{"../../eval/bundled-blind5.jsonl", eval.HalfAll},
		{"../../eval/bundled-blind6.jsonl", eval.HalfAll},
		{"../../eval/bundled-blind7.jsonl", eval.HalfAll},
		{"../../eval/bundled-blind8.jsonl", eval.HalfAll},
		{"../../eval/bundled-blind9.jsonl", eval.HalfAll},
		{"../../eval/bundled-blind10.jsonl", eval.HalfAll},
		{"../../eval/bundled-blind11.jsonl", eval.HalfAll},
		{"../../eval/bundled-blind12.jsonl", eval.HalfAll},
		{"../../eval/bundled-blind13.jsonl", eval.HalfAll},
		{"../../eval/bundled-blind14.jsonl", eval.HalfAll},
		{"../../eval/bundled-blind15.jsonl", eval.HalfAll},
	} {
		t.Run(filepath.Base(set.file), func(t *testing.T) {
			checkFreshSet(t, a, set.file, set.half)
		})
	}
}

// TestFolderBlindQuestionSets is TestFreshQuestionSets for small folders
// that no question set was shaped on: each is its own knowledge base, so
// corpus statistics, names and dates come from that folder alone.
func TestFolderBlindQuestionSets(t *testing.T) {
	t.Parallel()
	for _, set := range []struct{ folder, file string }{
		{"../../eval/folders/wh2021", "../../eval/folder2021-blind.jsonl"},
		{"../../eval/folders/wh2022", "../../eval/folder2022-blind.jsonl"},
		{"../../eval/folders/wh2023", "../../eval/folder2023-blind.jsonl"},
		{"../../eval/folders/wh2024", "../../eval/folder2024-blind.jsonl"},
		{"../../eval/folders/wh2025", "../../eval/folder2025-blind.jsonl"},
		{"../../eval/folders/actions", "../../eval/folder-actions-blind.jsonl"},
		{"../../eval/folders/briefings", "../../eval/folder-briefings-blind.jsonl"},
		{"../../eval/folders/remarks", "../../eval/folder-remarks-blind.jsonl"},
		{"../../eval/folders/statements", "../../eval/folder-statements-blind.jsonl"},
		{"../../eval/folders/press", "../../eval/folder-press-blind.jsonl"},
		{"../../eval/folders/releases", "../../eval/folder-releases-blind.jsonl"},
		{"../../eval/folders/factsheets", "../../eval/folder-factsheets-blind.jsonl"},
		{"../../eval/folders/mexico", "../../eval/folder-mexico-blind.jsonl"},
		{"../../eval/folders/china", "../../eval/folder-china-blind.jsonl"},
		{"../../eval/folders/japan", "../../eval/folder-japan-blind.jsonl"},
		{"../../eval/folders/ukraine", "../../eval/folder-ukraine-blind.jsonl"},
		{"../../eval/folders/india", "../../eval/folder-india-blind.jsonl"},
	} {
		t.Run(filepath.Base(set.file), func(t *testing.T) {
			a := openApp(t, testEnv(t), set.folder, nil)
			checkFreshSet(t, a, set.file, eval.HalfAll)
		})
	}
}

// TestLargeBlindQuestionSets is TestFreshQuestionSets for the large corpus.
func TestLargeBlindQuestionSets(t *testing.T) {
	dir := os.Getenv("ATTACHE_LARGE_CORPUS")
	if dir == "" {
		t.Skip("set ATTACHE_LARGE_CORPUS to the unpacked large corpus")
	}
	a := openApp(t, testEnv(t), dir, nil)
	for _, file := range []string{"../../eval/large-blind.jsonl", "../../eval/large-blind2.jsonl", "../../eval/large-blind3.jsonl", "../../eval/large-blind4.jsonl", "../../eval/large-blind5.jsonl", "../../eval/large-blind6.jsonl",
		"../../eval/large-blind7.jsonl", "../../eval/large-blind8.jsonl", "../../eval/large-blind9.jsonl",
		"../../eval/large-blind10.jsonl", "../../eval/large-blind11.jsonl", "../../eval/large-blind12.jsonl",
		"../../eval/large-blind13.jsonl", "../../eval/large-blind14.jsonl", "../../eval/large-blind15.jsonl",
		"../../eval/large-blind16.jsonl", "../../eval/large-blind17.jsonl", "../../eval/large-blind18.jsonl", "../../eval/large-blind19.jsonl",
		"../../eval/large-blind20.jsonl", "../../eval/large-blind21.jsonl", "../../eval/large-blind22.jsonl",
		"../../eval/large-blind23.jsonl", "../../eval/large-blind24.jsonl", "../../eval/large-blind25.jsonl",
		"../../eval/large-blind26.jsonl", "../../eval/large-blind27.jsonl", "../../eval/large-blind28.jsonl",
		"../../eval/large-blind29.jsonl", "../../eval/large-blind30.jsonl", "../../eval/large-blind31.jsonl",
		"../../eval/large-blind32.jsonl", "../../eval/large-blind33.jsonl"} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			checkFreshSet(t, a, file, eval.HalfAll)
		})
	}
}

// checkFreshSet runs one half of a question set (or eval.HalfAll), logs
// the report and checks that it holds both kinds of question and that
// every question ran.
func checkFreshSet(t *testing.T, a *app, file, half string) {
	t.Helper()
	rep := runQuestions(t, a, []string{file}, half)
	o := rep.Overall
	if o.Answerable == 0 || o.Unanswerable == 0 {
		t.Fatalf("the set needs answerable and unanswerable questions: %d and %d", o.Answerable, o.Unanswerable)
	}
	if o.Errors > 0 {
		t.Errorf("%d questions failed", o.Errors)
	}
}

// checkQualityFloors evaluates the test half of a corpus's question sets
// and compares each measure with its floor. A missing question file fails.
func checkQualityFloors(t *testing.T, corpus, knowledge string) {
	t.Helper()
	sets := qualitySets[corpus]
	a := openApp(t, testEnv(t), knowledge, nil)
	written := runQuestionSet(t, a, sets.written)
	generated := runQuestionSet(t, a, sets.generated)
	if written.WithModel {
		t.Fatal("a language model is configured; the floors are for the extractive mode")
	}
	o := written.Overall
	if o.Answerable == 0 || o.Unanswerable == 0 || generated.Overall.Unanswerable == 0 {
		t.Fatalf("%s: the test half needs answerable, written unanswerable and generated questions: %d, %d and %d",
			corpus, o.Answerable, o.Unanswerable, generated.Overall.Unanswerable)
	}
	if n := o.Errors + generated.Overall.Errors; n > 0 {
		t.Errorf("%d questions failed", n)
	}
	measures := map[string]eval.Proportion{
		"recall@5":               o.RecallAtKCI,
		"evidence@1":             o.EvidenceAt1CI,
		"answer quotes evidence": deref(o.AnswerEvidenceCI),
		"false refusal":          o.FalseRefusalCI,
		"refusal of written":     o.RefusalCI,
		"refusal of generated":   generated.Overall.RefusalCI,
	}
	checked := 0
	for _, f := range qualityFloors {
		if f.corpus != corpus {
			continue
		}
		m, ok := measures[f.measure]
		if !ok {
			t.Fatalf("floor on an unknown measure %q", f.measure)
		}
		checked++
		t.Logf("%s %s = %.3f (%d/%d, 95%% %.3f-%.3f), bound %.2f", corpus, f.measure, m.Rate, m.Hits, m.N, m.Low, m.High, f.bound)
		switch {
		case f.ceiling && m.Rate > f.bound:
			t.Errorf("%s %s = %.3f (%d/%d, 95%% %.3f-%.3f), ceiling %.2f", corpus, f.measure, m.Rate, m.Hits, m.N, m.Low, m.High, f.bound)
		case !f.ceiling && m.Rate < f.bound:
			t.Errorf("%s %s = %.3f (%d/%d, 95%% %.3f-%.3f), floor %.2f", corpus, f.measure, m.Rate, m.Hits, m.N, m.Low, m.High, f.bound)
		}
	}
	if checked != len(measures) {
		t.Errorf("%s: %d floors for %d measures", corpus, checked, len(measures))
	}
}

// runQuestionSet evaluates the test half of the questions of files, read
// together, and logs the report.
func runQuestionSet(t *testing.T, a *app, files []string) eval.Report {
	t.Helper()
	return runQuestions(t, a, files, eval.HalfTest)
}

// runQuestions evaluates one half of the questions of files (or eval.HalfAll),
// read together, and logs the report.
func runQuestions(t *testing.T, a *app, files []string, half string) eval.Report {
	t.Helper()
	var qs []eval.Question
	for _, f := range files {
		more, err := eval.LoadQuestions(f)
		if err != nil {
			t.Fatal(err) // a missing file fails: the floors need every set
		}
		qs = append(qs, more...)
	}
	qs, err := eval.SelectHalf(qs, half)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := eval.Run(context.Background(), qs, evalOptions(a, qualityK, ""))
	if err != nil {
		t.Fatal(err)
	}
	rep.Half = half
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s:\n%s", strings.Join(files, " + "), text.String())
	return rep
}

func TestEvalPerturbCommand(t *testing.T) {
	t.Parallel()
	vars := testEnv(t)
	dir := t.TempDir()
	kn := filepath.Join(dir, "articles")
	evalKnowledge(t, kn)
	qfile := filepath.Join(dir, "questions.jsonl")
	writeFile(t, qfile, evalQuestions+
		`{"id":"cod","question":"Where was the 2022 agreement on cod quotas between Norway and the European Union signed?","doc_ids":["2022-03-15-norway-fisheries.md"],"evidence":"signed in Brussels","type":"factoid"}`+"\n")
	base := []string{"--knowledge", kn, "--index", filepath.Join(dir, "index.db")}
	out := filepath.Join(dir, "perturbed.jsonl")

	code, stdout, errs := run(t, vars, append(base, "eval", "perturb", "--questions", qfile, "-o", out, "--seed", "7")...)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q: %s", code, stdout, errs)
	}
	gen, err := eval.LoadQuestions(out)
	if err != nil {
		t.Fatal(err)
	}
	src, err := eval.LoadQuestions(qfile)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]eval.Question{}
	for _, q := range src {
		byID[q.ID] = q
	}
	rules := map[string]int{}
	for _, g := range gen {
		id, rule, _ := strings.Cut(g.ID, "~")
		q, ok := byID[id]
		if !ok || rule != g.Rule || g.Answerable() || g.Origin != q.DocIDs[0] || g.Half() != q.Half() || g.Question == q.Question {
			t.Errorf("generated %+v from %+v", g, q)
		}
		rules[g.Rule]++
	}
	for _, r := range []string{eval.RuleCountry, eval.RuleOrganisation, eval.RuleYear} {
		if rules[r] == 0 {
			t.Errorf("no %s question: %v", r, gen)
		}
		if !strings.Contains(errs, r) {
			t.Errorf("stderr does not count the %s questions: %s", r, errs)
		}
	}
	// The same seed gives the same file, on standard output without -o.
	first, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = run(t, vars, append(base, "eval", "perturb", "--questions", qfile, "--seed", "7")...)
	if code != 0 || stdout != string(first) {
		t.Errorf("a second run differs:\n%s\nvs\n%s", stdout, first)
	}
	// The generated questions are refused or answered, but never fail.
	code, stdout, errs = run(t, vars, append(base, "eval", "--questions", out, "--json")...)
	var rep evalJSON
	if code != 0 || json.Unmarshal([]byte(stdout), &rep) != nil || rep.Overall.Unanswerable != len(gen) || rep.Overall.Errors != 0 {
		t.Errorf("eval of the generated set: exit %d: %s\n%s", code, errs, stdout)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"eval", "perturb"}, "--questions"},
		{[]string{"eval", "perturb", "--questions", qfile, "--rule", "colour"}, `--rule "colour"`},
		{[]string{"eval", "perturb", "--questions", filepath.Join(dir, "absent.jsonl")}, "absent.jsonl"},
	} {
		code, _, errs := run(t, vars, append(base, c.args...)...)
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d mentioning %q", c.args, code, errs, exitUsage, c.want)
		}
	}
}

// deref is the proportion p points to, or none.
func deref(p *eval.Proportion) eval.Proportion {
	if p == nil {
		return eval.Proportion{}
	}
	return *p
}
