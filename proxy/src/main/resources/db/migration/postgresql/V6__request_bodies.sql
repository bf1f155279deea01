-- Prompt and answer bodies in the request log (issue #5): off by default, opt-in per key (log_bodies) or
-- for every key (TOLLGATE_LOG_BODIES). Stored capped and with secrets masked; NULL when not logged.
-- (TEXT is PostgreSQL's CLOB.)
ALTER TABLE client_keys ADD COLUMN log_bodies BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE request_log ADD COLUMN request_body TEXT;
ALTER TABLE request_log ADD COLUMN response_body TEXT;
