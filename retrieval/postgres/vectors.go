package postgres

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5/pgxpool"
)

// vectorChunk bounds the keys one vector query sends.
const vectorChunk = 2_000

// LoadVectors calls found for each passage embedding of model stored in the
// index under one of hashes (SHA-256 sums of passage texts). The vectors are
// those another process may have computed: a cache of the embeddings
// endpoint shared by every process using the schema.
func (s *Store) LoadVectors(ctx context.Context, model string, hashes [][32]byte, found func(hash [32]byte, dims int, scale float32, data []byte)) error {
	for start := 0; start < len(hashes); start += vectorChunk {
		keys := make([][]byte, 0, min(vectorChunk, len(hashes)-start))
		for i := start; i < min(start+vectorChunk, len(hashes)); i++ {
			keys = append(keys, hashes[i][:])
		}
		err := s.do(ctx, func(c *pgxpool.Conn) error {
			rows, err := c.Query(ctx, "SELECT text_hash, dims, scale, data FROM vectors WHERE model = $1 AND text_hash = ANY($2)", model, keys)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var key, data []byte
				var dims int32
				var scale float32
				if err := rows.Scan(&key, &dims, &scale, &data); err != nil {
					return err
				}
				var h [32]byte
				if copy(h[:], key) != len(h) {
					continue // the table's check forbids it
				}
				found(h, int(dims), scale, data)
			}
			return rows.Err()
		})
		if err != nil {
			return fmt.Errorf("load vectors: %w", err)
		}
	}
	return nil
}

// StoreVectors writes passage embeddings of model to the index in one
// statement, replacing any stored under the same text hash: vector i is
// data[i] (int8 components) times scales[i]. It does not wait for a run
// writing the passages, as the vectors depend on passage texts only.
func (s *Store) StoreVectors(ctx context.Context, model string, hashes [][32]byte, scales []float32, data [][]byte) error {
	if len(scales) != len(hashes) || len(data) != len(hashes) {
		return fmt.Errorf("store vectors: %d hashes, %d scales and %d vectors", len(hashes), len(scales), len(data))
	}
	if len(hashes) == 0 {
		return nil
	}
	// Rows go in key order, each key once (the last given wins): two
	// processes storing the same vectors at once then wait for each other
	// rather than deadlock.
	order := make([]int, 0, len(hashes))
	last := make(map[[32]byte]int, len(hashes))
	for i, h := range hashes {
		if _, ok := last[h]; !ok {
			order = append(order, i)
		}
		last[h] = i
	}
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare(hashes[a][:], hashes[b][:]) })
	keys := make([][]byte, len(order))
	dims := make([]int32, len(order))
	sc := make([]float32, len(order))
	vs := make([][]byte, len(order))
	for j, i := range order {
		i = last[hashes[i]]
		keys[j], dims[j], sc[j], vs[j] = hashes[i][:], int32(len(data[i])), scales[i], data[i]
	}
	err := s.do(ctx, func(c *pgxpool.Conn) error {
		_, err := c.Exec(ctx, `INSERT INTO vectors (model, text_hash, dims, scale, data)
			SELECT $1, k, d, sc, v FROM unnest($2::bytea[], $3::integer[], $4::real[], $5::bytea[]) AS u(k, d, sc, v)
			ON CONFLICT (model, text_hash) DO UPDATE SET dims = excluded.dims, scale = excluded.scale, data = excluded.data`,
			model, keys, dims, sc, vs)
		return err
	})
	if err != nil {
		return fmt.Errorf("store vectors: %w", err)
	}
	return nil
}
