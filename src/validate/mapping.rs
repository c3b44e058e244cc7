//! Attribute mapping and role assignment rules.

use crate::issue::pointer as path_for;
use crate::issue::{Code, Issue};
use crate::model::{ConnectionRoleAssignment, GroupRoleAssignment, JitProvisioning};
use std::collections::{BTreeMap, BTreeSet};

const BASE: &str = "/attribute_mapping";

/// Just-in-time provisioning, when enabled, needs a source and mappings for the
/// identity attributes it creates accounts from (SailPoint's rule).
pub fn check_jit(jit: &JitProvisioning) -> Vec<Issue> {
    const BASE: &str = "/jit_provisioning";
    let mut issues = Vec::new();
    if !jit.enabled {
        return issues;
    }
    if jit.source_id.as_deref().is_none_or(|s| s.trim().is_empty()) {
        issues.push(Issue::new(Code::JitSourceIdMissing, path_for(BASE, "source_id")));
    }
    let mappings = path_for(BASE, "source_attribute_mappings");
    for key in ["firstName", "lastName", "email"] {
        if jit
            .source_attribute_mappings
            .get(key)
            .is_none_or(|v| v.trim().is_empty())
        {
            issues.push(Issue::with_message(
                Code::JitMappingIncomplete,
                path_for(&mappings, key),
                format!("Map {key} for just-in-time provisioning."),
            ));
        }
    }
    issues
}

/// `email` is required, and `full_name` or both `first_name` and `last_name`;
/// a `groups` key is required once group role assignments exist.
pub fn check_attribute_mapping(mapping: &BTreeMap<String, String>, has_group_roles: bool) -> Vec<Issue> {
    let mut issues = Vec::new();
    if !mapping.contains_key("email") {
        issues.push(Issue::new(Code::AttributeMappingMissingEmail, path_for(BASE, "email")));
    }
    if !mapping.contains_key("full_name") {
        match (mapping.contains_key("first_name"), mapping.contains_key("last_name")) {
            (true, true) => {}
            (true, false) => issues.push(Issue::with_message(
                Code::AttributeMappingMissingName,
                path_for(BASE, "last_name"),
                "Map last_name too, or map full_name instead.",
            )),
            (false, true) => issues.push(Issue::with_message(
                Code::AttributeMappingMissingName,
                path_for(BASE, "first_name"),
                "Map first_name too, or map full_name instead.",
            )),
            (false, false) => issues.push(Issue::new(
                Code::AttributeMappingMissingName,
                path_for(BASE, "full_name"),
            )),
        }
    }
    if has_group_roles && !mapping.contains_key("groups") {
        issues.push(Issue::new(
            Code::AttributeMappingMissingGroups,
            path_for(BASE, "groups"),
        ));
    }
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (key, value) in mapping {
        let path = path_for(BASE, key);
        if key.trim().is_empty() {
            issues.push(Issue::with_message(
                Code::AttributeMappingEmptyName,
                path,
                "A mapping key cannot be empty.",
            ));
            continue;
        }
        let attribute = value.trim();
        if attribute.is_empty() {
            issues.push(Issue::new(Code::AttributeMappingEmptyName, path));
            continue;
        }
        // IdP attribute names are compared case-insensitively: Entra and ADFS differ only in case.
        // ASCII letters are folded: claim names and URIs are ASCII, and Unicode's case tables
        // would cost 8 KB of the SDK's gzip.
        match seen.get(&attribute.to_ascii_lowercase()) {
            Some(first) => issues.push(Issue::with_message(
                Code::AttributeMappingDuplicate,
                path,
                format!("{key} and {first} are both mapped to the IdP attribute {attribute:?}."),
            )),
            None => {
                seen.insert(attribute.to_ascii_lowercase(), key);
            }
        }
    }
    issues
}

/// Every assignment names a role (and a group); none is listed twice.
pub fn check_role_assignments(connection: &[ConnectionRoleAssignment], group: &[GroupRoleAssignment]) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, a) in connection.iter().enumerate() {
        let base = format!("/saml_connection_implicit_role_assignments/{i}");
        if a.role_id.trim().is_empty() {
            issues.push(Issue::new(Code::RoleIdEmpty, format!("{base}/role_id")));
        } else if !seen.insert(a.role_id.trim().to_owned()) {
            issues.push(Issue::with_message(
                Code::RoleAssignmentDuplicate,
                base,
                format!("The role {:?} is already assigned.", a.role_id.trim()),
            ));
        }
    }
    let mut seen = BTreeSet::new();
    for (i, a) in group.iter().enumerate() {
        let base = format!("/saml_group_implicit_role_assignments/{i}");
        let mut complete = true;
        if a.role_id.trim().is_empty() {
            issues.push(Issue::new(Code::RoleIdEmpty, format!("{base}/role_id")));
            complete = false;
        }
        if a.group.trim().is_empty() {
            issues.push(Issue::new(Code::RoleGroupEmpty, format!("{base}/group")));
            complete = false;
        }
        if complete && !seen.insert((a.group.trim().to_owned(), a.role_id.trim().to_owned())) {
            issues.push(Issue::with_message(
                Code::RoleAssignmentDuplicate,
                base,
                format!(
                    "The group {:?} already grants the role {:?}.",
                    a.group.trim(),
                    a.role_id.trim()
                ),
            ));
        }
    }
    issues
}
