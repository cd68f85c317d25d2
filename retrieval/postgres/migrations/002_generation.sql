-- A counter every committed write increments, so that a reader can tell
-- whether the word counts it cached are still those of the index.
ALTER TABLE totals ADD COLUMN generation bigint NOT NULL DEFAULT 0;

-- Scoring reads each candidate's tsvector: kept compressed in the row
-- rather than in the TOAST table, it is read with the row instead of by
-- another index look-up for every function reading it.
ALTER TABLE passages ALTER COLUMN tsv SET STORAGE MAIN;
