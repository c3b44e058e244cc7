//! samlkit: one core that decides what a valid SAML SSO connection is.
//!
//! The same code runs natively (the reference server) and as WebAssembly (the
//! npm SDK and the admin panel). It has no web dependencies and reads no clock:
//! the current time is always passed in.

pub mod error_type;
pub mod field;
pub mod issue;
pub mod json;
pub mod keys;
pub mod pem;
pub mod secret;
pub mod time;
pub mod x509;

pub use error_type::ErrorType;
pub use issue::{Code, Issue, Severity};
pub use time::Timestamp;
pub mod metadata;
pub mod model;
pub mod provider;
pub mod urls;
pub mod validate;

#[cfg(feature = "debugger")]
pub mod debugger;
pub mod dialect;
#[cfg(feature = "js")]
pub mod js;
pub mod patch;
#[cfg(feature = "signin")]
pub mod signin;
pub mod update;

#[cfg(feature = "panel")]
pub mod panel;
