//! Every field of a draft connection, by its API name: one list that the
//! dialects' tables, the update rules and the panel's editors all use, so that
//! a field is added in one place.

use crate::model::Draft;

macro_rules! fields {
    ($($variant:ident = $name:literal,)*) => {
        /// A draft field ([`Draft`]'s members, as the API names them).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Field {
            $($variant,)*
        }

        impl Field {
            pub const ALL: &'static [Field] = &[$(Field::$variant,)*];

            /// The field's name in the API (and its JSON pointer without the `/`).
            pub const fn name(self) -> &'static str {
                match self {
                    $(Field::$variant => $name,)*
                }
            }

            pub fn parse(name: &str) -> Option<Field> {
                match name {
                    $($name => Some(Field::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

fields! {
    DisplayName = "display_name",
    IdentityProvider = "identity_provider",
    AuthProvider = "auth_provider",
    IdpEntityId = "idp_entity_id",
    IdpSsoUrl = "idp_sso_url",
    IdpSsoBinding = "idp_sso_binding",
    IdpSsoPostUrl = "idp_sso_post_url",
    IdpSsoRedirectUrl = "idp_sso_redirect_url",
    IdpSloUrl = "idp_slo_url",
    X509Certificate = "x509_certificate",
    VerificationCertificates = "verification_certificates",
    AttributeMapping = "attribute_mapping",
    SamlConnectionImplicitRoleAssignments = "saml_connection_implicit_role_assignments",
    SamlGroupImplicitRoleAssignments = "saml_group_implicit_role_assignments",
    SamlEncryptionPrivateKey = "saml_encryption_private_key",
    SamlEncryptionCertificate = "saml_encryption_certificate",
    SigningPrivateKey = "signing_private_key",
    SigningCertificate = "signing_certificate",
    NameidFormat = "nameid_format",
    AlternativeAudienceUri = "alternative_audience_uri",
    AlternativeAcsUrl = "alternative_acs_url",
    IdpInitiatedAuthDisabled = "idp_initiated_auth_disabled",
    AllowGatewayCallback = "allow_gateway_callback",
    AuthnContext = "authn_context",
    IncludeAuthnContext = "include_authn_context",
    GroupSyncEnabled = "group_sync_enabled",
    JitProvisioning = "jit_provisioning",
    MappingAttribute = "mapping_attribute",
    Enabled = "enabled",
    BypassIdp = "bypass_idp",
}

impl Field {
    /// The write-only private keys: never returned, and a masked value keeps them.
    pub const fn is_key(self) -> bool {
        matches!(self, Field::SamlEncryptionPrivateKey | Field::SigningPrivateKey)
    }

    /// A text field's value in a draft; `None` for fields that are not one text
    /// (lists, maps, booleans, and `x509_certificate`, which holds a parsed text).
    pub fn text(self, d: &Draft) -> Option<&Option<String>> {
        Some(match self {
            Field::DisplayName => &d.display_name,
            Field::IdentityProvider => &d.identity_provider,
            Field::AuthProvider => &d.auth_provider,
            Field::IdpEntityId => &d.idp_entity_id,
            Field::IdpSsoUrl => &d.idp_sso_url,
            Field::IdpSsoBinding => &d.idp_sso_binding,
            Field::IdpSsoPostUrl => &d.idp_sso_post_url,
            Field::IdpSsoRedirectUrl => &d.idp_sso_redirect_url,
            Field::IdpSloUrl => &d.idp_slo_url,
            Field::SamlEncryptionPrivateKey => &d.saml_encryption_private_key,
            Field::SamlEncryptionCertificate => &d.saml_encryption_certificate,
            Field::SigningPrivateKey => &d.signing_private_key,
            Field::SigningCertificate => &d.signing_certificate,
            Field::NameidFormat => &d.nameid_format,
            Field::AlternativeAudienceUri => &d.alternative_audience_uri,
            Field::AlternativeAcsUrl => &d.alternative_acs_url,
            Field::AuthnContext => &d.authn_context,
            Field::MappingAttribute => &d.mapping_attribute,
            _ => return None,
        })
    }

    /// [`Field::text`], to change it.
    pub fn text_mut(self, d: &mut Draft) -> Option<&mut Option<String>> {
        Some(match self {
            Field::DisplayName => &mut d.display_name,
            Field::IdentityProvider => &mut d.identity_provider,
            Field::AuthProvider => &mut d.auth_provider,
            Field::IdpEntityId => &mut d.idp_entity_id,
            Field::IdpSsoUrl => &mut d.idp_sso_url,
            Field::IdpSsoBinding => &mut d.idp_sso_binding,
            Field::IdpSsoPostUrl => &mut d.idp_sso_post_url,
            Field::IdpSsoRedirectUrl => &mut d.idp_sso_redirect_url,
            Field::IdpSloUrl => &mut d.idp_slo_url,
            Field::SamlEncryptionPrivateKey => &mut d.saml_encryption_private_key,
            Field::SamlEncryptionCertificate => &mut d.saml_encryption_certificate,
            Field::SigningPrivateKey => &mut d.signing_private_key,
            Field::SigningCertificate => &mut d.signing_certificate,
            Field::NameidFormat => &mut d.nameid_format,
            Field::AlternativeAudienceUri => &mut d.alternative_audience_uri,
            Field::AlternativeAcsUrl => &mut d.alternative_acs_url,
            Field::AuthnContext => &mut d.authn_context,
            Field::MappingAttribute => &mut d.mapping_attribute,
            _ => return None,
        })
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
