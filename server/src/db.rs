//! Storage: SQLite by default, PostgreSQL when the URL says so; one schema,
//! one set of migrations, runtime-checked queries covered by the API tests on
//! both. Every write is one transaction: a failed update changes nothing.

use samlkit::model::Connection;
use sha2::{Digest, Sha256};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor, Row};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    /// SQLite: writers in this process take turns here before `BEGIN IMMEDIATE`,
    /// in arrival order, rather than polling SQLite's busy handler.
    sqlite_writer: Option<Arc<tokio::sync::Mutex<()>>>,
}

/// One connection held for a change: its row is locked (PostgreSQL
/// `SELECT … FOR UPDATE`; SQLite `BEGIN IMMEDIATE`, the database's one writer
/// lock) from the read until [`Locked::write`] or [`Locked::delete`] commits, or
/// the value is dropped (rolled back). Writers to one connection take turns,
/// across server instances too: none sees a version another is replacing.
pub struct Locked {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    // Dropped after `tx`: fields drop in declaration order.
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
    pub stored: Stored,
}

/// Who acts: a member of one organization, or an API client of one (which has no email).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub member_id: String,
    pub organization_id: String,
    pub email: String,
    pub role: String,
}

/// The write-only keys of one connection.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secrets {
    pub saml_encryption_private_key: Option<String>,
    pub signing_private_key: Option<String>,
}

// Never print a key, not even in a debug log.
impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secrets")
            .field(
                "saml_encryption_private_key",
                &self.saml_encryption_private_key.as_ref().map(|_| "<set>"),
            )
            .field(
                "signing_private_key",
                &self.signing_private_key.as_ref().map(|_| "<set>"),
            )
            .finish()
    }
}

/// A connection as stored, with its keys.
#[derive(Debug, Clone)]
pub struct Stored {
    pub connection: Connection,
    pub secrets: Secrets,
}

