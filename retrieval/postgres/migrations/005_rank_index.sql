-- Where the rum extension can be created (its package installed, the role
-- allowed to create it), passages get a RUM index on tsv as well. It keeps
-- each stem's positions in the index, so that the passages of a word can be
-- returned best first (by its weighted frequency, title occurrences counting
-- more) without reading every one of them: a search whose words are too
-- common to score all their passages takes its candidates from there. The
-- extension goes into the schema public, shared by every index of the
-- database (dropping an index's schema must not drop it); without public, or
-- without the extension, the store searches without this index.
DO $$
DECLARE
	ext name;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum')
		AND EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') THEN
		BEGIN
			CREATE EXTENSION IF NOT EXISTS rum SCHEMA public;
		EXCEPTION WHEN OTHERS THEN
			RAISE NOTICE 'no rum extension: %', SQLERRM;
		END;
	END IF;
	SELECT n.nspname INTO ext FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'rum';
	IF ext IS NOT NULL THEN
		EXECUTE format('CREATE INDEX passages_rank ON passages USING rum (tsv %I.rum_tsvector_ops)', ext);
	END IF;
END
$$;
