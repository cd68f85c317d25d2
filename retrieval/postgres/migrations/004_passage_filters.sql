-- Each passage carries its document's date and source, so that a search
-- with a date range or sources filters the passages the full-text index
-- finds without joining every one to its document first.
ALTER TABLE passages
	ADD COLUMN date text COLLATE "C" NOT NULL DEFAULT '',
	ADD COLUMN source text COLLATE "C" NOT NULL DEFAULT '';
UPDATE passages p SET date = d.date, source = d.source FROM documents d WHERE d.id = p.doc_id;
