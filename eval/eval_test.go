package eval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"attache"
)

// hit builds a search hit for the document with the given ID ("source/path").
func hit(docID, txt string) attache.Hit {
	_, path, _ := strings.Cut(docID, "/")
	return attache.Hit{Passage: attache.Passage{DocID: docID, Path: path, Text: txt}}
}

// fakeSearch answers from a fixed list of hits per question ID; IDs in fail
// get an error.
type fakeSearch struct {
	hits    map[string][]attache.Hit
	fail    map[string]bool
	history map[string]int // question ID → number of history turns seen
}

func (f *fakeSearch) search(_ context.Context, q Question, _ int) ([]attache.Hit, error) {
	if f.history == nil {
		f.history = map[string]int{}
	}
	f.history[q.ID] = len(q.History)
	if f.fail[q.ID] {
		return nil, errors.New("index unreadable")
	}
	return f.hits[q.ID], nil
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func checkNear(t *testing.T, name string, got, want float64) {
	t.Helper()
	if !near(got, want) {
		t.Errorf("%s = %.6f, want %.6f", name, got, want)
	}
}

func byID(t *testing.T, rep Report) map[string]Result {
	t.Helper()
	m := map[string]Result{}
	for _, r := range rep.Results {
		m[r.ID] = r
	}
	return m
}

// retrievalCase is a hand-checked set of five answerable questions and one
// unanswerable one.
//
//	a1: expected doc at rank 1 (by ID), evidence at rank 1
//	a2: expected doc at rank 3 (by path), evidence at rank 2 (quotes, dashes, case differ)
//	a3: expected doc absent ("kb/old-missing.md" is not "missing.md"), evidence absent
//	a4: expected doc at rank 2 (ID ends with "/sub/d.md", no path on the hit), no evidence
//	a5: expected doc at rank 6, beyond k=5: a miss; no evidence
//	u1: unanswerable, its hits do not count
//
// recall = 3/5; MRR = (1 + 1/3 + 0 + 1/2 + 0)/5; evidence@1 = 1/3; evidence@k = 2/3.
func retrievalCase() ([]Question, *fakeSearch) {
	qs := []Question{
		{ID: "a1", Question: "What were the talks about?", DocIDs: []string{"kb/a.md"}, Evidence: "Migration Talks", Type: TypeFactoid},
		{ID: "a2", Question: "What did he say?", DocIDs: []string{"c.md"}, Evidence: `said "don't go" - firmly`, Type: TypeFactoid},
		{ID: "a3", Question: "When did it end?", DocIDs: []string{"missing.md"}, Evidence: "never there", Type: TypeDate},
		{ID: "a4", Question: "Who led it?", DocIDs: []string{"sub/d.md"}, Type: TypeWho},
		{ID: "a5", Question: "What about trade?", DocIDs: []string{"kb/f.md"}, Type: TypeFactoid},
		{ID: "u1", Question: "Will it rain?", Type: TypeUnanswerable},
	}
	d4 := hit("kb/sub/d.md", "led by the deputy")
	d4.Path = ""
	f := &fakeSearch{hits: map[string][]attache.Hit{
		"a1": {hit("kb/a.md", "The   migration\ntalks began on Friday."), hit("kb/b.md", "unrelated")},
		"a2": {hit("kb/x.md", "nothing here"), hit("kb/y.md", "He SAID “don’t go” — firmly, twice."), hit("kb/c.md", "other words")},
		"a3": {hit("kb/old-missing.md", "an older article")},
		"a4": {hit("kb/e.md", "someone else"), d4},
		"a5": {hit("kb/1.md", ""), hit("kb/2.md", ""), hit("kb/3.md", ""), hit("kb/4.md", ""), hit("kb/5.md", ""), hit("kb/f.md", "")},
		"u1": {hit("kb/a.md", "migration talks")},
	}}
	return qs, f
}

func TestRunRetrievalMetrics(t *testing.T) {
	qs, f := retrievalCase()
	rep, err := Run(context.Background(), qs, Options{K: 5, Search: f.search})
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Overall
	if o.N != 6 || o.Answerable != 5 || o.Unanswerable != 1 || o.WithEvidence != 3 || o.Errors != 0 {
		t.Fatalf("counts: %+v", o)
	}
	checkNear(t, "recall", o.RecallAtK, 3.0/5)
	checkNear(t, "mrr", o.MRR, (1+1.0/3+0.5)/5)
	checkNear(t, "evidence@1", o.EvidenceAt1, 1.0/3)
	checkNear(t, "evidence@k", o.EvidenceAtK, 2.0/3)
	if o.RefusalRate != 0 || o.FalseRefusalRate != 0 || rep.Asked {
		t.Errorf("refusal metrics without Ask: %+v asked=%v", o, rep.Asked)
	}

	res := byID(t, rep)
	for id, want := range map[string][2]int{"a1": {1, 1}, "a2": {3, 2}, "a3": {0, 0}, "a4": {2, 0}, "a5": {0, 0}} {
		if got := res[id]; got.Rank != want[0] || got.EvidenceRank != want[1] {
			t.Errorf("%s: rank %d evidence rank %d, want %d %d", id, got.Rank, got.EvidenceRank, want[0], want[1])
		}
	}
	if got := res["a5"].TopDocs; len(got) != 5 || got[4] != "kb/5.md" {
		t.Errorf("a5 top docs not cut at k: %v", got)
	}
	if got := strings.Join(res["a2"].TopDocs, " "); got != "kb/x.md kb/y.md kb/c.md" {
		t.Errorf("a2 top docs %q", got)
	}

	if len(rep.ByType) != 4 {
		t.Errorf("types: %v", rep.ByType)
	}
	fa := rep.ByType[TypeFactoid]
	if fa.N != 3 || fa.Answerable != 3 || fa.WithEvidence != 2 {
		t.Errorf("factoid counts: %+v", fa)
	}
	checkNear(t, "factoid recall", fa.RecallAtK, 2.0/3)
	checkNear(t, "factoid mrr", fa.MRR, (1+1.0/3)/3)
	checkNear(t, "factoid evidence@1", fa.EvidenceAt1, 0.5)
	checkNear(t, "factoid evidence@k", fa.EvidenceAtK, 1)
	checkNear(t, "date recall", rep.ByType[TypeDate].RecallAtK, 0)
	checkNear(t, "who mrr", rep.ByType[TypeWho].MRR, 0.5)
	if u := rep.ByType[TypeUnanswerable]; u.N != 1 || u.Answerable != 0 || u.RecallAtK != 0 || u.Unanswerable != 1 {
		t.Errorf("unanswerable: %+v", u)
	}
}

func TestRunSmallerK(t *testing.T) {
	qs, f := retrievalCase()
	rep, err := Run(context.Background(), qs, Options{K: 2, Search: f.search})
	if err != nil {
		t.Fatal(err)
	}
	// With k=2, a2's document (rank 3) is out; a2's evidence (rank 2) is in.
	checkNear(t, "recall@2", rep.Overall.RecallAtK, 2.0/5)
	checkNear(t, "mrr@2", rep.Overall.MRR, (1+0.5)/5)
	checkNear(t, "evidence@2", rep.Overall.EvidenceAtK, 2.0/3)
	if rep.K != 2 {
		t.Errorf("K = %d", rep.K)
	}
	rep, err = Run(context.Background(), qs, Options{Search: f.search})
	if err != nil || rep.K != DefaultK {
		t.Errorf("default K = %d, %v", rep.K, err)
	}
}

func TestRunRefusalsAndErrors(t *testing.T) {
	qs := []Question{
		{ID: "ok", Question: "q", DocIDs: []string{"a.md"}, Type: TypeFactoid},
		{ID: "refused", Question: "q", DocIDs: []string{"a.md"}, Type: TypeWhy},
		{ID: "askfail", Question: "q", DocIDs: []string{"a.md"}, Type: TypeFactoid},
		{ID: "searchfail", Question: "q", DocIDs: []string{"a.md"}, Type: TypeFactoid},
		{ID: "followup", Question: "And then?", DocIDs: []string{"a.md"}, Type: TypeSummary,
			History: []attache.Turn{{Role: "user", Content: "What happened in Havana?"}, {Role: "assistant", Content: "Talks [1]."}}},
		{ID: "u-refused", Question: "q", Type: TypeUnanswerable},
		{ID: "u-answered", Question: "q", Type: TypeUnanswerable},
		{ID: "u-askfail", Question: "q", Type: TypeUnanswerable},
	}
	f := &fakeSearch{fail: map[string]bool{"searchfail": true}, hits: map[string][]attache.Hit{}}
	for _, q := range qs {
		if q.ID != "searchfail" {
			f.hits[q.ID] = []attache.Hit{hit("kb/a.md", "text")}
		}
	}
	answered := map[string]bool{"ok": true, "searchfail": true, "followup": true, "u-answered": true}
	var asked []string
	ask := func(_ context.Context, q Question) (attache.Answer, error) {
		asked = append(asked, q.ID)
		if strings.HasSuffix(q.ID, "askfail") {
			return attache.Answer{}, errors.New("model timed out")
		}
		return attache.Answer{Answered: answered[q.ID], Mode: attache.ModeExtractive}, nil
	}
	rep, err := Run(context.Background(), qs, Options{Search: f.search, Ask: ask})
	if err != nil {
		t.Fatal(err)
	}
	if len(asked) != len(qs) || len(rep.Results) != len(qs) {
		t.Fatalf("asked %v, %d results: a failing question must not stop the run", asked, len(rep.Results))
	}
	o := rep.Overall
	// Unanswerable: u-refused refused; u-answered did not; u-askfail failed (a miss).
	checkNear(t, "refusal", o.RefusalRate, 1.0/3)
	// Answerable: refused, and askfail (an error counts as a refusal), of five.
	checkNear(t, "false refusal", o.FalseRefusalRate, 2.0/5)
	// The failed search is a retrieval miss.
	checkNear(t, "recall", o.RecallAtK, 4.0/5)
	if o.Errors != 3 {
		t.Errorf("errors = %d, want 3", o.Errors)
	}
	res := byID(t, rep)
	if e := res["searchfail"].Err; !strings.Contains(e, "search:") || !strings.Contains(e, "index unreadable") {
		t.Errorf("search error not recorded: %q", e)
	}
	if e := res["askfail"].Err; !strings.Contains(e, "ask:") || !strings.Contains(e, "timed out") {
		t.Errorf("ask error not recorded: %q", e)
	}
	if res["searchfail"].Rank != 0 || !res["searchfail"].Answered {
		t.Errorf("searchfail: %+v", res["searchfail"])
	}
	if f.history["followup"] != 2 || f.history["ok"] != 0 {
		t.Errorf("history given to search: %v", f.history)
	}
	if u := rep.ByType[TypeUnanswerable]; !near(u.RefusalRate, 1.0/3) || u.FalseRefusalRate != 0 {
		t.Errorf("unanswerable type: %+v", u)
	}
	if w := rep.ByType[TypeWhy]; w.FalseRefusalRate != 1 || w.RefusalRate != 0 {
		t.Errorf("why type: %+v", w)
	}
	// Only successful searches are timed.
	if res["searchfail"].SearchMS != 0 {
		t.Errorf("failed search timed: %v", res["searchfail"].SearchMS)
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	qs := []Question{
		{ID: "1", Question: "q", DocIDs: []string{"a.md"}, Type: TypeFactoid},
		{ID: "2", Question: "q", DocIDs: []string{"a.md"}, Type: TypeFactoid},
		{ID: "3", Question: "q", DocIDs: []string{"a.md"}, Type: TypeFactoid},
	}
	calls := 0
	search := func(ctx context.Context, q Question, _ int) ([]attache.Hit, error) {
		calls++
		if q.ID == "2" {
			cancel()
			return nil, ctx.Err()
		}
		return []attache.Hit{hit("kb/a.md", "")}, nil
	}
	rep, err := Run(ctx, qs, Options{Search: search})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if calls != 2 || len(rep.Results) != 1 || rep.Results[0].ID != "1" || rep.Overall.RecallAtK != 1 {
		t.Errorf("calls %d, results %+v", calls, rep.Results)
	}
	if _, err := Run(context.Background(), qs, Options{}); err == nil {
		t.Error("Run without a search function succeeded")
	}
}

func TestPercentileNearestRank(t *testing.T) {
	seq := func(n int) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = float64(i + 1)
		}
		return out
	}
	for _, c := range []struct {
		vals    []float64
		p, want float64
	}{
		{nil, 50, 0},
		{[]float64{7}, 50, 7},
		{[]float64{7}, 95, 7},
		{seq(10), 50, 5},
		{seq(10), 95, 10},
		{seq(20), 95, 19},
		{seq(20), 50, 10},
		{seq(4), 50, 2},
		{[]float64{1, 2, 3, 4, 5}, 50, 3},
		{seq(100), 95, 95},
		{seq(3), 0, 1},
		{seq(3), 100, 3},
	} {
		if got := percentile(c.vals, c.p); got != c.want {
			t.Errorf("percentile(%v, %v) = %v, want %v", c.vals, c.p, got, c.want)
		}
	}
}

