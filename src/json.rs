//! Typed values read from a `serde_json::Value`: the one deserializer the core's
//! types are read with, in the browser and on the server.
//!
//! serde_json's own `&Value` deserializer also reads a struct from an array of
//! its fields in order and a unit variant from `{"name": null}`, which no API
//! here speaks; the array form cost every type a second visitor in the wasm
//! (8 KB of the SDK's gzip). This one reads a struct from an object only (an
//! array there is `invalid type: sequence, expected struct Draft`) and a unit
//! variant from its name only. Everything else reads as with serde_json, with
//! its messages: errors are `serde_json::Error`, made by the same
//! `serde::de::Error` constructors from the same `Unexpected` values (a unit test
//! compares the two over a table of values).

use serde::Deserialize;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};
use serde_json::{Error, Number, Value};

/// `T` from `value`; a struct only from an object.
pub fn read<'a, T: Deserialize<'a>>(value: &'a Value) -> Result<T, Error> {
    T::deserialize(Reader(value))
}

/// The deserializer [`read`] uses, for a caller that wraps it (the server tracks
/// the path of a request body's error with serde_path_to_error).
pub fn reader(value: &Value) -> impl de::Deserializer<'_, Error = Error> {
    Reader(value)
}

/// The deserializer over one value.
#[derive(Clone, Copy)]
struct Reader<'a>(&'a Value);

/// What a value is, in the words of an `invalid type` error.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => number_unexpected(n),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

fn number_unexpected(n: &Number) -> Unexpected<'static> {
    match (n.as_u64(), n.as_i64()) {
        (Some(u), _) => Unexpected::Unsigned(u),
        (None, Some(i)) => Unexpected::Signed(i),
        _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
    }
}

fn visit_number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, Error> {
    match (n.as_u64(), n.as_i64()) {
        (Some(u), _) => visitor.visit_u64(u),
        (None, Some(i)) => visitor.visit_i64(i),
        _ => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
    }
}

impl<'de> Reader<'de> {
    fn invalid<V: Visitor<'de>>(self, visitor: &V) -> Error {
        de::Error::invalid_type(unexpected(self.0), visitor)
    }
}

/// The number `deserialize_*` methods: a number, else `invalid type`.
macro_rules! scalar {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0 {
                Value::Number(n) => visit_number(n, visitor),
                _ => Err(self.invalid(&visitor)),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Reader<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visitor.visit_seq(Items(items.iter())),
            Value::Object(members) => visitor.visit_map(Members {
                members: members.iter(),
                value: None,
            }),
        }
    }

    scalar!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64);

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_borrowed_str(s),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Items(items.iter())),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(members) => visitor.visit_map(Members {
                members: members.iter(),
                value: None,
            }),
            _ => Err(self.invalid(&visitor)),
        }
    }

    /// A struct from an object only (serde_json's also takes an array of the fields).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    /// Unit variants, by name: every enum the core reads is one of those (serde_json's
    /// also takes `{"name": null}`).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(IntoDeserializer::<Error>::into_deserializer(s.as_str())),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// An array's elements.
struct Items<'a>(std::slice::Iter<'a, Value>);

impl<'de> de::SeqAccess<'de> for Items<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|v| seed.deserialize(Reader(v))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// An object's members.
struct Members<'a> {
    members: serde_json::map::Iter<'a>,
    value: Option<&'a Value>,
}

