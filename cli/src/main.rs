//! `lintas`: the LINTAS command line.

mod commands;
mod error;
mod eval;
mod options;

use std::process::ExitCode;

use clap::Parser;

use crate::commands::Command;

/// LINTAS face-recognition attendance: face engine tools.
#[derive(Parser)]
#[command(name = "lintas", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error[{}]: {error}", error.code());
            ExitCode::from(2)
        }
    }
}
