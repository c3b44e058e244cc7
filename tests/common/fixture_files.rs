//! Test keys and certificates (tests/fixtures), embedded for both targets.

pub const FILES: &[(&str, &str)] = &[
    ("ec_p256.crt", include_str!("../fixtures/ec_p256.crt")),
    ("ec_p256.key", include_str!("../fixtures/ec_p256.key")),
    ("ed25519.crt", include_str!("../fixtures/ed25519.crt")),
    ("ed25519.key", include_str!("../fixtures/ed25519.key")),
    ("rsa1024.crt", include_str!("../fixtures/rsa1024.crt")),
    ("rsa1024_pkcs1.key", include_str!("../fixtures/rsa1024_pkcs1.key")),
    ("rsa2048.csr", include_str!("../fixtures/rsa2048.csr")),
    ("rsa2048.pub", include_str!("../fixtures/rsa2048.pub")),
    (
        "rsa2048_encrypted_pkcs1.key",
        include_str!("../fixtures/rsa2048_encrypted_pkcs1.key"),
    ),
    (
        "rsa2048_encrypted_pkcs8.key",
        include_str!("../fixtures/rsa2048_encrypted_pkcs8.key"),
    ),
    ("rsa2048_expiring.crt", include_str!("../fixtures/rsa2048_expiring.crt")),
    ("rsa2048_future.crt", include_str!("../fixtures/rsa2048_future.crt")),
    ("rsa2048_pkcs1.key", include_str!("../fixtures/rsa2048_pkcs1.key")),
    ("rsa2048_pkcs8.key", include_str!("../fixtures/rsa2048_pkcs8.key")),
    ("rsa2048_sp.crt", include_str!("../fixtures/rsa2048_sp.crt")),
];