impl<'de> de::MapAccess<'de> for Members<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.members.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(Reader(value)),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::{infisical::ConfigView, sailpoint::IdpDetails};
    use crate::model::{Draft, IdentityProvider, Status};
    use serde::de::DeserializeOwned;
    use serde_json::json;
    use std::collections::BTreeMap;
    use std::fmt::Debug;

    /// `read` and serde_json's own `&Value` deserializer give the same value or the same message.
    fn agrees<T: DeserializeOwned + PartialEq + Debug>(value: &Value) {
        let ours = read::<T>(value).map_err(|e| e.to_string());
        let serde_json = T::deserialize(value).map_err(|e| e.to_string());
        assert_eq!(ours, serde_json, "{value}");
    }

    #[test]
    fn reads_what_serde_json_reads_with_its_messages() {
        let role = |role_id: Value| json!({"role_id": role_id, "group": "admins"});
        for draft in [
            json!({}),
            json!({"display_name": "Acme", "identity_provider": "okta", "idp_sso_url": null,
                "x509_certificate": "PEM", "verification_certificates": [{"certificate": "PEM"}],
                "attribute_mapping": {"email": "mail", "groups": "memberOf"},
                "saml_group_implicit_role_assignments": [role("r".into())], "unknown": [1, {"a": 2}]}),
            json!({"display_name": 5}),
            json!({"display_name": "A", "idp_sso_url": ["x"]}),
            json!({"attribute_mapping": {"email": "mail", "groups": {"a": 1}}}),
            json!({"saml_group_implicit_role_assignments": [role("a".into()), role(json!(1))]}),
            json!({"saml_group_implicit_role_assignments": [role("a".into()), {"group": "g"}]}),
            json!({"saml_connection_implicit_role_assignments": {"role_id": "r"}}),
            json!({"idp_initiated_auth_disabled": "yes"}),
            json!({"idp_initiated_auth_disabled": true, "display_name": -1.5}),
            json!(5),
            json!("text"),
            json!(null),
        ] {
            agrees::<Draft>(&draft);
        }
        for value in [json!("active"), json!("nope")] {
            agrees::<Status>(&value);
        }
        for value in [json!("active"), json!("nope"), json!(null)] {
            agrees::<Option<Status>>(&value);
        }
        for value in [
            json!(0),
            json!(255),
            json!(256),
            json!(-1),
            json!(1.5),
            json!("1"),
            json!(true),
        ] {
            agrees::<u8>(&value);
            agrees::<i64>(&value);
            agrees::<f64>(&value);
            agrees::<bool>(&value);
            agrees::<String>(&value);
        }
        for value in [
            json!([1, 2]),
            json!([]),
            json!(["a"]),
            json!({"a": "b"}),
            json!({"a": 1}),
            json!("ab"),
        ] {
            agrees::<Vec<u16>>(&value);
            agrees::<BTreeMap<String, String>>(&value);
            agrees::<(u8, u8)>(&value);
            agrees::<char>(&value);
            agrees::<Value>(&value);
        }
        let view = json!({"id": "i", "orgId": "o", "isActive": true, "lastUsed": null, "createdAt": "c",
            "updatedAt": "u", "authProvider": "okta-saml", "entryPoint": "https://idp", "issuer": "urn:x",
            "cert": "PEM", "enableGroupSync": false, "spAcsUrl": "https://sp", "spEntityId": "urn:sp"});
        agrees::<ConfigView>(&view);
        agrees::<ConfigView>(&json!({"id": "i"}));
        agrees::<IdpDetails>(&json!({"role": "SAML_IDP", "entityId": "urn:x"}));
        agrees::<IdpDetails>(&json!({"role": "SAML_IDP", "surplus": 1}));
    }

    #[test]
    fn a_struct_is_an_object_and_an_enum_a_name() {
        // serde_json's deserializer also takes a struct as an array of its fields in order.
        let positional = json!(["Acme", "okta"]);
        assert!(Draft::deserialize(&positional).is_ok());
        assert_eq!(
            read::<Draft>(&positional).unwrap_err().to_string(),
            "invalid type: sequence, expected struct Draft"
        );
        // And a unit variant as `{"name": null}`; here a variant is its name, nothing else.
        let tagged = json!({"okta": null});
        assert_eq!(IdentityProvider::deserialize(&tagged).unwrap(), IdentityProvider::Okta);
        for (value, what) in [
            (tagged, "map"),
            (json!(3), "integer `3`"),
            (json!(null), "null"),
            (json!(["okta"]), "sequence"),
        ] {
            assert_eq!(
                read::<IdentityProvider>(&value).unwrap_err().to_string(),
                format!("invalid type: {what}, expected enum IdentityProvider")
            );
        }
    }
}
