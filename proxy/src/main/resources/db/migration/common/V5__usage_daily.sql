-- Daily roll-up of the request log (issue #5), per key and model, kept current by the log writer in the
-- same transaction as the rows it summarises, so usage queries never scan raw rows. Raw rows may be
-- deleted after the retention period; roll-ups are kept.
-- key_id and model are '' when unknown (a request refused before its key or model was known).
-- usage_day is the calendar day ("day" is reserved in H2) in the configured time zone (TOLLGATE_LIMITS_TIME_ZONE).
-- latency_histogram: counts per bucket of LatencyHistogram.BOUNDS_MS, comma-separated.
CREATE TABLE usage_daily (
    usage_day          DATE         NOT NULL,
    key_id             VARCHAR(32)  NOT NULL,
    model              VARCHAR(200) NOT NULL,
    key_name           VARCHAR(200),
    requests           BIGINT       NOT NULL,
    errors             BIGINT       NOT NULL,
    estimated          BIGINT       NOT NULL,
    prompt_tokens      BIGINT       NOT NULL,
    completion_tokens  BIGINT       NOT NULL,
    reasoning_tokens   BIGINT       NOT NULL,
    cached_tokens      BIGINT       NOT NULL,
    cost_nanos         BIGINT       NOT NULL,
    latency_ms_sum     BIGINT       NOT NULL,
    latency_histogram  VARCHAR(1000) NOT NULL,
    PRIMARY KEY (usage_day, key_id, model)
);

CREATE INDEX usage_daily_key_day ON usage_daily (key_id, usage_day);
