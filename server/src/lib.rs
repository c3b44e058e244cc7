//! samlkit-server: the reference backend. It validates with the very same
//! `samlkit` core the browser runs, so its verdict equals the panel's.

pub mod auth;
pub mod config;
pub mod connections;
pub mod db;
pub mod error;
pub mod fetch;
pub mod http;
pub mod seed;
pub mod signin;
pub mod signing;
pub mod spmeta;
pub mod startup;
pub mod tokens;
