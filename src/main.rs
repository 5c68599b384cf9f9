use std::process::ExitCode;

use clap::Parser;
use milbrief::{Cli, Command, Error};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // `check` prints its own report and has its own exit statuses.
    if let Command::Check(args) = &cli.command {
        return ExitCode::from(args.status());
    }
    match cli.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Site(d)) => {
            eprintln!("{d}");
            let n = d.0.len();
            eprintln!(
                "error: {n} problem{} found; nothing was written",
                if n == 1 { "" } else { "s" }
            );
            ExitCode::FAILURE
        }
        Err(Error::Other(e)) => {
            eprint!("error: {e}");
            for cause in e.chain().skip(1) {
                eprint!(": {cause}");
            }
            eprintln!();
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
