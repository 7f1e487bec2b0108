//! mtlint: finds machine-translation artifacts in English text and suggests the corrected wording.
//!
//! Data flows one way: a [`Document`] is read and decoded, [`check_text`] runs a compiled [`RuleSet`] over it and
//! returns [`Finding`]s, and reporters or [`fix`] consume them. The command-line front end (`main.rs`,
//! [`commands`]) only wires these calls together.
//!
//! ```
//! use mtlint::{RuleSet, RuleSources, check_text};
//! let rules = RuleSet::load(&RuleSources::default()).expect("the built-in rules are valid");
//! let text = "Officials spoke at the National New Office.";
//! let findings = check_text(text, &rules);
//! assert_eq!(findings[0].matched(text), "National New Office");
//! assert_eq!(findings[0].suggestions[0], "State Council Information Office");
//! ```
//!
//! No input should make mtlint panic: outside tests, `unwrap`, `expect` and unchecked indexing or slicing are
//! refused by clippy. The few that remain are allowed where they stand, each with the invariant that makes it safe.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

pub mod baseline;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod document;
pub mod filter;
pub mod finding;
pub mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod input;
pub mod interactive;
pub mod lsp;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod score;
pub mod serve;
pub mod suppress;

pub use check::check_text;
pub use document::Document;
pub use finding::{Finding, FixSafety, Severity};
pub use rules::{Rule, RuleError, RuleSet, RuleSources};
