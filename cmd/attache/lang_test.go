package main

import (
	"strings"
	"sync/atomic"
	"testing"

	"attache/internal/fakellm"
)

// englishQueries answers condensing requests with the English search query
// a model would write for each Spanish question, and everything else as
// fakellm.Grounded does.
func englishQueries(queries map[string]string, condensed *atomic.Int32) func(int, fakellm.Request) fakellm.Reply {
	return func(_ int, r fakellm.Request) fakellm.Reply {
		u := r.LastUser()
		if !strings.Contains(u, "Standalone search query:") {
			return fakellm.Grounded(r)
		}
		condensed.Add(1)
		for es, en := range queries {
			if strings.Contains(u, es) {
				return fakellm.Reply{Text: en}
			}
		}
		return fakellm.Reply{Text: ""}
	}
}

func TestSpanishQuestionWithModel(t *testing.T) {
	t.Parallel()
	const (
		covered   = "¿Qué discutieron las delegaciones de Estados Unidos y Cuba en La Habana en febrero de 2010?"
		uncovered = "¿Qué decidió el parlamento marciano sobre las cuotas de minería de asteroides?"
	)
	var condensed atomic.Int32
	fake := fakellm.New(t, englishQueries(map[string]string{
		covered:   "What did the US and Cuban delegations discuss in Havana in February 2010?",
		uncovered: "What did the Martian parliament decide about asteroid mining quotas?",
	}, &condensed))
	env := llmEnv(t, fake.BaseURL())
	args := bundled(t)

	a := askLLM(t, env, append(args, "ask", "--json", covered)...)
	if !a.Answered || a.Mode != "llm" || len(a.Citations) == 0 || !strings.Contains(a.Citations[0].Path, "2010-02-us-cuba") {
		t.Fatalf("answered %v mode %q citations %+v: %s", a.Answered, a.Mode, a.Citations, a.Answer)
	}
	reqs := fake.Requests()
	if len(reqs) != 2 || condensed.Load() != 1 {
		t.Fatalf("%d requests, %d to condense; want one to condense, one to answer", len(reqs), condensed.Load())
	}
	if sys := reqs[0].System(); !strings.Contains(sys, "in English") {
		t.Errorf("condensing prompt does not ask for English:\n%s", sys)
	}
	if !strings.Contains(reqs[1].LastUser(), "Question: "+covered) {
		t.Errorf("the model was not asked the question as asked:\n%s", reqs[1].LastUser())
	}
	if !strings.Contains(a.Answer, "(Nota: la fuente más reciente aquí es de febrero de 2010;") {
		t.Errorf("date note not in Spanish: %s", a.Answer)
	}

	r := askLLM(t, env, append(args, "ask", "--json", uncovered)...)
	if r.Answered || len(r.Citations) != 0 || !strings.HasPrefix(r.Answer, "La base de conocimiento no cubre esta pregunta.") {
		t.Errorf("expected a Spanish refusal: %+v", r)
	}
	if n := len(fake.Requests()); n != 3 || condensed.Load() != 2 {
		t.Errorf("%d requests, %d to condense: the refusal called the model to answer", n, condensed.Load())
	}
}

func TestEnglishQuestionNotCondensed(t *testing.T) {
	t.Parallel()
	var condensed atomic.Int32
	fake := fakellm.New(t, englishQueries(nil, &condensed))
	a := askLLM(t, llmEnv(t, fake.BaseURL()), append(bundled(t), "ask", "--json", seedQ)...)
	if !a.Answered || condensed.Load() != 0 || len(fake.Requests()) != 1 {
		t.Errorf("answered %v after %d requests, %d to condense", a.Answered, len(fake.Requests()), condensed.Load())
	}
}

func TestMissingDetailDoesNotCallModel(t *testing.T) {
	t.Parallel()
	fake := fakellm.New(t, nil)
	a := askLLM(t, llmEnv(t, fake.BaseURL()), append(bundled(t), "ask", "--json",
		"Who led the July 2009 round of migration talks in New York?")...)
	if a.Answered || a.Mode != "extractive" || len(a.Citations) == 0 {
		t.Fatalf("answered %v mode %q with %d citations: %s", a.Answered, a.Mode, len(a.Citations), a.Answer)
	}
	if !strings.HasPrefix(a.Answer, "The articles found do not say who led the July 2009 round of migration talks in New York. What they do report:") {
		t.Errorf("partial answer: %s", a.Answer)
	}
	if !strings.Contains(a.Citations[0].Path, "2010-02-us-cuba") {
		t.Errorf("cites %+v", a.Citations)
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("model called %d times for a detail the articles do not give", n)
	}
}
