//! Integration tests: one binary, one module per feature. Each test copies
//! a content folder into a temp dir (see `SiteTest`), runs the real
//! `mieruka` binary and asserts on its output.

mod build;
mod check;
mod errors;
mod guard;
mod hardening;
mod import;
mod import_quirks;
mod large;
mod links;
mod lists;
mod numbers;
mod opendata;
mod outputs;
mod publish;
mod rebuild;
mod residents;
mod schema;
mod search;
mod serve;
mod support;
mod web;
mod wording;
mod years;
