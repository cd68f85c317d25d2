package retrieval

import "testing"

func TestDocFreqCache(t *testing.T) {
	var c DocFreqCache
	if _, _, ok := c.Recent([]string{"cuba"}); ok {
		t.Fatal("an empty cache served counts")
	}
	known, total := c.Known(5, []string{"cuba"})
	if len(known) != 0 || total != -1 {
		t.Fatalf("Known on an empty cache: %v %d", known, total)
	}
	c.Put(5, 100, map[string]int{"cuba": 7})
	if got, total, ok := c.Recent([]string{"cuba"}); !ok || got["cuba"] != 7 || total != 100 {
		t.Errorf("Recent after Put: %v %d %v", got, total, ok)
	}
	if _, _, ok := c.Recent([]string{"cuba", "haiti"}); ok {
		t.Error("served counts with a term it lacks")
	}
	// An older snapshot gets nothing and leaves the cache alone.
	if known, total := c.Known(4, []string{"cuba"}); len(known) != 0 || total != -1 {
		t.Errorf("Known on an older snapshot: %v %d", known, total)
	}
	c.Put(4, 90, map[string]int{"cuba": 6})
	if got, _, _ := c.Recent([]string{"cuba"}); got["cuba"] != 7 {
		t.Errorf("an older snapshot's count replaced the cached one: %v", got)
	}
	// A newer generation replaces everything.
	c.Put(6, 110, map[string]int{"haiti": 3})
	if _, _, ok := c.Recent([]string{"cuba"}); ok {
		t.Error("counts of an older generation served after a newer one")
	}
	// After this process writes, a read that began before the write is not
	// kept; one of the new generation is.
	c.Invalidate()
	if c.Valid() {
		t.Fatal("the cache is valid after Invalidate")
	}
	c.Put(6, 110, map[string]int{"haiti": 3})
	if _, _, ok := c.Recent([]string{"haiti"}); ok {
		t.Error("a read from before this process's write was kept")
	}
	c.Put(7, 111, map[string]int{"haiti": 4})
	if got, total, ok := c.Recent([]string{"haiti"}); !ok || got["haiti"] != 4 || total != 111 {
		t.Errorf("the new generation's counts: %v %d %v", got, total, ok)
	}
}
