package migrate

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	file := func(sql string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(sql)} }
	tests := []struct {
		name     string
		files    fstest.MapFS
		versions []int
		err      string
	}{
		{"in order, with a gap", fstest.MapFS{"m/006_c.sql": file("C"), "m/001_a.sql": file("A"), "m/002_b.sql": file("B")}, []int{1, 2, 6}, ""},
		{"no number", fstest.MapFS{"m/001_a.sql": file("A"), "m/init.sql": file("B")}, nil, "does not start with a number"},
		{"number zero", fstest.MapFS{"m/000_a.sql": file("A")}, nil, "does not start with a number"},
		{"first is not 1", fstest.MapFS{"m/002_a.sql": file("A")}, nil, "must be number 1"},
		{"number taken", fstest.MapFS{"m/001_a.sql": file("A"), "m/001_b.sql": file("B")}, nil, "is taken by"},
		{"a file that is no migration", fstest.MapFS{"m/001_a.sql": file("A"), "m/README": nil}, nil, "does not start with a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := Load(tt.files, "m")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, m := range ms {
				got = append(got, m.Version)
			}
			if !slices.Equal(got, tt.versions) || ms[0].SQL != "A" || Latest(ms) != tt.versions[len(tt.versions)-1] {
				t.Errorf("versions %v (first SQL %q, latest %d), want %v", got, ms[0].SQL, Latest(ms), tt.versions)
			}
		})
	}
}

func TestPending(t *testing.T) {
	list := func(vs ...int) []Migration {
		out := make([]Migration, len(vs))
		for i, v := range vs {
			out[i] = Migration{Version: v}
		}
		return out
	}
	tests := []struct {
		name    string
		ms      []Migration
		applied []int
		want    []int
	}{
		{"new schema", list(1, 2, 3, 4, 6), nil, []int{1, 2, 3, 4, 6}},
		{"up to date", list(1, 2, 3, 4, 6), []int{1, 2, 3, 4, 6}, nil},
		{"behind", list(1, 2, 3, 4, 6), []int{1, 2, 3}, []int{4, 6}},
		{"a gap filled later", list(1, 2, 3, 4, 5, 6), []int{1, 2, 3, 4, 6}, []int{5}},
		{"behind and a gap filled", list(1, 2, 3, 4, 5, 6, 7), []int{1, 2, 4, 6}, []int{3, 5, 7}},
	}
	if _, err := Pending(list(1, 2), []int{1, 2, 3}); err == nil || err.(*NewerError).Version != 3 || err.(*NewerError).Latest != 2 {
		t.Errorf("a newer database: %v, want a NewerError at 3 over 2", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			todo, err := Pending(tt.ms, tt.applied)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, m := range todo {
				got = append(got, m.Version)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Pending = %v, want %v", got, tt.want)
			}
		})
	}
}