/// A new bearer credential: `prefix-` and 256 random bits (two v4 UUIDs, as hex).
fn new_secret(prefix: &str) -> String {
    format!(
        "{prefix}-{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// One test sign-in; `report` is the core's report as JSON once the IdP answered.
#[derive(Debug, Clone)]
pub struct SigninTest {
    pub test_id: String,
    pub organization_id: String,
    pub connection_id: String,
    pub started_by: String,
    pub started_at: String,
    pub completed_at: Option<String>,
    pub report: Option<String>,
}

/// `SELECT` of the columns [`signin_test`] reads, in its order, then `$rest`.
macro_rules! select_signin_tests {
    ($rest:literal) => {
        concat!(
            "SELECT test_id, organization_id, connection_id, started_by, started_at, completed_at, report FROM signin_tests ",
            $rest
        )
    };
}

fn signin_test(row: &sqlx::any::AnyRow) -> SigninTest {
    SigninTest {
        test_id: row.get(0),
        organization_id: row.get(1),
        connection_id: row.get(2),
        started_by: row.get(3),
        started_at: row.get(4),
        completed_at: row.get(5),
        report: row.get(6),
    }
}

pub fn token_hash(token: &str) -> String {
    samlkit::x509::hex(&Sha256::digest(token.as_bytes()))
}

impl Store {
    /// Connects and migrates. `sqlite://file.db` creates the file when missing.
    pub async fn connect(url: &str) -> Result<Store, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let sqlite = url.starts_with("sqlite:");
        let url = if sqlite && !url.contains('?') {
            format!("{url}?mode=rwc")
        } else {
            url.to_owned()
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            // SQLite has one writer; more connections only queue on its lock.
            .max_connections(if sqlite { 4 } else { 16 })
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        // WAL for concurrent readers; FULL so an acknowledged write survives a crash.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Store {
            pool,
            sqlite_writer: sqlite.then(|| Arc::new(tokio::sync::Mutex::new(()))),
        })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn create_organization(&self, organization_id: &str, name: &str, now: &str) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO organizations (organization_id, name, created_at) VALUES ($1, $2, $3)")
            .bind(organization_id)
            .bind(name)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Adds a member and returns its session token (only its hash is kept).
    pub async fn create_member(
        &self,
        organization_id: &str,
        email: &str,
        role: &str,
        now: &str,
    ) -> Result<(Member, String), sqlx::Error> {
        let member_id = format!("member-{}", uuid::Uuid::new_v4());
        let token = new_secret("session");
        sqlx::query(
            "INSERT INTO members (member_id, organization_id, email, role, token_sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&member_id)
        .bind(organization_id)
        .bind(email)
        .bind(role)
        .bind(token_hash(&token))
        .bind(now)
        .execute(&self.pool)
        .await?;
        let member = Member {
            member_id,
            organization_id: organization_id.to_owned(),
            email: email.to_owned(),
            role: role.to_owned(),
        };
        Ok((member, token))
    }

    pub async fn member_by_token(&self, token: &str) -> Result<Option<Member>, sqlx::Error> {
        self.member_where("token_sha256", &token_hash(token)).await
    }

    /// The member with this id (a session JWT names its member by id).
    pub async fn member_by_id(&self, member_id: &str) -> Result<Option<Member>, sqlx::Error> {
        self.member_where("member_id", member_id).await
    }

    /// The member whose `column` (a unique one, named by this module) is `value`.
    async fn member_where(&self, column: &'static str, value: &str) -> Result<Option<Member>, sqlx::Error> {
        let sql = format!("SELECT member_id, organization_id, email, role FROM members WHERE {column} = $1");
        let row = sqlx::query(&sql).bind(value).fetch_optional(&self.pool).await?;
        Ok(row.map(|r| Member {
            member_id: r.get(0),
            organization_id: r.get(1),
            email: r.get(2),
            role: r.get(3),
        }))
    }

    /// When a member (and so its session) was created, and its organization's name.
    pub async fn member_context(&self, member_id: &str) -> Result<Option<(String, String)>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT m.created_at, o.name FROM members m JOIN organizations o ON o.organization_id = m.organization_id WHERE m.member_id = $1",
        )
        .bind(member_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    /// Adds an API client of one organization and returns its id and secret
    /// (only the secret's hash is kept).
    pub async fn create_api_client(
        &self,
        organization_id: &str,
        role: &str,
        now: &str,
    ) -> Result<(String, String), sqlx::Error> {
        let client_id = format!("client-{}", uuid::Uuid::new_v4());
        let secret = new_secret("secret");
        sqlx::query(
            "INSERT INTO api_clients (client_id, organization_id, role, secret_sha256, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&client_id)
        .bind(organization_id)
        .bind(role)
        .bind(token_hash(&secret))
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok((client_id, secret))
    }

    /// The API client with this id, as a caller of its organization (no email):
    /// with `secret`, only if it is the client's secret.
    pub async fn api_client(&self, client_id: &str, secret: Option<&str>) -> Result<Option<Member>, sqlx::Error> {
        let row =
            sqlx::query("SELECT client_id, organization_id, role, secret_sha256 FROM api_clients WHERE client_id = $1")
                .bind(client_id)
                .fetch_optional(&self.pool)
                .await?;
        let Some(row) = row else { return Ok(None) };
        if let Some(secret) = secret {
            let stored: String = row.get(3);
            if !crate::auth::constant_time_eq(stored.as_bytes(), token_hash(secret).as_bytes()) {
                return Ok(None);
            }
        }
        Ok(Some(Member {
            member_id: row.get(0),
            organization_id: row.get(1),
            email: String::new(),
            role: row.get(2),
        }))
    }

    /// The JWT signing key (`kid`, PKCS#8 DER): the stored one, or `make()`'s,
    /// stored first. Instances starting together agree on the first one stored.
    pub async fn jwt_signing_key(
        &self,
        now: &str,
        make: impl FnOnce() -> (String, Vec<u8>),
    ) -> Result<(String, Vec<u8>), sqlx::Error> {
        use base64ct::{Base64, Encoding};
        let select = "SELECT kid, pkcs8 FROM jwt_signing_keys ORDER BY created_at, kid LIMIT 1";
        let decode = |row: sqlx::any::AnyRow| -> Result<(String, Vec<u8>), sqlx::Error> {
            let pkcs8 = Base64::decode_vec(row.get::<String, _>(1).as_str())
                .map_err(|e| sqlx::Error::Decode(Box::new(std::io::Error::other(e.to_string()))))?;
            Ok((row.get(0), pkcs8))
        };
        if let Some(row) = sqlx::query(select).fetch_optional(&self.pool).await? {
            return decode(row);
        }
        let (kid, pkcs8) = make();
        sqlx::query("INSERT INTO jwt_signing_keys (kid, pkcs8, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(&kid)
            .bind(Base64::encode_string(&pkcs8))
            .bind(now)
            .execute(&self.pool)
            .await?;
        decode(sqlx::query(select).fetch_one(&self.pool).await?)
    }

    /// Records a started test sign-in.
    pub async fn start_test(&self, test: &SigninTest, expires_at: i64) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO signin_tests (test_id, organization_id, connection_id, started_by, started_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&test.test_id)
        .bind(&test.organization_id)
        .bind(&test.connection_id)
        .bind(&test.started_by)
        .bind(&test.started_at)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A started, unanswered, unexpired test of a connection: the one an ACS post answers.
    pub async fn pending_test(
        &self,
        connection_id: &str,
        test_id: &str,
        now: i64,
    ) -> Result<Option<SigninTest>, sqlx::Error> {
        let row = sqlx::query(select_signin_tests!(
            "WHERE test_id = $1 AND connection_id = $2 AND completed_at IS NULL AND expires_at > $3"
        ))
        .bind(test_id)
        .bind(connection_id)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(signin_test))
    }

    /// Stores a test's answer, once: a replayed post finds the test already answered.
    pub async fn complete_test(
        &self,
        test_id: &str,
        now: &str,
        passed: bool,
        report: &str,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE signin_tests SET completed_at = $1, passed = $2, report = $3 WHERE test_id = $4 AND completed_at IS NULL",
        )
        .bind(now)
        .bind(i32::from(passed))
        .bind(report)
        .bind(test_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A connection's newest answered test.
    pub async fn last_test(
        &self,
        organization_id: &str,
        connection_id: &str,
    ) -> Result<Option<SigninTest>, sqlx::Error> {
        let row = sqlx::query(select_signin_tests!(
            "WHERE organization_id = $1 AND connection_id = $2 AND completed_at IS NOT NULL \
             ORDER BY completed_at DESC, started_at DESC LIMIT 1"
        ))
        .bind(organization_id)
        .bind(connection_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(signin_test))
    }

    pub async fn organization_exists(&self, organization_id: &str) -> Result<bool, sqlx::Error> {
        let row = sqlx::query("SELECT 1 FROM organizations WHERE organization_id = $1")
            .bind(organization_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    pub async fn list(&self, organization_id: &str) -> Result<Vec<Connection>, sqlx::Error> {
        let rows =
            sqlx::query("SELECT data FROM connections WHERE organization_id = $1 ORDER BY created_at, connection_id")
                .bind(organization_id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|r| decode(r.get::<String, _>(0).as_str())).collect()
    }

    pub async fn get(&self, organization_id: &str, connection_id: &str) -> Result<Option<Stored>, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        read_stored(&mut conn, organization_id, connection_id, "").await
    }

    /// The connection, locked for a change until the returned value commits or drops.
    pub async fn lock(&self, organization_id: &str, connection_id: &str) -> Result<Option<Locked>, sqlx::Error> {
        let turn = match &self.sqlite_writer {
            Some(writer) => Some(writer.clone().lock_owned().await),
            None => None,
        };
        let (mut tx, row_lock) = match turn {
            Some(_) => (self.pool.begin_with("BEGIN IMMEDIATE").await?, ""),
            None => (self.pool.begin().await?, " FOR UPDATE"),
        };
        let stored = read_stored(&mut tx, organization_id, connection_id, row_lock).await?;
        Ok(stored.map(|stored| Locked {
            tx,
            _turn: turn,
            stored,
        }))
    }

    /// When a connection was created and last written (ISO 8601).
    pub async fn times(&self, connection_id: &str) -> Result<Option<(String, String)>, sqlx::Error> {
        let row = sqlx::query("SELECT created_at, updated_at FROM connections WHERE connection_id = $1")
            .bind(connection_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    /// Inserts a new connection; false, having changed nothing, when one with
    /// its id exists already (two first writes to an organization's one connection).
    pub async fn insert(&self, connection: &Connection, now: &str, request_id: &str) -> Result<bool, sqlx::Error> {
        let data = encode(connection)?;
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "INSERT INTO connections (connection_id, organization_id, version, data, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(&connection.connection_id)
        .bind(&connection.organization_id)
        .bind(connection.version as i64)
        .bind(&data)
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        history(&mut tx, connection, &data, now, request_id).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Writes `next` if the stored version is still `from_version`, without
    /// locking anything first: false, having changed nothing, when another write
    /// came between (the caller then takes the connection's lock, [`Store::lock`]).
    pub async fn write_if_unchanged(
        &self,
        next: &Stored,
        from_version: u64,
        now: &str,
        request_id: &str,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        if !write_version(&mut tx, next, from_version, now, request_id).await? {
            tx.rollback().await?;
            return Ok(false);
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The versions recorded for a connection, oldest first.
    pub async fn history_versions(&self, connection_id: &str) -> Result<Vec<i64>, sqlx::Error> {
        let rows = sqlx::query("SELECT version FROM connection_history WHERE connection_id = $1 ORDER BY version")
            .bind(connection_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| r.get::<i64, _>(0)).collect())
    }
}

impl Locked {
    /// Writes `next` (the locked connection's next version) with its keys and a history row.
    pub async fn write(mut self, next: &Stored, now: &str, request_id: &str) -> Result<(), sqlx::Error> {
        if !write_version(&mut self.tx, next, self.stored.connection.version, now, request_id).await? {
            // The lock makes this unreachable; were it reached, nothing is written.
            return Err(sqlx::Error::Protocol("the locked connection changed".into()));
        }
        self.tx.commit().await
    }

    /// Deletes the locked connection, its keys and its history.
    pub async fn delete(mut self) -> Result<(), sqlx::Error> {
        let id = &self.stored.connection.connection_id;
        for table in [
            "DELETE FROM connection_secrets WHERE connection_id = $1",
            "DELETE FROM connections WHERE connection_id = $1",
            "DELETE FROM connection_history WHERE connection_id = $1",
        ] {
            sqlx::query(table).bind(id).execute(&mut *self.tx).await?;
        }
        self.tx.commit().await
    }
}

/// The writes of one new version, in `tx`: the row (if still at `from_version`),
/// its keys and a history row. False, having written nothing, when the row has moved on.
async fn write_version(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    next: &Stored,
    from_version: u64,
    now: &str,
    request_id: &str,
) -> Result<bool, sqlx::Error> {
    let connection = &next.connection;
    let data = encode(connection)?;
    let done = sqlx::query(
        "UPDATE connections SET version = $1, data = $2, updated_at = $3 WHERE organization_id = $4 AND connection_id = $5 AND version = $6",
    )
    .bind(connection.version as i64)
    .bind(&data)
    .bind(now)
    .bind(&connection.organization_id)
    .bind(&connection.connection_id)
    .bind(from_version as i64)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM connection_secrets WHERE connection_id = $1")
        .bind(&connection.connection_id)
        .execute(&mut **tx)
        .await?;
    let secrets = [
        ("saml_encryption_private_key", &next.secrets.saml_encryption_private_key),
        ("signing_private_key", &next.secrets.signing_private_key),
    ];
    for (kind, pem) in secrets {
        if let Some(pem) = pem {
            sqlx::query("INSERT INTO connection_secrets (connection_id, kind, pem) VALUES ($1, $2, $3)")
                .bind(&connection.connection_id)
                .bind(kind)
                .bind(pem)
                .execute(&mut **tx)
                .await?;
        }
    }
    history(tx, connection, &data, now, request_id).await?;
    Ok(true)
}

/// A connection and its keys, read on `conn` (`row_lock`: `""` or `" FOR UPDATE"`).
async fn read_stored(
    conn: &mut sqlx::AnyConnection,
    organization_id: &str,
    connection_id: &str,
    row_lock: &str,
) -> Result<Option<Stored>, sqlx::Error> {
    let sql = format!("SELECT data FROM connections WHERE organization_id = $1 AND connection_id = $2{row_lock}");
    let Some(row) = sqlx::query(&sql)
        .bind(organization_id)
        .bind(connection_id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let connection = decode(row.get::<String, _>(0).as_str())?;
    let mut secrets = Secrets::default();
    let rows = sqlx::query("SELECT kind, pem FROM connection_secrets WHERE connection_id = $1")
        .bind(connection_id)
        .fetch_all(&mut *conn)
        .await?;
    for row in rows {
        let pem: String = row.get(1);
        match row.get::<String, _>(0).as_str() {
            "saml_encryption_private_key" => secrets.saml_encryption_private_key = Some(pem),
            "signing_private_key" => secrets.signing_private_key = Some(pem),
            _ => {}
        }
    }
    Ok(Some(Stored { connection, secrets }))
}

async fn history(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    connection: &Connection,
    data: &str,
    now: &str,
    request_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO connection_history (connection_id, version, data, request_id, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&connection.connection_id)
    .bind(connection.version as i64)
    .bind(data)
    .bind(request_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn encode(connection: &Connection) -> Result<String, sqlx::Error> {
    serde_json::to_string(connection).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

fn decode(data: &str) -> Result<Connection, sqlx::Error> {
    serde_json::from_str(data).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}
