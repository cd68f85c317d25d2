-- The passage index. Words are split and folded by the program (as SQLite's
-- unicode61 tokenizer with remove_diacritics 2 does) and stemmed here by the
-- original Porter algorithm, without stop words, as SQLite's porter
-- tokenizer does. Text columns that are sorted use the C collation, so that
-- lists come in byte order as they do with SQLite.
CREATE TEXT SEARCH DICTIONARY attache_porter (TEMPLATE = snowball, LANGUAGE = porter);
CREATE TEXT SEARCH CONFIGURATION attache (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION attache ALTER MAPPING REPLACE simple WITH attache_porter;

CREATE TABLE documents (
	id         text COLLATE "C" PRIMARY KEY,
	source     text COLLATE "C" NOT NULL,
	path       text NOT NULL,
	title      text COLLATE "C" NOT NULL,
	title_fold text NOT NULL,
	date       text COLLATE "C" NOT NULL,
	url        text NOT NULL,
	outlet     text NOT NULL,
	language   text NOT NULL,
	tags       text[] NOT NULL,
	text       text NOT NULL,
	hash       text NOT NULL,
	size       bigint NOT NULL,
	mtime      bigint,           -- Unix nanoseconds, NULL when unknown
	indexed_at bigint NOT NULL   -- Unix nanoseconds
);
CREATE INDEX documents_date ON documents (date DESC, title, id);
CREATE INDEX documents_source ON documents (source);

-- rid grows with every insert: the passages of one run are those above the
-- largest rid when it began. len is the number of words of the title, date
-- and body (for BM25); tsv holds their stems, the title's weighted A.
CREATE TABLE passages (
	rid     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id      text COLLATE "C" NOT NULL UNIQUE,
	doc_id  text COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	ordinal integer NOT NULL,
	start   integer NOT NULL,
	"end"   integer NOT NULL,
	text    text NOT NULL,
	len     integer NOT NULL,
	tsv     tsvector NOT NULL
);
CREATE INDEX passages_doc ON passages (doc_id, ordinal);
CREATE INDEX passages_tsv ON passages USING gin (tsv);

-- The number of passages holding each stem, kept by every write.
CREATE TABLE term_df (
	lexeme text COLLATE "C" PRIMARY KEY,
	df     integer NOT NULL
);

-- One row: the number of passages and of their words.
CREATE TABLE totals (
	one      boolean PRIMARY KEY DEFAULT true CHECK (one),
	passages bigint NOT NULL,
	tokens   bigint NOT NULL
);
INSERT INTO totals (passages, tokens) VALUES (0, 0);
