-- Per-key limits and usage counters (issue #4). Portable SQL: runs on H2 (the default) and PostgreSQL.

-- A key's limits as the JSON object of the admin API ({"requests_per_minute": 30, "budget_usd": 10, ...}).
-- No row = no limits. updated_at lets another process (the proxy) notice a change made by the CLI.
CREATE TABLE key_limits (
    key_id     VARCHAR(32)   NOT NULL PRIMARY KEY,
    limits     VARCHAR(4000) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- What a key used in one calendar window of the configured time zone. period is 'day', 'week'
-- (ISO, from Monday), 'month' or 'total' (period_start 1970-01-01). Written by the usage ledger,
-- which keeps the counters in memory and flushes them every TOLLGATE_LEDGER_FLUSH_MS; in-flight
-- reservations are not stored. cost_nanos is in nano-dollars (10^-9 USD).
CREATE TABLE usage_counters (
    key_id            VARCHAR(32) NOT NULL,
    period            VARCHAR(8)  NOT NULL,
    period_start      DATE        NOT NULL,
    requests          BIGINT      NOT NULL,
    prompt_tokens     BIGINT      NOT NULL,
    completion_tokens BIGINT      NOT NULL,
    cost_nanos        BIGINT      NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (key_id, period, period_start)
);
