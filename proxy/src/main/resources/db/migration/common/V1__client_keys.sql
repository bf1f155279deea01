-- Client keys. Only the SHA-256 of a secret is kept; the secret itself is shown once, at creation.
-- Portable SQL: runs on H2 (the default) and PostgreSQL.
CREATE TABLE client_keys (
    id                   VARCHAR(32)  NOT NULL PRIMARY KEY,
    name                 VARCHAR(200) NOT NULL,
    secret_hash          VARCHAR(64)  NOT NULL,
    prefix               VARCHAR(32)  NOT NULL,
    -- After a rotation the old secret keeps working until previous_expires_at (the grace period).
    previous_secret_hash VARCHAR(64),
    previous_expires_at  TIMESTAMP WITH TIME ZONE,
    -- JSON array of model ids; NULL means every model.
    models               VARCHAR(10000),
    expires_at           TIMESTAMP WITH TIME ZONE,
    -- JSON object, free-form (team, owner, ticket...).
    metadata             VARCHAR(20000) NOT NULL,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at           TIMESTAMP WITH TIME ZONE
);

CREATE UNIQUE INDEX client_keys_secret_hash ON client_keys (secret_hash);
CREATE INDEX client_keys_previous_secret_hash ON client_keys (previous_secret_hash);
