//! `mtlint serve`: load the configuration and rules once, then run the HTTP server (see [`crate::serve`]).

use super::Exit;
use crate::cli::ServeArgs;
use crate::config::{ConfigChoice, Resolver};
use crate::rules::RuleSources;
use crate::serve::{self, Options, engine::Engine};

pub fn run(args: &ServeArgs) -> Exit {
    let choice = match (&args.config, args.isolated) {
        (_, true) => ConfigChoice::Isolated,
        (Some(path), _) => {
            if !path.is_file() {
                eprintln!("mtlint: {}: no such configuration file", path.display());
                return Exit::Trouble;
            }
            ConfigChoice::File(path.clone())
        }
        (None, false) => ConfigChoice::Discover,
    };
    let cli_rules = RuleSources { no_default: args.selection.no_default_rules, paths: args.selection.rules.clone() };
    // The configuration of the current folder (or --config) applies to every request.
    let settings = match Resolver::new(choice, cli_rules).settings_for(None) {
        Ok(s) => s,
        Err(message) => {
            for line in message.lines() {
                eprintln!("mtlint: {line}");
            }
            return Exit::Trouble;
        }
    };
    let options = Options {
        host: args.host.clone(),
        port: args.port,
        max_body: args.max_body,
        allow_origin: args.allow_origin.clone(),
    };
    match serve::run(&options, Engine::new(settings)) {
        Ok(()) => Exit::Clean,
        Err(e) => {
            eprintln!("mtlint: {e}");
            Exit::Trouble
        }
    }
}