func TestRunLatency(t *testing.T) {
	qs := []Question{
		{ID: "fast1", Question: "q", DocIDs: []string{"a.md"}, Type: TypeFactoid},
		{ID: "fast2", Question: "q", DocIDs: []string{"a.md"}, Type: TypeFactoid},
		{ID: "slow", Question: "q", DocIDs: []string{"a.md"}, Type: TypeDate},
	}
	search := func(_ context.Context, q Question, _ int) ([]attache.Hit, error) {
		if q.ID == "slow" {
			time.Sleep(30 * time.Millisecond)
		}
		return nil, nil
	}
	rep, err := Run(context.Background(), qs, Options{Search: search})
	if err != nil {
		t.Fatal(err)
	}
	res := byID(t, rep)
	if res["slow"].SearchMS < 30 {
		t.Errorf("slow search timed at %v ms", res["slow"].SearchMS)
	}
	o := rep.Overall
	// Nearest rank over three values: p50 is the second, p95 the third.
	if o.SearchP95MS != res["slow"].SearchMS || o.SearchP50MS != max(res["fast1"].SearchMS, res["fast2"].SearchMS) {
		t.Errorf("p50 %v p95 %v, results %+v", o.SearchP50MS, o.SearchP95MS, rep.Results)
	}
	if d := rep.ByType[TypeDate]; d.SearchP50MS != res["slow"].SearchMS {
		t.Errorf("per-type latency: %+v", d)
	}
}

