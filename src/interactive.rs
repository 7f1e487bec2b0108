//! `mtlint fix --interactive`: review each finding in the terminal before anything is written (being written).

use crate::cli::CheckArgs;
use crate::commands::Exit;

pub fn run(args: &CheckArgs) -> Exit {
    let _ = args;
    eprintln!("mtlint: fix --interactive is not available yet");
    Exit::Trouble
}
