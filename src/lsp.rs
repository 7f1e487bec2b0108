//! `mtlint lsp`: the language server (being written).

use crate::cli::LspArgs;
use crate::commands::Exit;

pub fn run(args: &LspArgs) -> Exit {
    let _ = args;
    eprintln!("mtlint: the language server is not available yet");
    Exit::Trouble
}
