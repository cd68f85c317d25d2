-- Passage embeddings, shared by every process using the index: keyed by the
-- embeddings model and the SHA-256 of the passage text (not by passage, so
-- that a passage that moves or comes back keeps its vector), each a unit
-- vector quantised to one signed byte per dimension with the float32 scale
-- that turns it back. Vectors are re-scored in the program, not here.
CREATE TABLE IF NOT EXISTS vectors (
	model     text NOT NULL,
	text_hash bytea NOT NULL CHECK (length(text_hash) = 32),
	dims      integer NOT NULL CHECK (dims > 0),
	scale     real NOT NULL,
	data      bytea NOT NULL CHECK (length(data) = dims),
	PRIMARY KEY (model, text_hash)
);
