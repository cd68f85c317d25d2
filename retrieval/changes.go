package retrieval

import (
	"context"

	"attache"
)

// Validate checks the slices of a batch before anything is written, so that
// bad input gets a clear error: document and passage IDs present and unique,
// passages belonging to their document, and no touch or delete in a
// replacing batch.
func (c Changes) Validate() error {
	docs := make(map[string]bool, len(c.Upsert))
	passages := make(map[string]bool)
	for _, d := range c.Upsert {
		if d.Doc.ID == "" {
			return attache.Errorf(attache.EINVALID, "document with empty id (path %q)", d.Doc.Path)
		}
		if docs[d.Doc.ID] {
			return attache.Errorf(attache.EINVALID, "document %q appears twice in one batch", d.Doc.ID)
		}
		docs[d.Doc.ID] = true
		for _, p := range d.Passages {
			if p.ID == "" {
				return attache.Errorf(attache.EINVALID, "document %q has a passage with an empty id", d.Doc.ID)
			}
			if p.DocID != "" && p.DocID != d.Doc.ID {
				return attache.Errorf(attache.EINVALID, "passage %q belongs to %q, not %q", p.ID, p.DocID, d.Doc.ID)
			}
			if passages[p.ID] {
				return attache.Errorf(attache.EINVALID, "passage id %q appears twice in one batch", p.ID)
			}
			passages[p.ID] = true
		}
	}
	for _, t := range c.Touch {
		if t.ID == "" {
			return attache.Errorf(attache.EINVALID, "touch of a document with an empty id")
		}
	}
	if c.Replace && len(c.Touch)+len(c.Delete) > 0 {
		return attache.Errorf(attache.EINVALID, "a replacing batch cannot touch or delete documents")
	}
	return nil
}

// ChangeWriter writes a batch inside a store's transaction, one function
// for each kind of change.
type ChangeWriter struct {
	Clear  func() error // remove every document (a replacing batch)
	Delete func(id string) error
	Upsert func(IndexedDoc) error
	Touch  func(DocState) error
}

// Write applies ch, already validated, in the order every store follows:
// the wholesale removal of a replacing batch, deletions, upserts, touches,
// then the stream, whose changes are checked as the slices are and may not
// upsert a document twice either. An error stops it; the caller's
// transaction then writes nothing.
func (w ChangeWriter) Write(ctx context.Context, ch Changes) error {
	if ch.Replace {
		if err := w.Clear(); err != nil {
			return err
		}
	}
	for _, id := range ch.Delete {
		if err := w.Delete(id); err != nil {
			return err
		}
	}
	seen := make(map[string]bool, len(ch.Upsert))
	for _, d := range ch.Upsert {
		seen[d.Doc.ID] = true
		if err := w.Upsert(d); err != nil {
			return err
		}
	}
	for _, t := range ch.Touch {
		if err := w.Touch(t); err != nil {
			return err
		}
	}
	if ch.Stream == nil {
		return nil
	}
	return ch.Stream(ctx, func(c Change) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		switch {
		case c.Upsert != nil:
			if err := (Changes{Upsert: []IndexedDoc{*c.Upsert}}).Validate(); err != nil {
				return err
			}
			if seen[c.Upsert.Doc.ID] {
				return attache.Errorf(attache.EINVALID, "document %q appears twice in one batch", c.Upsert.Doc.ID)
			}
			seen[c.Upsert.Doc.ID] = true
			return w.Upsert(*c.Upsert)
		case ch.Replace && (c.Touch != nil || c.Delete != ""):
			return attache.Errorf(attache.EINVALID, "a replacing batch cannot touch or delete documents")
		case c.Touch != nil:
			return w.Touch(*c.Touch)
		case c.Delete != "":
			return w.Delete(c.Delete)
		}
		return attache.Errorf(attache.EINVALID, "an empty change")
	})
}
