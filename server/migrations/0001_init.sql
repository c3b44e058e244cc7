-- One schema for SQLite and PostgreSQL: TEXT and BIGINT only, ISO-8601 times.
CREATE TABLE organizations (
    organization_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE members (
    member_id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (organization_id),
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    -- Only a hash of the session token is stored.
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE connections (
    connection_id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (organization_id),
    version BIGINT NOT NULL,
    -- The connection object as the API returns it (never holds a key).
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX connections_by_organization ON connections (organization_id);

-- Write-only private keys, apart from everything that is ever returned.
CREATE TABLE connection_secrets (
    connection_id TEXT NOT NULL REFERENCES connections (connection_id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    pem TEXT NOT NULL,
    PRIMARY KEY (connection_id, kind)
);

-- Every accepted write, for audit and for proving that none was lost.
CREATE TABLE connection_history (
    connection_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    data TEXT NOT NULL,
    request_id TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (connection_id, version)
);
