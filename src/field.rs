//! Every field of a draft connection, by its API name: one list that the
//! dialects' tables, the update rules and the panel's editors all use, so that
//! a field is added in one place.

use crate::model::Draft;

macro_rules! fields {
    (
        text: { $($text:ident = $text_member:ident,)* }
        other: { $($other:ident = $other_member:ident,)* }
    ) => {
        /// A draft field ([`Draft`]'s members, as the API names them).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field {
            $($text,)*
            $($other,)*
        }

        impl Field {
            pub const ALL: &'static [Field] = &[$(Field::$text,)* $(Field::$other,)*];

            /// The field's name in the API (and its JSON pointer without the `/`):
            /// its member's name in [`Draft`].
            pub const fn name(self) -> &'static str {
                match self {
                    $(Field::$text => stringify!($text_member),)*
                    $(Field::$other => stringify!($other_member),)*
                }
            }

            pub fn parse(name: &str) -> Option<Field> {
                Field::ALL.iter().copied().find(|f| f.name() == name)
            }

            /// A text field's value in a draft; `None` for fields that are not one
            /// text (lists, maps, booleans, and `x509_certificate`, which holds a
            /// parsed text).
            pub fn text(self, d: &Draft) -> Option<&Option<String>> {
                match self {
                    $(Field::$text => Some(&d.$text_member),)*
                    _ => None,
                }
            }

            /// [`Field::text`], to change it.
            pub fn text_mut(self, d: &mut Draft) -> Option<&mut Option<String>> {
                match self {
                    $(Field::$text => Some(&mut d.$text_member),)*
                    _ => None,
                }
            }
        }
    };
}

fields! {
    text: {
        DisplayName = display_name,
        IdentityProvider = identity_provider,
        AuthProvider = auth_provider,
        IdpEntityId = idp_entity_id,
        IdpSsoUrl = idp_sso_url,
        IdpSsoBinding = idp_sso_binding,
        IdpSsoPostUrl = idp_sso_post_url,
        IdpSsoRedirectUrl = idp_sso_redirect_url,
        IdpSloUrl = idp_slo_url,
        SamlEncryptionPrivateKey = saml_encryption_private_key,
        SamlEncryptionCertificate = saml_encryption_certificate,
        SigningPrivateKey = signing_private_key,
        SigningCertificate = signing_certificate,
        NameidFormat = nameid_format,
        AlternativeAudienceUri = alternative_audience_uri,
        AlternativeAcsUrl = alternative_acs_url,
        AuthnContext = authn_context,
        MappingAttribute = mapping_attribute,
    }
    other: {
        X509Certificate = x509_certificate,
        VerificationCertificates = verification_certificates,
        AttributeMapping = attribute_mapping,
        SamlConnectionImplicitRoleAssignments = saml_connection_implicit_role_assignments,
        SamlGroupImplicitRoleAssignments = saml_group_implicit_role_assignments,
        IdpInitiatedAuthDisabled = idp_initiated_auth_disabled,
        AllowGatewayCallback = allow_gateway_callback,
        IncludeAuthnContext = include_authn_context,
        GroupSyncEnabled = group_sync_enabled,
        JitProvisioning = jit_provisioning,
        Enabled = enabled,
        BypassIdp = bypass_idp,
    }
}

impl Field {
    /// The write-only private keys: never returned, and a masked value keeps them.
    pub const fn is_key(self) -> bool {
        matches!(self, Field::SamlEncryptionPrivateKey | Field::SigningPrivateKey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_exactly_the_drafts_members() {
        // A draft with every member set serializes every member: the names must be the list.
        let mut draft: Draft = serde_json::from_value(serde_json::json!({
            "x509_certificate": "x", "verification_certificates": [{"certificate": "x"}],
            "attribute_mapping": {}, "saml_connection_implicit_role_assignments": [{"role_id": "r"}],
            "saml_group_implicit_role_assignments": [{"role_id": "r", "group": "g"}],
            "idp_initiated_auth_disabled": true, "allow_gateway_callback": true, "include_authn_context": true,
            "group_sync_enabled": true, "jit_provisioning": {}, "enabled": true, "bypass_idp": true,
        }))
        .unwrap();
        for field in Field::ALL {
            if let Some(slot) = field.text_mut(&mut draft) {
                *slot = Some("x".into());
            }
        }
        let value = serde_json::to_value(&draft).unwrap();
        let mut members: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        let mut names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        members.sort_unstable();
        names.sort_unstable();
        assert_eq!(members, names);
        for field in Field::ALL {
            assert_eq!(Field::parse(field.name()), Some(*field));
            assert_eq!(
                field.text(&draft).is_some(),
                field.text_mut(&mut draft.clone()).is_some()
            );
        }
    }
}
