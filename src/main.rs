use std::process::ExitCode;

use clap::Parser;
use milbrief::cli::{Cli, Command};
use milbrief::diag::Diagnostics;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // `check` prints its own report and has its own exit statuses.
    if let Command::Check(args) = &cli.command {
        return ExitCode::from(args.status());
    }
    match cli.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let Some(d) = e.downcast_ref::<Diagnostics>() {
                eprintln!("{d}");
                let n = d.0.len();
                eprintln!(
                    "error: {n} problem{} found; nothing was written",
                    if n == 1 { "" } else { "s" }
                );
            } else {
                eprint!("error: {e}");
                for cause in e.chain().skip(1) {
                    eprint!(": {cause}");
                }
                eprintln!();
            }
            ExitCode::FAILURE
        }
    }
}
