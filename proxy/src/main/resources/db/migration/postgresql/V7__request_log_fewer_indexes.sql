-- H2's V7 drops the (status, ts) index of V4; PostgreSQL's V4 never made it. Kept so both dialects share
-- one version history.
DROP INDEX IF EXISTS request_log_status_ts;
