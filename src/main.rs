//! The `mtlint` binary: parse the command line, run the command, map the outcome to the exit code.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use clap::Parser;
use mtlint::cli::{Cli, Command};
use mtlint::commands;

fn main() {
    let cli = Cli::parse();
    let exit = match &cli.command {
        Command::Check(args) => commands::check::run(args, false),
        Command::Fix(args) if args.interactive => mtlint::interactive::run(args),
        Command::Fix(args) => commands::check::run(args, true),
        Command::Rules(args) => commands::rules::run(args),
        Command::TestRules(args) => commands::test_rules::run(args),
        Command::Config(args) => commands::config::run(args),
        Command::Lsp(args) => mtlint::lsp::run(args),
        Command::Serve(args) => commands::serve::run(args),
    };
    std::process::exit(exit as i32);
}
