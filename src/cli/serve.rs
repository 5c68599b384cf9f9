//! `milbrief serve`: previews the site on loopback, rebuilding and
//! reloading on every change.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::Args;

use crate::pipeline::BuildOptions;
use crate::serve::{Server, say};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Site root: the directory holding config.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Address to listen on. Anything but loopback exposes the preview.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include articles marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
}

impl ServeArgs {
    pub fn run(self) -> anyhow::Result<()> {
        let listener = std::net::TcpListener::bind(SocketAddr::new(self.bind, self.port))
            .map_err(|e| anyhow::anyhow!("cannot listen on {}:{}: {e}", self.bind, self.port))?;
        let addr = listener.local_addr()?;
        if !self.bind.is_loopback() {
            eprintln!(
                "warning: listening on {}, not loopback: anyone who can reach this machine can read the preview",
                self.bind
            );
        }
        let host = if self.bind.is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            match addr.ip() {
                IpAddr::V6(ip) => format!("[{ip}]"),
                IpAddr::V4(ip) => ip.to_string(),
            }
        };
        let url = format!("http://{host}:{}/", addr.port());
        let opts = BuildOptions {
            root: self.root.clone(),
            output: None,
            base_url: Some(url.clone()),
            drafts: self.drafts,
            clean: false,
        };
        let server = Server::start(opts, listener)?;
        // The site's own directory, not `.`: which site is this terminal serving?
        let root = std::fs::canonicalize(&self.root).unwrap_or(self.root);
        say(format_args!(
            "Serving {} at {url} (Ctrl-C to stop)",
            root.display()
        ));
        if self.open
            && let Err(e) = opener::open(&url)
        {
            eprintln!("warning: cannot open a browser: {e}");
        }
        server.wait()
    }
}
