//! Prints the TypeScript declarations of the core's types, generated from the
//! Rust types (ts-rs) with the names and shapes serde gives them. The package
//! build appends them to the SDK's and the panel's `.d.ts`:
//!
//! ```sh
//! cargo run --quiet --example ts_types --features ts,signin > target/ts/types.d.ts
//! ```
//!
//! The SDK's declarations include the test sign-in's report (`startTestSignIn`,
//! `getTestSignIn`); with `signin` as its argument, the report's and the
//! connection settings' types for the debugger entry instead.

use samlkit::ErrorType;
use samlkit::issue::{Code, Issue, Severity};
use samlkit::keys::{PrivateKeyFacts, PrivateKeyReport};
use samlkit::metadata::{
    Endpoint, Entity, IdpDescriptor, Import, KeyDescriptor, Metadata, MetadataCertificate, SsoChoice,
};
use samlkit::model::{
    CertificateInput, Connection, ConnectionRoleAssignment, Draft, EncryptionPrivateKey, GroupRoleAssignment,
    IdentityProvider, JitProvisioning, KeySummary, Missing, ServiceProvider, Status, VerificationCertificate,
};
use samlkit::validate::{MetadataReport, Report};
use samlkit::x509::{CertificateFacts, CertificateReport};
use ts_rs::{Config, TS};

fn main() {
    if std::env::args().nth(1).as_deref() == Some("signin") {
        return signin();
    }
    let config = Config::default();
    let declarations = [
        Code::decl(&config),
        Severity::decl(&config),
        Issue::decl(&config),
        ErrorType::decl(&config),
        CertificateFacts::decl(&config),
        CertificateReport::decl(&config),
        PrivateKeyFacts::decl(&config),
        PrivateKeyReport::decl(&config),
        Missing::decl(&config),
        Status::decl(&config),
        IdentityProvider::decl(&config),
        Report::decl(&config),
        Draft::decl(&config),
        CertificateInput::decl(&config),
        ConnectionRoleAssignment::decl(&config),
        GroupRoleAssignment::decl(&config),
        JitProvisioning::decl(&config),
        Metadata::decl(&config),
        Entity::decl(&config),
        IdpDescriptor::decl(&config),
        Endpoint::decl(&config),
        KeyDescriptor::decl(&config),
        MetadataCertificate::decl(&config),
        SsoChoice::decl(&config),
        Import::decl(&config),
        MetadataReport::decl(&config),
        Connection::decl(&config),
        VerificationCertificate::decl(&config),
        KeySummary::decl(&config),
        EncryptionPrivateKey::decl(&config),
        ServiceProvider::decl(&config),
    ];
    println!("// Generated from the Rust types by examples/ts_types.rs (ts-rs); do not edit.");
    for declaration in declarations.into_iter().chain(report(&config)) {
        println!("export {declaration}");
    }
}

/// A test sign-in's report, check by check.
fn report(config: &Config) -> [String; 5] {
    use samlkit::signin::{Check, CheckId, MappedAttribute, Outcome, Report};
    [
        CheckId::decl(config),
        Outcome::decl(config),
        Check::decl(config),
        MappedAttribute::decl(config),
        Report::decl(config),
    ]
}

fn signin() {
    use samlkit::signin::{Settings, SettingsCertificate};
    let config = Config::default();
    println!("// Generated from the Rust types by examples/ts_types.rs (ts-rs); do not edit.");
    let settings = [Settings::decl(&config), SettingsCertificate::decl(&config)];
    for declaration in report(&config).into_iter().chain(settings) {
        println!("export {declaration}");
    }
}