func TestRunWarmUp(t *testing.T) {
	qs := []Question{
		{ID: "a", Question: "first", DocIDs: []string{"a.md"}, Type: TypeFactoid},
		{ID: "b", Question: "second", DocIDs: []string{"a.md"}, Type: TypeFactoid},
	}
	for _, warm := range []bool{false, true} {
		calls := map[string]int{}
		// A search that is slow the first time it sees a question, as one
		// with cold caches is.
		search := func(_ context.Context, q Question, _ int) ([]attache.Hit, error) {
			calls[q.ID]++
			if calls[q.ID] == 1 {
				time.Sleep(20 * time.Millisecond)
			}
			return []attache.Hit{{Passage: attache.Passage{DocID: "k/a.md", Path: "a.md"}}}, nil
		}
		rep, err := Run(context.Background(), qs, Options{Search: search, WarmUp: warm})
		if err != nil {
			t.Fatal(err)
		}
		want := 1
		if warm {
			want = 2
		}
		if calls["a"] != want || calls["b"] != want {
			t.Errorf("warm %v: searches per question %v, want %d", warm, calls, want)
		}
		if rep.WarmedUp != warm {
			t.Errorf("warm %v: report says warmed up %v", warm, rep.WarmedUp)
		}
		if slow := rep.Overall.SearchP95MS >= 20; slow == warm {
			t.Errorf("warm %v: p95 %v ms", warm, rep.Overall.SearchP95MS)
		}
		if rep.Overall.RecallAtK != 1 {
			t.Errorf("warm %v: recall %v, want 1 (the measured pass counts)", warm, rep.Overall.RecallAtK)
		}
	}
}

