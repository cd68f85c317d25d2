-- Votes, the answer log and the rate limit of Attaché, beside its index.
CREATE TABLE attache_feedback_answers (
	id          text PRIMARY KEY,
	question    text NOT NULL,
	answer      text NOT NULL,
	passage_ids jsonb NOT NULL,
	quotes      jsonb NOT NULL DEFAULT '[]',
	created_at  timestamptz NOT NULL
);
CREATE INDEX attache_feedback_answers_created ON attache_feedback_answers (created_at);

CREATE TABLE attache_feedback_votes (
	answer_id text NOT NULL REFERENCES attache_feedback_answers (id) ON DELETE CASCADE,
	user_id   text NOT NULL,
	vote      smallint NOT NULL CHECK (vote IN (-1, 1)),
	reason    text NOT NULL DEFAULT '',
	details   text NOT NULL DEFAULT '',
	at        timestamptz NOT NULL,
	PRIMARY KEY (answer_id, user_id)
);

CREATE TABLE attache_feedback_flags (
	answer_id text NOT NULL REFERENCES attache_feedback_answers (id) ON DELETE CASCADE,
	user_id   text NOT NULL,
	n         integer NOT NULL CHECK (n >= 1),
	at        timestamptz NOT NULL,
	PRIMARY KEY (answer_id, user_id, n)
);

CREATE TABLE attache_answer_log (
	id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at                timestamptz NOT NULL,
	question          text NOT NULL,
	outcome           text NOT NULL,
	doc_ids           jsonb NOT NULL,
	latency_ms        jsonb NOT NULL,
	model             text NOT NULL,
	prompt_tokens     integer NOT NULL,
	completion_tokens integer NOT NULL,
	command           text NOT NULL,
	channel_id        text NOT NULL,
	user_hash         text NOT NULL
);
CREATE INDEX attache_answer_log_at ON attache_answer_log (at);

-- The salt of the answer log's user hashes: created once, at random.
CREATE TABLE attache_answer_log_salt (
	id   integer PRIMARY KEY CHECK (id = 1),
	salt text NOT NULL
);

-- One token bucket per key; at is in Unix nanoseconds, granted says
-- whether the last take got a token.
CREATE TABLE attache_rate_limit (
	key     text PRIMARY KEY,
	tokens  double precision NOT NULL,
	at      bigint NOT NULL,
	granted boolean NOT NULL
);
