package postgres

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// shardCheckEvery is how often the connection holding a process's shards
// is checked: a lost connection frees the shards for other processes, so
// the holder must learn of it soon.
var shardCheckEvery = 5 * time.Second

// ClaimShards takes up to want of the bot's count gateway shards that no
// other process holds, and holds them until release is called or the
// process's connection ends. Each shard is a session-level advisory lock,
// keyed by the schema and the shard, on a connection of its own taken out
// of the pool: a process that stops (or crashes) frees its shards with its
// connection, and the next process to start takes them. The connection is
// checked every few seconds; when it is gone, lost is called once.
func (s *Store) ClaimShards(ctx context.Context, count, want int, lost func(error)) (ids []int, release func(), err error) {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, nil, unavailable(err)
	}
	conn := c.Hijack()
	for id := 0; id < count && len(ids) < want; id++ {
		var ok bool
		err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtext('attache_shards:' || current_schema()), $1)`, id).Scan(&ok)
		if err != nil {
			conn.Close(context.Background())
			return nil, nil, fmt.Errorf("claim shard %d: %w", id, err)
		}
		if ok {
			ids = append(ids, id)
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(shardCheckEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			pctx, cancel := context.WithTimeout(context.Background(), shardCheckEvery)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				if lost != nil && len(ids) > 0 {
					lost(unavailable(err))
				}
				return
			}
		}
	}()
	var once sync.Once
	release = func() {
		once.Do(func() {
			close(stop)
			wg.Wait()
			conn.Close(context.Background())
		})
	}
	return ids, release, nil
}
