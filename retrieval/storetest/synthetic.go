package storetest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"attache"
	"attache/retrieval"
)

// Function words lead the vocabulary so that, as in real prose, they make up
// a large share of every passage. SyntheticQueries never uses them, just as
// a query builder drops stop words.
var syntheticStopWords = strings.Fields(`the of and to in a that for is on with
as by was said it at from be has have he its are an not this which were or but
had will their they his been would who more also after over than into about
other all there new one two can when some could if up only out we our them`)

// Domain words are spread over the frequent and middle ranks so that queries
// about countries, talks and sanctions hit realistic numbers of passages.
var syntheticDomainWords = strings.Fields(`cuba cuban united states havana
washington migration migrants talks embargo sanctions government president
minister foreign relations bilateral agreement officials department state
policy trade travel remittances embassy diplomatic diplomats refugees asylum
border coast guard visas visa immigration deportation repatriation accords
mexico canada haiti venezuela guatemala honduras salvador nicaragua colombia
brazil argentina chile peru ecuador bolivia panama dominican jamaica bahamas
spain russia china europe caribbean latin america florida miami congress
senate house administration obama biden trump clinton bush castro raul fidel
diaz canel maduro obrador trudeau human rights prisoners dissidents protests
economy economic aid assistance humanitarian hurricane crisis security
cooperation military navy guantanamo base treaty negotiations delegation
meeting summit joint statement declaration announcement measures restrictions
licenses exports imports tourism flights cruise ships airlines investment
business companies property claims compensation helms burton act law court
ruling vote resolution nations general assembly oas organization regional
energy oil fuel blackout food shortages medicine doctors health pandemic
vaccine covid internet telecommunications communications media press
journalists elections democracy opposition reform reforms market private
sector workers labor unions families family reunification program parole
lottery quota rafters balseros exodus mariel boatlift wet foot dry policy
smuggling trafficking narcotics drugs enforcement terrorism list sponsor
designation review report secretary spokesman ambassador envoy counterpart
january february march april may june july august september october november
december monday tuesday wednesday thursday friday week month year years
1959 1962 1980 1994 1995 1996 2000 2009 2010 2014 2015 2016 2017 2019 2020
2021 2022 2023 2024`)

// syntheticVocab is the full vocabulary in frequency-rank order (rank 0 is the
// most frequent). It is built once, deterministically.
var syntheticVocab, syntheticFirstContent = buildSyntheticVocab()

const syntheticVocabSize = 5000

func buildSyntheticVocab() ([]string, int) {
	seen := make(map[string]bool)
	var vocab []string
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	for _, w := range syntheticStopWords {
		add(w)
	}
	first := len(vocab)
	// Pseudo-words from syllables fill the rest; domain words are
	// interleaved among them from the frequent ranks downwards so that both
	// kinds occur at every frequency.
	syll := strings.Fields(`ba be bi bo bu da de di do du fa fe fi fo ka ke ki ko
la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se
si so ta te ti to tu va ve vi vo za ze zi zo`)
	r := rand.New(rand.NewPCG(1, 2))
	domain := syntheticDomainWords
	next := 0
	for len(vocab) < syntheticVocabSize {
		// One domain word for every two pseudo-words until they run out.
		if next < len(domain) && len(vocab)%3 == 0 {
			add(domain[next])
			next++
			continue
		}
		n := 2 + r.IntN(3)
		var b strings.Builder
		for range n {
			b.WriteString(syll[r.IntN(len(syll))])
		}
		add(b.String())
	}
	return vocab, first
}

