-- A search whose words are in more passages than its candidate bound
-- scores only the passages above a rid (the most recently indexed). A BRIN
-- index of rid (its range per 128 pages; rids grow as rows are appended)
-- gives those pages for a few kilobytes read, where the primary key would
-- list every rid of the range, to be intersected with the word's matches
-- before any passage is read.
CREATE INDEX IF NOT EXISTS passages_rid_range ON passages USING brin (rid) WITH (autosummarize = on);
