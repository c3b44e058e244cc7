-- Test sign-ins: each started by a member from the panel, answered (or not) by
-- the IdP at the connection's ACS. The newest answered one is the connection's
-- "last test". Nobody is signed in by a test.
CREATE TABLE signin_tests (
    -- Also the AuthnRequest's ID, which the response's InResponseTo must name.
    test_id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    started_by TEXT NOT NULL,
    started_at TEXT NOT NULL,
    -- Unix seconds after which the IdP's answer is no longer taken.
    expires_at BIGINT NOT NULL,
    completed_at TEXT,
    passed INTEGER,
    -- The core's report (samlkit::signin::Report), as JSON.
    report TEXT
);
CREATE INDEX signin_tests_by_connection ON signin_tests (connection_id, completed_at);
