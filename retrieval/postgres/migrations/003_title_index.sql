-- The stems of a passage's title (weight A) have an index of their own, so
-- that "articles titled Mexico" is answered exactly by the index rather than
-- by rechecking every passage that mentions Mexico anywhere.
CREATE INDEX passages_title ON passages USING gin (ts_filter(tsv, '{a}'));
