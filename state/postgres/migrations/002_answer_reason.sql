-- The answerability rule that refused a question or made its answer partial.
ALTER TABLE attache_answer_log ADD COLUMN reason text NOT NULL DEFAULT '';
