-- The request log (issue #5): one row per request, refused ones and client disconnects included.
-- PostgreSQL: partitioned by day on ts (declarative partitioning), so retention drops whole partitions;
-- the proxy creates each day's partition ahead of time, the default partition catches what falls outside.
-- Written in batches by RequestLog, off the hot path.
-- Token counts are NULL when unknown; cost_nanos is in nano-dollars (10^-9 USD).
-- usage_source is 'groq' (reported by Groq), 'estimated' (counted by us) or 'none'.
CREATE SEQUENCE request_log_id_seq;

CREATE TABLE request_log (
    -- A sequence, not an identity column: PostgreSQL before 17 has no identity on partitioned tables.
    id                  BIGINT NOT NULL DEFAULT nextval('request_log_id_seq'),
    ts                  TIMESTAMP WITH TIME ZONE NOT NULL,
    request_id          VARCHAR(64)  NOT NULL,
    upstream_request_id VARCHAR(128),
    key_id              VARCHAR(32),
    key_name            VARCHAR(200),
    model_requested     VARCHAR(200),
    model_served        VARCHAR(200),
    endpoint            VARCHAR(200) NOT NULL,
    stream              BOOLEAN      NOT NULL,
    status              INTEGER      NOT NULL,
    error_type          VARCHAR(100),
    error_code          VARCHAR(100),
    prompt_tokens       BIGINT,
    completion_tokens   BIGINT,
    reasoning_tokens    BIGINT,
    cached_tokens       BIGINT,
    cost_nanos          BIGINT,
    usage_source        VARCHAR(16)  NOT NULL,
    -- Total latency and time to first token in ms; upstream time in ms; our own overhead in µs.
    latency_ms          BIGINT       NOT NULL,
    first_token_ms      BIGINT,
    upstream_ms         BIGINT,
    overhead_us         BIGINT,
    client_address      VARCHAR(64),
    user_agent          VARCHAR(500),
    -- The request's "user" field ("user" itself is a reserved word in both databases).
    end_user            VARCHAR(500),
    -- A partitioned table's keys must hold its partition key.
    PRIMARY KEY (id, ts)
) PARTITION BY RANGE (ts);

CREATE TABLE request_log_default PARTITION OF request_log DEFAULT;

CREATE INDEX request_log_ts ON request_log (ts);
CREATE INDEX request_log_key_ts ON request_log (key_id, ts);
