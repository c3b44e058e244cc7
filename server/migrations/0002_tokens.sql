-- The key the server signs its JWTs (member session JWTs, API access tokens)
-- with: one per deployment, made on first start, shared by every instance.
CREATE TABLE jwt_signing_keys (
    kid TEXT PRIMARY KEY,
    -- ECDSA P-256 private key, PKCS#8 DER in base64.
    pkcs8 TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- OAuth 2.0 client-credentials clients: API access for one organization.
CREATE TABLE api_clients (
    client_id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (organization_id),
    role TEXT NOT NULL,
    -- Only a hash of the secret is stored.
    secret_sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL
);
