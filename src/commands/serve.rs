//! `mtlint serve`: load the configuration and rules once, then run the HTTP server (see [`crate::serve`]).

use super::Exit;
use crate::cli::ServeArgs;
use crate::config::{ConfigChoice, Resolver};
use crate::serve::{self, Options, engine::Engine};

pub fn run(args: &ServeArgs) -> Exit {
    let choice = match ConfigChoice::from_flags(args.config.as_deref(), args.isolated) {
        Ok(choice) => choice,
        Err(message) => {
            eprintln!("mtlint: {message}");
            return Exit::Trouble;
        }
    };
    let cli_rules = args.selection.sources();
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
