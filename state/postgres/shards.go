package postgres

import (
	"context"
	"fmt"
)

// ClaimShards takes up to want of the bot's count gateway shards that no
// other process holds, and holds them until release is called or the
// process's connection ends. Each shard is a session-level advisory lock,
// keyed by the schema and the shard, on a connection of its own taken out
// of the pool: a process that stops (or crashes) frees its shards with its
// connection, and the next process to start takes them.
func (s *Store) ClaimShards(ctx context.Context, count, want int) (ids []int, release func(), err error) {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, nil, unavailable(err)
	}
	conn := c.Hijack()
	release = func() { conn.Close(context.Background()) }
	for id := 0; id < count && len(ids) < want; id++ {
		var ok bool
		err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtext('attache_shards:' || current_schema()), $1)`, id).Scan(&ok)
		if err != nil {
			release()
			return nil, nil, fmt.Errorf("claim shard %d: %w", id, err)
		}
		if ok {
			ids = append(ids, id)
		}
	}
	return ids, release, nil
}