// Synthetic returns a deterministic corpus of nDocs documents with
// passagesPerDoc passages of about wordsPerPassage words each, for benchmarks
// and load tests. Words follow a Zipf-like distribution over a vocabulary of a
// few thousand words (function words, country names, years, diplomatic terms
// and pseudo-words), so term frequencies, and therefore query costs, behave
// like those of a news archive. Documents are spread over three sources and
// carry full, partial and missing dates. The same arguments always give the
// same corpus.
func Synthetic(nDocs, passagesPerDoc, wordsPerPassage int, seed int64) []retrieval.IndexedDoc {
	r := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(syntheticVocab)-1))
	sources := []string{"knowledge", "archive", "wire"}
	outlets := []string{"Reuters", "AP", "Granma", "State Department", "El País", ""}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

	docs := make([]retrieval.IndexedDoc, 0, nDocs)
	for i := range nDocs {
		source := sources[i%len(sources)]
		year := 1990 + r.IntN(35)
		month := 1 + r.IntN(12)
		day := 1 + r.IntN(28)
		var date string
		switch k := r.IntN(20); {
		case k == 0:
			date = ""
		case k == 1:
			date = fmt.Sprintf("%04d", year)
		case k <= 3:
			date = fmt.Sprintf("%04d-%02d", year, month)
		default:
			date = fmt.Sprintf("%04d-%02d-%02d", year, month, day)
		}
		path := fmt.Sprintf("%04d/doc-%06d.md", year, i)
		id := source + "/" + path

		// Titles favour content words from the frequent and middle ranks.
		nTitle := 4 + r.IntN(6)
		titleWords := make([]string, nTitle)
		for j := range titleWords {
			titleWords[j] = syntheticVocab[syntheticFirstContent+r.IntN(600)]
		}
		title := strings.ToUpper(titleWords[0][:1]) + titleWords[0][1:] + " " + strings.Join(titleWords[1:], " ")

		var text strings.Builder
		passages := make([]attache.Passage, 0, passagesPerDoc)
		for j := range passagesPerDoc {
			if j > 0 {
				text.WriteString("\n\n")
			}
			start := text.Len()
			n := wordsPerPassage/2 + r.IntN(wordsPerPassage+1)
			for w := range n {
				word := syntheticVocab[zipf.Uint64()]
				switch {
				case w == 0:
					text.WriteString(strings.ToUpper(word[:1]) + word[1:])
				case w%14 == 13:
					text.WriteString(". ")
					text.WriteString(word)
				case w%9 == 8:
					text.WriteString(", ")
					text.WriteString(word)
				default:
					text.WriteByte(' ')
					text.WriteString(word)
				}
			}
			text.WriteByte('.')
			end := text.Len()
			passages = append(passages, attache.Passage{
				ID: fmt.Sprintf("%s#%d", id, j), DocID: id, Ordinal: j, Start: start, End: end,
			})
		}
		body := text.String()
		doc := attache.Document{
			ID: id, Source: source, Path: path, Title: title, Date: date,
			URL:      "https://example.org/" + path,
			Outlet:   outlets[i%len(outlets)],
			Language: "en",
			Tags:     []string{syntheticVocab[syntheticFirstContent+r.IntN(50)]},
			Text:     body,
			Hash:     fmt.Sprintf("%064x", r.Uint64()),
			Size:     int64(len(body)),
			ModTime:  base.Add(time.Duration(i)*time.Minute + time.Duration(r.IntN(1e9))),
		}
		for j := range passages {
			p := &passages[j]
			p.Text = body[p.Start:p.End]
			p.Title, p.Date, p.URL, p.Source, p.Path, p.Outlet = title, date, doc.URL, source, path, doc.Outlet
		}
		docs = append(docs, retrieval.IndexedDoc{Doc: doc, Passages: passages})
	}
	return docs
}

// SyntheticQueries returns n deterministic queries of 3 to 6 distinct terms
// drawn from the Synthetic vocabulary, mixing frequent, middle and rare words
// (never function words), like the terms a query builder keeps from a
// question.
func SyntheticQueries(n int, seed int64) [][]retrieval.Term {
	r := rand.New(rand.NewPCG(uint64(seed), 0x9e37))
	content := syntheticVocab[syntheticFirstContent:]
	out := make([][]retrieval.Term, 0, n)
	for range n {
		k := 3 + r.IntN(4)
		seen := make(map[string]bool, k)
		terms := make([]retrieval.Term, 0, k)
		for len(terms) < k {
			var w string
			switch p := r.IntN(10); {
			case p < 4: // frequent
				w = content[r.IntN(300)]
			case p < 7: // middle
				w = content[300+r.IntN(1200)]
			default: // rare
				w = content[1500+r.IntN(len(content)-1500)]
			}
			if seen[w] {
				continue
			}
			seen[w] = true
			terms = append(terms, retrieval.Term{Text: w, Weight: 1})
		}
		out = append(out, terms)
	}
	return out
}