func TestRunCitationMetrics(t *testing.T) {
	cites := func(ns ...int) []attache.Citation {
		var out []attache.Citation
		for _, n := range ns {
			out = append(out, attache.Citation{N: n})
		}
		return out
	}
	answers := map[string]attache.Answer{
		// Valid; two cited sentences, both supported.
		"m1": {Mode: attache.ModeLLM, Answered: true, Text: "The talks began in Havana [1]. Both sides met again in May. [1][2]", Citations: cites(1, 2)},
		// [2] names no citation; one of two cited sentences unsupported.
		"m2": {Mode: attache.ModeLLM, Answered: true, Text: "Officials met in May [1]. The embargo ended in 2015 [2].",
			Citations: cites(1), Unsupported: []string{"The embargo ended in 2015."}},
		// A marker was removed; one supported sentence.
		"m3": {Mode: attache.ModeLLM, Answered: true, Text: "Trade grew [1].", Citations: cites(1),
			Warnings: []string{"removed citations to sources that were not given: [7]"}},
		// Valid; an unsupported sentence was dropped from the text.
		"m4": {Mode: attache.ModeLLM, Answered: true, Text: "Visas resumed in Havana [1].", Citations: cites(1),
			Unsupported: []string{"The embassy closed in 2019."}},
		// Refused before the model was asked: not measured.
		"r1": {Mode: attache.ModeLLM, Text: "The knowledge base does not cover this question.", Citations: cites()},
		// Extractive fall-back: not measured.
		"e1": {Mode: attache.ModeExtractive, Answered: true, Text: "Something happened [1] [3].", Citations: cites(1)},
	}
	var qs []Question
	for _, id := range []string{"m1", "m2", "m3", "m4", "r1", "e1"} {
		qs = append(qs, Question{ID: id, Question: "q", DocIDs: []string{"a.md"}, Type: TypeFactoid})
	}
	search := func(context.Context, Question, int) ([]attache.Hit, error) { return nil, nil }
	ask := func(_ context.Context, q Question) (attache.Answer, error) { return answers[q.ID], nil }

	rep, err := Run(context.Background(), qs, Options{Search: search, Ask: ask, WithModel: true})
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Overall
	if o.ModelAnswers != 4 || o.CitedSentences != 7 {
		t.Fatalf("model answers %d, cited sentences %d; want 4, 7", o.ModelAnswers, o.CitedSentences)
	}
	checkNear(t, "citation validity", o.CitationValidity, 2.0/4)
	// Supported: m1 2, m2 1, m3 1, m4 1; unsupported: m2 1, m4 1.
	checkNear(t, "supported share", o.SupportedShare, 5.0/7)
	checkNear(t, "false refusal", o.FalseRefusalRate, 1.0/6)

	rep, err = Run(context.Background(), qs, Options{Search: search, Ask: ask})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Overall.CitationValidity != 0 || rep.Overall.ModelAnswers != 0 || rep.Overall.SupportedShare != 0 {
		t.Errorf("citation metrics without a model: %+v", rep.Overall)
	}
	b, _ := json.Marshal(rep.Overall)
	if strings.Contains(string(b), "citation_validity") {
		t.Errorf("citation_validity present without a model: %s", b)
	}
}

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"  Migration\n\tTALKS ", "migration talks"},
		{"“Don’t” go", `"don't" go`},
		{"US–Cuba — talks", "us-cuba-talks"},
		{"US - Cuba", "us-cuba"},
		{"Rodríguez\u00a0said", "rodriguez said"},
		{"", ""},
	} {
		if got := normalize(c.in); got != c.want {
			t.Errorf("normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestReadQuestions(t *testing.T) {
	in := "\uFEFF# comment\n\n" +
		`{"id":"a","question":" Who led it? ","doc_ids":["kb/a.md"," b.md "],"evidence":"Craig Kelly","type":"who"}` + "\n" +
		"   # indented comment\n" +
		`{"id":"b","question":"And then?","doc_ids":["a.md"],"type":"date","history":[{"role":"user","content":"Who led it?"}]}` + "\n" +
		`{"id":"c","question":"Will it rain?","type":"unanswerable"}`
	qs, err := ReadQuestions(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 3 {
		t.Fatalf("%d questions: %+v", len(qs), qs)
	}
	a := qs[0]
	if a.ID != "a" || a.Question != "Who led it?" || a.Evidence != "Craig Kelly" || a.Type != TypeWho ||
		len(a.DocIDs) != 2 || a.DocIDs[1] != "b.md" || !a.Answerable() {
		t.Errorf("first question: %+v", a)
	}
	if len(qs[1].History) != 1 || qs[1].History[0].Content != "Who led it?" {
		t.Errorf("history: %+v", qs[1].History)
	}
	if qs[2].Answerable() || len(qs[2].DocIDs) != 0 {
		t.Errorf("unanswerable: %+v", qs[2])
	}
}

func TestReadQuestionsErrors(t *testing.T) {
	good := `{"id":"ok","question":"q","doc_ids":["a.md"],"type":"factoid"}`
	for _, c := range []struct {
		name, line string
		want       []string
	}{
		{"unknown type", `{"id":"x","question":"q","doc_ids":["a.md"],"type":"opinion"}`, []string{"line 3", "type", `"opinion"`}},
		{"missing type", `{"id":"x","question":"q","doc_ids":["a.md"]}`, []string{"line 3", "type: missing"}},
		{"missing question", `{"id":"x","question":"  ","doc_ids":["a.md"],"type":"who"}`, []string{"line 3", "question: missing"}},
		{"missing id", `{"question":"q","doc_ids":["a.md"],"type":"who"}`, []string{"line 3", "id: missing"}},
		{"duplicate id", `{"id":"ok","question":"q2","doc_ids":["a.md"],"type":"who"}`, []string{"line 3", "id", "duplicate", "line 1"}},
		{"unanswerable with docs", `{"id":"x","question":"q","doc_ids":["a.md"],"type":"unanswerable"}`, []string{"line 3", "doc_ids", "unanswerable"}},
		{"answerable without docs", `{"id":"x","question":"q","doc_ids":[" "],"type":"why"}`, []string{"line 3", "doc_ids: missing", "why"}},
		{"bad field type", `{"id":"x","question":"q","doc_ids":"a.md","type":"who"}`, []string{"line 3", "doc_ids"}},
		{"bad role", `{"id":"x","question":"q","doc_ids":["a.md"],"type":"who","history":[{"role":"system","content":"c"}]}`, []string{"line 3", "history[0].role"}},
		{"not JSON", `id: x`, []string{"line 3", "not a JSON object"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			after := `{"id":"later","question":"q","doc_ids":["b.md"],"type":"date"}`
			_, err := ReadQuestions(strings.NewReader(good + "\n\n" + c.line + "\n" + after + "\n"))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadQuestions(t *testing.T) {
	qs, err := LoadQuestions(filepath.Join("testdata", "questions.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) != 3 || qs[1].ID != "talks-when" || len(qs[1].History) != 2 || qs[2].Type != TypeUnanswerable {
		t.Errorf("questions: %+v", qs)
	}
	_, err = LoadQuestions(filepath.Join("testdata", "invalid.jsonl"))
	if err == nil || !strings.Contains(err.Error(), "invalid.jsonl: line 5: id: duplicate") || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("invalid file: %v", err)
	}
	_, err = LoadQuestions(filepath.Join(t.TempDir(), "absent.jsonl"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("absent file: %v", err)
	}
}

func TestWriteText(t *testing.T) {
	qs, f := retrievalCase()
	ask := func(_ context.Context, q Question) (attache.Answer, error) {
		// a2 is refused; u1 is answered although it should not be.
		if q.ID == "a2" {
			return attache.Answer{Reason: "names: Peru"}, nil
		}
		return attache.Answer{Answered: true}, nil
	}
	rep, err := Run(context.Background(), qs, Options{K: 5, Search: f.search, Ask: ask})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "False refusals by the rule that refused:\n  names          1\n") {
		t.Errorf("report lacks the false refusals by rule:\n%s", out)
	}
	lines := strings.Split(out, "\n")
	row := func(name string) string {
		for _, l := range lines {
			if f := strings.Fields(l); len(f) > 0 && f[0] == name {
				return l
			}
		}
		t.Fatalf("no %q row in:\n%s", name, out)
		return ""
	}
	overall := strings.Fields(row("overall"))
	// TYPE N RECALL MRR EVID@1 EVID@k REFUSAL FALSE-REFUSAL P50 P95 ERRORS,
	// each rate followed by its count.
	want := []string{"overall", "6", "0.600", "3/5", "0.367", "0.333", "1/3", "0.667", "2/3", "0.000", "0/1", "0.200", "1/5"}
	if len(overall) != 18 || strings.Join(overall[:13], " ") != strings.Join(want, " ") {
		t.Errorf("overall row %v, want prefix %v", overall, want)
	}
	if f := strings.Fields(row("factoid")); f[1] != "3" || f[2] != "0.667" || f[3] != "2/3" || f[4] != "0.444" {
		t.Errorf("factoid row %v", f)
	}
	if f := strings.Fields(row("unanswerable")); f[2] != "-" || f[6] != "0.000" || f[7] != "0/1" {
		t.Errorf("unanswerable row %v", f)
	}
	// The second table: the 95% intervals, the last rows of each name.
	var intervals []string
	for _, l := range lines {
		if f := strings.Fields(l); len(f) > 0 && f[0] == "overall" {
			intervals = f
		}
	}
	// recall 3/5, MRR over (1, 1/3, 0, 1/2, 0), evidence@1 1/3, evidence@5 2/3, refusal 0/1, false refusal 1/5.
	want = []string{"overall", "0.231-0.882", "0.003-0.730", "0.061-0.792", "0.208-0.939", "0.000-0.793", "0.036-0.624", "0.000-0.561"}
	if strings.Join(intervals, " ") != strings.Join(want, " ") {
		t.Errorf("overall intervals %v, want %v\n%s", intervals, want, out)
	}
	for _, w := range []string{"RECALL@5", "Misses (4)", "a3 [date] expected document not retrieved, evidence not retrieved: When did it end?",
		"expected: missing.md", "top docs: kb/old-missing.md", "a2 [factoid] refused (names: Peru)", "u1 [unanswerable] answered, should refuse",
		"a5 [factoid]", "top docs: kb/1.md, kb/2.md, kb/3.md, kb/4.md, kb/5.md"} {
		if !strings.Contains(out, w) {
			t.Errorf("report lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "a1 [") {
		t.Errorf("a1 listed as a miss:\n%s", out)
	}
}

// TestAnswerEvidence: an extractive answer counts when its text quotes the
// evidence, citation markers between its sentences aside; an answer that
// quotes another sentence, or a refusal, does not.
func TestAnswerEvidence(t *testing.T) {
	qs, f := retrievalCase()
	texts := map[string]string{
		"a1": "The migration [1] talks began on Friday. [1]", // the marker stands inside the span
		"a2": "Nothing said here. [1]",
	}
	ask := func(_ context.Context, q Question) (attache.Answer, error) {
		if q.ID == "a3" {
			return attache.Answer{Text: "never there", Reason: "detail: date"}, nil // refused
		}
		return attache.Answer{Answered: true, Text: texts[q.ID]}, nil
	}
	rep, err := Run(context.Background(), qs, Options{K: 5, Search: f.search, Ask: ask})
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Overall
	if o.AnswerEvidenceCI == nil || o.AnswerEvidenceCI.Hits != 1 || o.AnswerEvidenceCI.N != 3 {
		t.Fatalf("answer evidence %+v, want 1 of 3", o.AnswerEvidenceCI)
	}
	checkNear(t, "answer evidence", o.AnswerEvidence, 1.0/3)
	for _, r := range rep.Results {
		if r.Quoted != (r.ID == "a1") {
			t.Errorf("%s: quoted %v", r.ID, r.Quoted)
		}
	}
	rep, err = Run(context.Background(), qs, Options{K: 5, Search: f.search, Ask: ask, WithModel: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Overall.AnswerEvidenceCI != nil {
		t.Errorf("a model's answers measured by quotation: %+v", rep.Overall.AnswerEvidenceCI)
	}
}

func TestReportJSON(t *testing.T) {
	qs, f := retrievalCase()
	rep, err := Run(context.Background(), qs, Options{K: 3, Search: f.search})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	overall, _ := m["overall"].(map[string]any)
	for _, k := range []string{"n", "recall_at_k", "mrr", "evidence_at_1", "evidence_at_k", "refusal_rate",
		"false_refusal_rate", "search_p50_ms", "search_p95_ms", "answerable", "unanswerable", "with_evidence"} {
		if _, ok := overall[k]; !ok {
			t.Errorf("overall lacks %q: %s", k, b)
		}
	}
	recall, _ := overall["recall_at_k_ci"].(map[string]any)
	if recall["hits"] != 3.0 || recall["n"] != 5.0 || recall["rate"] != overall["recall_at_k"] ||
		recall["low"].(float64) >= 0.6 || recall["high"].(float64) <= 0.6 {
		t.Errorf("recall_at_k_ci %v", recall)
	}
	if mrr, _ := overall["mrr_ci"].(map[string]any); mrr["mean"] != overall["mrr"] || mrr["n"] != 5.0 {
		t.Errorf("mrr_ci %v", mrr)
	}
	if _, ok := overall["citation_validity_ci"]; ok {
		t.Errorf("citation interval without a model: %s", b)
	}
	if m["k"] != 3.0 || overall["answerable"] != 5.0 {
		t.Errorf("k %v answerable %v", m["k"], overall["answerable"])
	}
	results, _ := m["results"].([]any)
	if len(results) != 6 {
		t.Fatalf("results: %v", m["results"])
	}
	first, _ := results[0].(map[string]any)
	for _, k := range []string{"id", "type", "rank", "evidence_rank", "answered", "search_ms", "top_docs"} {
		if _, ok := first[k]; !ok {
			t.Errorf("result lacks %q: %v", k, first)
		}
	}
	if bt, _ := m["by_type"].(map[string]any); bt["who"] == nil {
		t.Errorf("by_type: %v", m["by_type"])
	}
}

func TestWilson(t *testing.T) {
	t.Parallel()
	// Reference values of the Wilson score interval at 95%.
	for _, c := range []struct {
		hits, n   int
		low, high float64
	}{
		{0, 10, 0, 0.2775},
		{10, 10, 0.7225, 1},
		{5, 10, 0.2366, 0.7634},
		{41, 44, 0.8177, 0.9765},
		{1, 1, 0.2065, 1},
	} {
		p := wilson(c.hits, c.n)
		if p.Hits != c.hits || p.N != c.n || math.Abs(p.Rate-float64(c.hits)/float64(c.n)) > 1e-12 ||
			math.Abs(p.Low-c.low) > 5e-4 || math.Abs(p.High-c.high) > 5e-4 {
			t.Errorf("wilson(%d, %d) = %+v, want [%.4f, %.4f]", c.hits, c.n, p, c.low, c.high)
		}
	}
	if p := wilson(0, 0); p != (Proportion{}) {
		t.Errorf("wilson(0, 0) = %+v", p)
	}
}

func TestMeanInterval(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		values          []float64
		mean, low, high float64
	}{
		{nil, 0, 0, 0},
		{[]float64{0.5}, 0.5, 0.5, 0.5},
		{[]float64{1, 1, 1}, 1, 1, 1},
		// mean 0.5, sample sd 0.5774, se 0.2887: 0.5 ± 0.5658.
		{[]float64{0, 0, 1, 1}, 0.5, 0, 1},
		{[]float64{0.5, 1, 0.5, 1, 0.5, 1, 0.5, 1}, 0.75, 0.5648, 0.9352},
	} {
		iv := meanInterval(c.values)
		if iv.N != len(c.values) || math.Abs(iv.Mean-c.mean) > 1e-9 || math.Abs(iv.Low-c.low) > 5e-4 || math.Abs(iv.High-c.high) > 5e-4 {
			t.Errorf("meanInterval(%v) = %+v, want %.4f [%.4f, %.4f]", c.values, iv, c.mean, c.low, c.high)
		}
	}
}

func TestSelectHalf(t *testing.T) {
	t.Parallel()
	var qs []Question
	for i := range 40 {
		qs = append(qs, Question{ID: fmt.Sprint("q", i), DocIDs: []string{fmt.Sprintf("doc-%d.md", i%10)}, Type: TypeFactoid})
	}
	tune, err := SelectHalf(qs, HalfTune)
	if err != nil {
		t.Fatal(err)
	}
	test, err := SelectHalf(qs, HalfTest)
	if err != nil {
		t.Fatal(err)
	}
	all, err := SelectHalf(qs, HalfAll)
	if err != nil || len(all) != len(qs) {
		t.Fatalf("all: %d questions, %v", len(all), err)
	}
	if len(tune) == 0 || len(test) == 0 || len(tune)+len(test) != len(qs) {
		t.Fatalf("tune %d + test %d of %d", len(tune), len(test), len(qs))
	}
	// No document has questions in both halves.
	docs := map[string]bool{}
	for _, q := range tune {
		docs[q.DocIDs[0]] = true
	}
	for _, q := range test {
		if docs[q.DocIDs[0]] {
			t.Errorf("%s is in both halves", q.DocIDs[0])
		}
	}
	if _, err := SelectHalf(qs, "both"); err == nil || !strings.Contains(err.Error(), `"both"`) {
		t.Errorf("unknown half: %v", err)
	}
}

func TestReportByRule(t *testing.T) {
	t.Parallel()
	qs := []Question{
		{ID: "a", Question: "When?", DocIDs: []string{"a.md"}, Type: TypeDate},
		{ID: "a~year", Question: "When, then?", Origin: "a.md", Type: TypeUnanswerable, Rule: RuleYear},
		{ID: "a~country", Question: "When, there?", Origin: "a.md", Type: TypeUnanswerable, Rule: RuleCountry},
		{ID: "b~country", Question: "Where, there?", Origin: "b.md", Type: TypeUnanswerable, Rule: RuleCountry},
	}
	search := func(context.Context, Question, int) ([]attache.Hit, error) { return nil, nil }
	ask := func(_ context.Context, q Question) (attache.Answer, error) {
		return attache.Answer{Answered: q.ID == "b~country"}, nil
	}
	rep, err := Run(context.Background(), qs, Options{Search: search, Ask: ask})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.ByRule) != 2 || rep.ByRule[RuleCountry].RefusalCI != wilson(1, 2) || rep.ByRule[RuleYear].RefusalCI != wilson(1, 1) {
		t.Errorf("by rule: %+v", rep.ByRule)
	}
	if rep.Results[1].Rule != RuleYear || rep.Results[0].Rule != "" {
		t.Errorf("results: %+v", rep.Results)
	}
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "rule:country") || !strings.Contains(buf.String(), "0.500 1/2") {
		t.Errorf("text report:\n%s", buf.String())
	}
	// A set without generated questions has no rule rows.
	rep, err = Run(context.Background(), qs[:1], Options{Search: search, Ask: ask})
	if err != nil || rep.ByRule != nil {
		t.Errorf("by rule without generated questions: %+v, %v", rep.ByRule, err)
	}
}

func TestMatchesAnyPathForm(t *testing.T) {
	escape := func(p string) string { return strings.ReplaceAll(p, "%", "%25") }
	h := attache.Hit{Passage: attache.Passage{DocID: "kb/rates-50%25.md", Path: "rates-50%25.md"}}
	tests := []struct {
		docs []string
		form func(string) string
		want bool
	}{
		{[]string{"rates-50%25.md"}, nil, true},  // as printed
		{[]string{"rates-50%.md"}, escape, true}, // as the file is named
		{[]string{"rates-50%.md"}, nil, false},   // no form known
		{[]string{"kb/rates-50%.md"}, escape, true},
		{[]string{"other.md"}, escape, false},
	}
	for _, tt := range tests {
		if got := matchesAny(h, tt.docs, tt.form); got != tt.want {
			t.Errorf("matchesAny(%v) = %v, want %v", tt.docs, got, tt.want)
		}
	}
}
