package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// imported counts the rows taken over from an index database.
type imported struct{ answers, votes, flags, logged, salts int64 }

func (n imported) any() bool { return n.answers+n.votes+n.flags+n.logged+n.salts > 0 }

// copyTable says how a table of the index database is read (its columns,
// with the value to use when an older version lacked one) and written.
type copyTable struct {
	name    string
	columns []column
	where   string // restricts the rows read, "" for all
	count   func(*imported) *int64
}

type column struct {
	name, missing string // missing: SQL value when the column does not exist
}

// oldTables are the tables that versions before the state database kept in
// the index, parents first.
var oldTables = []copyTable{
	{name: "feedback_answers", columns: []column{{"id", ""}, {"question", ""}, {"answer", ""}, {"passage_ids", ""},
		{"quotes", "'[]'"}, {"created_at", ""}}, count: func(n *imported) *int64 { return &n.answers }},
	{name: "feedback_votes", columns: []column{{"answer_id", ""}, {"user", ""}, {"vote", ""}, {"reason", "''"},
		{"details", "''"}, {"at", ""}}, where: "answer_id IN (SELECT id FROM feedback_answers)",
		count: func(n *imported) *int64 { return &n.votes }},
	{name: "feedback_flags", columns: []column{{"answer_id", ""}, {"user", ""}, {"n", ""}, {"at", ""}},
		where: "answer_id IN (SELECT id FROM feedback_answers)", count: func(n *imported) *int64 { return &n.flags }},
	{name: "answer_log", columns: []column{{"at", ""}, {"question", ""}, {"outcome", ""}, {"doc_ids", ""},
		{"latency_ms", ""}, {"model", ""}, {"prompt_tokens", ""}, {"completion_tokens", ""}, {"command", ""},
		{"channel_id", ""}, {"user_hash", ""}}, count: func(n *imported) *int64 { return &n.logged }},
	// The salt comes along, so that a user keeps the same hash.
	{name: "answer_log_salt", columns: []column{{"id", ""}, {"salt", ""}}, count: func(n *imported) *int64 { return &n.salts }},
}

// importIndex copies the feedback and answer log rows of the index
// database at path into tx, leaving the index as it is. A missing file, or
// one without those tables, imports nothing.
func importIndex(ctx context.Context, tx *sql.Tx, path string) (imported, error) {
	var n imported
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return n, nil
	}
	old, err := sql.Open("sqlite", dsn(path, "mode=ro", "_pragma=query_only(1)"))
	if err != nil {
		return n, err
	}
	defer old.Close()
	old.SetMaxOpenConns(1)
	for _, t := range oldTables {
		c, err := copyRows(ctx, old, tx, t)
		if err != nil {
			return n, fmt.Errorf("%s: %w", t.name, err)
		}
		*t.count(&n) = c
	}
	return n, nil
}

// copyRows copies the rows of table t, when the index has it.
func copyRows(ctx context.Context, old *sql.DB, tx *sql.Tx, t copyTable) (int64, error) {
	have := map[string]bool{}
	rows, err := old.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, t.name)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return 0, err
		}
		have[name] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(have) == 0 {
		return 0, nil
	}
	sel := make([]string, len(t.columns))
	names := make([]string, len(t.columns))
	marks := make([]string, len(t.columns))
	for i, c := range t.columns {
		names[i], marks[i], sel[i] = `"`+c.name+`"`, "?", `"`+c.name+`"`
		if !have[c.name] {
			if c.missing == "" {
				return 0, fmt.Errorf("column %s missing", c.name)
			}
			sel[i] = c.missing
		}
	}
	q := "SELECT " + strings.Join(sel, ", ") + " FROM " + t.name
	if t.where != "" {
		q += " WHERE " + t.where
	}
	rows, err = old.QueryContext(ctx, q)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	ins, err := tx.PrepareContext(ctx, "INSERT OR IGNORE INTO "+t.name+" ("+strings.Join(names, ", ")+") VALUES ("+strings.Join(marks, ", ")+")")
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	vals := make([]any, len(t.columns))
	ptrs := make([]any, len(t.columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		res, err := ins.ExecContext(ctx, vals...)
		if err != nil {
			return n, err
		}
		k, _ := res.RowsAffected()
		n += k
	}
	return n, rows.Err()
}
