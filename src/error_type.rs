//! The one vocabulary of error types: the server's `error_type`, the SDK's
//! `SamlkitError.code`. Every surface names a failure with one of these.

use serde::{Deserialize, Serialize};

macro_rules! error_types {
    ($( $variant:ident = $name:literal, $status:literal; )*) => {
        /// What kind of failure a request met.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorType {
            $( $variant, )*
        }

        impl ErrorType {
            pub const ALL: &'static [ErrorType] = &[$( ErrorType::$variant, )*];

            pub const fn as_str(self) -> &'static str {
                match self { $( ErrorType::$variant => $name, )* }
            }

            /// The HTTP status it is answered with (0: nothing was answered).
            pub const fn status(self) -> u16 {
                match self { $( ErrorType::$variant => $status, )* }
            }

            pub fn from_name(name: &str) -> Option<ErrorType> {
                match name { $( $name => Some(ErrorType::$variant), )* _ => None }
            }
        }
    };
}

error_types! {
    InvalidRequest = "invalid_request", 400;
    UnauthorizedCredentials = "unauthorized_credentials", 401;
    UnauthorizedAction = "unauthorized_action", 403;
    NotFound = "not_found", 404;
    MethodNotAllowed = "method_not_allowed", 405;
    RequestTimeout = "request_timeout", 408;
    PreconditionFailed = "precondition_failed", 412;
    PayloadTooLarge = "payload_too_large", 413;
    UnsupportedMediaType = "unsupported_media_type", 415;
    InternalServerError = "internal_server_error", 500;
    // Only the SDK says these: nothing was answered.
    InvalidArgument = "invalid_argument", 0;
    NetworkError = "network_error", 0;
}

impl ErrorType {
    /// The type of an HTTP status, as a client reads an answer that did not name one.
    pub fn of_status(status: u16) -> ErrorType {
        match status {
            400 | 422 => ErrorType::InvalidRequest,
            s => Self::ALL
                .iter()
                .copied()
                .find(|t| t.status() == s && s != 0)
                .unwrap_or(ErrorType::InternalServerError),
        }
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ErrorType {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(Self::ALL.iter().map(|t| t.as_str())))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ErrorType {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_statuses_map_back() {
        for &t in ErrorType::ALL {
            assert_eq!(ErrorType::from_name(t.as_str()), Some(t));
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
            if t.status() != 0 {
                assert_eq!(ErrorType::of_status(t.status()), t);
            }
        }
        assert_eq!(ErrorType::of_status(422), ErrorType::InvalidRequest);
        assert_eq!(ErrorType::of_status(502), ErrorType::InternalServerError);
    }
}
