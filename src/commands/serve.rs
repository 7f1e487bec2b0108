//! `mtlint serve`: load the configuration and rules once, then run the HTTP server (see [`crate::serve`]).

use super::Exit;
use crate::cli::ServeArgs;
use crate::config::Resolver;
use crate::serve::{self, Options, engine::Engine};

pub fn run(args: &ServeArgs) -> Exit {
    // The configuration of the current folder (or --config) applies to every request.
    let settings = Resolver::for_run(args.config.as_deref(), args.isolated, args.selection.sources())
        .and_then(|resolver| resolver.settings_for(None));
    let settings = match settings {
        Ok(s) => s,
        Err(message) => {
            super::print_error(&message);
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
