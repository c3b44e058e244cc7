//! Instants as whole seconds since the Unix epoch.
//!
//! The core never reads a clock (there is none in wasm32-unknown-unknown): every
//! rule that depends on the date takes `now` from its caller.

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// A UTC instant in seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

pub const SECONDS_PER_DAY: i64 = 86_400;

impl Timestamp {
    /// From milliseconds, as JavaScript's `Date.now()` gives them.
    pub fn from_millis(ms: f64) -> Timestamp {
        Timestamp((ms / 1000.0).floor() as i64)
    }

    /// `YYYY-MM-DDThh:mm:ssZ`, the form the API and the corpus use.
    pub fn to_iso(self) -> String {
        match OffsetDateTime::from_unix_timestamp(self.0) {
            Ok(t) => format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            Err(_) => self.0.to_string(),
        }
    }

    /// Parses an `xs:dateTime` as SAML metadata's `validUntil` carries it:
    /// RFC 3339, or the same without a zone (read as UTC, as SAML requires).
    pub fn parse_xs_datetime(text: &str) -> Option<Timestamp> {
        let text = text.trim();
        if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
            return Some(Timestamp(t.unix_timestamp()));
        }
        let with_zone = format!("{text}Z");
        let t = PrimitiveDateTime::parse(&with_zone, &Rfc3339)
            .map(|t| t.assume_offset(UtcOffset::UTC))
            .or_else(|_| OffsetDateTime::parse(&with_zone, &Rfc3339))
            .ok()?;
        Some(Timestamp(t.unix_timestamp()))
    }

    /// Whole days from `self` until `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Timestamp) -> i64 {
        (later.0 - self.0).div_euclid(SECONDS_PER_DAY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trip() {
        let t = Timestamp::parse_xs_datetime("2026-11-23T00:00:00Z").unwrap();
        assert_eq!(t.0, 1_795_392_000);
        assert_eq!(t.to_iso(), "2026-11-23T00:00:00Z");
    }

    #[test]
    fn xs_datetime_forms() {
        let z = Timestamp::parse_xs_datetime("2026-06-22T18:39:53.000Z").unwrap();
        assert_eq!(z.to_iso(), "2026-06-22T18:39:53Z");
        let no_zone = Timestamp::parse_xs_datetime("2026-06-22T18:39:53").unwrap();
        assert_eq!(no_zone, z);
        let offset = Timestamp::parse_xs_datetime("2026-06-22T20:39:53+02:00").unwrap();
        assert_eq!(offset, z);
        assert!(Timestamp::parse_xs_datetime("yesterday").is_none());
    }

    #[test]
    fn days_until_floors() {
        let a = Timestamp(0);
        assert_eq!(a.days_until(Timestamp(SECONDS_PER_DAY * 3 - 1)), 2);
        assert_eq!(a.days_until(Timestamp(-1)), -1);
    }
}
