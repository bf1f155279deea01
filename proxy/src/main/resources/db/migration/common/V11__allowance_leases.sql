-- Exact limits across proxy instances sharing one PostgreSQL database (issue #13). Portable SQL; H2
-- (one instance) creates the tables but never uses them.

-- The instances alive now: each refreshes heartbeat_at every second. One whose heartbeat is older than
-- the lease timeout (10 s) is dead: the next top-up by any instance deletes it and its leases.
CREATE TABLE proxy_instances (
    instance_id  VARCHAR(40) NOT NULL PRIMARY KEY,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- What one instance holds of a key's remaining allowance in one window (rows of usage_counters):
-- requests, tokens and nano-dollars it may admit without asking the database. Invariant, kept by
-- granting only under the key's lock: usage_counters + sum of the leases <= the key's limit.
CREATE TABLE allowance_leases (
    instance_id  VARCHAR(40) NOT NULL,
    key_id       VARCHAR(32) NOT NULL,
    period       VARCHAR(8)  NOT NULL,
    period_start DATE        NOT NULL,
    requests     BIGINT      NOT NULL,
    tokens       BIGINT      NOT NULL,
    cost_nanos   BIGINT      NOT NULL,
    PRIMARY KEY (instance_id, key_id, period, period_start)
);
CREATE INDEX allowance_leases_key ON allowance_leases (key_id);

-- The shared state of a key's per-minute token bucket (kind 'requests' or 'tokens'): what it held at
-- refilled_at (epoch millis; it refills capacity per minute). Instances take slices of its tokens and
-- give back what they did not use; a dead instance's slice is simply spent and refills within a minute.
CREATE TABLE rate_buckets (
    key_id      VARCHAR(32) NOT NULL,
    kind        VARCHAR(8)  NOT NULL,
    tokens      BIGINT      NOT NULL,
    refilled_at BIGINT      NOT NULL,
    PRIMARY KEY (key_id, kind)
);
