package text

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

func zzNear(p *Passage, a Ask, qstems, exclude map[string]bool) []string {
	shared := make([]int, len(p.spans))
	best := 0
	counted := make(map[string]int, len(qstems))
	from := 0
	for i, end := range p.ends {
		for _, st := range p.stems[from:end] {
			if qstems[st] && counted[st] != i+1 {
				counted[st] = i + 1
				shared[i]++
			}
		}
		from = end
		best = max(best, shared[i])
	}
	need := max(best-1, min(2, len(qstems)))
	if len(a.Of) > 0 && !a.Money && !a.Share {
		need = min(need, 2)
	}
	reach := 1
	if a.Money || a.Share || (a.Type == TypeNumber || a.Type == TypeAmount) && len(a.Of) == 0 {
		reach = 0
	}
	ex := union(exclude, p.setting)
	var out []string
	for i := range p.spans {
		near, self := false, shared[i] >= need
		for j := max(i-reach, 0); j <= min(i+reach, len(p.spans)-1) && !near; j++ {
			near = shared[j] >= need
		}
		if !near {
			continue
		}
		sp := p.spans[i]
		if a.HeldBy(p.text[sp.Start:sp.End], p.date, ex) {
			out = append(out, fmt.Sprintf("self=%v sh=%d/%d: %.250s", self, shared[i], need, p.text[sp.Start:sp.End]))
		}
	}
	return out
}

func TestZZWhy(t *testing.T) {
	f, err := os.Open(os.Getenv("ZZ_IN"))
	if err != nil {
		t.Skip()
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<22), 1<<22)
	for sc.Scan() {
		var rec struct {
			Question string
			Hits     []struct {
				Text, Date, Title string
				Coverage          float64
				Missing           []string
				Lacks             string
			}
		}
		json.Unmarshal(sc.Bytes(), &rec)
		a := AskOf(rec.Question)
		if a.Type == TypeNone {
			continue
		}
		qstems, exclude := QuestionWords(EnglishQuery(rec.Question))
		fmt.Printf("\n## %s [%s head=%q of=%v]\n", rec.Question, a.Type, a.Head, a.Of)
		for hi, h := range rec.Hits {
			if h.Coverage < 0.45 || len(h.Missing) > 0 || h.Lacks != "" {
				continue
			}
			p := ReadPassage(h.Text, h.Date)
			for _, l := range zzNear(p, a, qstems, exclude) {
				fmt.Printf("  hit%d %s\n", hi+1, l)
			}
		}
	}
}
