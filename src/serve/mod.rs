//! `milbrief serve`: builds the site into memory, serves it on loopback,
//! watches the site's files, rebuilds incrementally and reloads open pages.
//! Nothing is written to disk: `public/` and `content/` are never touched.

mod http;
pub use http::Limits;
mod watch;

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::error::Error;
use crate::pipeline::BuildOptions;
use crate::workspace::{Rebuild, Workspace};

/// What the server shows: the last good site, and the last error if the
/// latest rebuild failed.
#[derive(Default)]
pub struct Snapshot {
    pub outputs: crate::workspace::Outputs,
    pub error: Option<String>,
    /// Increases with every successful rebuild.
    pub version: u64,
}

/// A message to open pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    Reload(u64),
    Css(u64),
    Error(String),
    /// The server is stopping: event streams end.
    Shutdown,
}

pub struct Shared {
    pub snapshot: RwLock<Snapshot>,
    pub notices: broadcast::Sender<Notice>,
}

impl Shared {
    fn new() -> Arc<Shared> {
        Arc::new(Shared {
            snapshot: RwLock::new(Snapshot::default()),
            notices: broadcast::channel(64).0,
        })
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Snapshot> {
        self.snapshot.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Snapshot> {
        self.snapshot.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running preview server: the HTTP server on its runtime, and the
/// watcher thread that rebuilds.
pub struct Server {
    pub shared: Arc<Shared>,
    pub addr: SocketAddr,
    runtime: tokio::runtime::Runtime,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    http: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _watcher: watch::Watcher,
}

impl Server {
    /// Builds the site, starts watching and serving on `listener`.
    pub fn start(opts: BuildOptions, listener: std::net::TcpListener) -> anyhow::Result<Server> {
        Self::start_with(opts, listener, http::Limits::default())
    }

    /// [`Server::start`] with chosen connection limits.
    pub fn start_with(
        opts: BuildOptions,
        listener: std::net::TcpListener,
        limits: http::Limits,
    ) -> anyhow::Result<Server> {
        let shared = Shared::new();
        let mut ws = Workspace::new(opts.clone());
        rebuild(&mut ws, &shared, None);
        let watcher = watch::Watcher::start(&opts.root, ws, shared.clone())?;

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let app = http::router(shared.clone());
        let notices = shared.notices.clone();
        let http = runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            http::serve(listener, app, limits, async move {
                tokio::select! {
                    _ = rx => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
                // Open event streams would keep the server waiting.
                let _ = notices.send(Notice::Shutdown);
            })
            .await
        });
        Ok(Server {
            shared,
            addr,
            runtime,
            shutdown: Some(tx),
            http: Some(http),
            _watcher: watcher,
        })
    }

    /// Serves until Ctrl-C.
    pub fn wait(mut self) -> anyhow::Result<()> {
        if let Some(h) = self.http.take() {
            self.runtime.block_on(h)??;
        }
        say(format_args!("Stopped."));
        Ok(())
    }

    /// Stops the server (for tests).
    pub fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.http.take() {
            let _ = self.runtime.block_on(h);
        }
    }
}

/// Prints a line; a closed standard output is no reason to stop serving.
pub(crate) fn say(args: std::fmt::Arguments<'_>) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_fmt(args);
    let _ = out.write_all(b"\n");
    let _ = out.flush();
}

/// Runs one rebuild and publishes its result: new outputs and a reload, or
/// the error (printed, and shown in open pages) with the old site kept.
/// A rebuild that panics is an error like any other: the workspace starts
/// afresh, the server keeps serving the last good site, and the next
/// change rebuilds everything.
pub(crate) fn rebuild(
    ws: &mut Workspace,
    shared: &Shared,
    changed: Option<&[std::path::PathBuf]>,
) -> Option<Rebuild> {
    let started = Instant::now();
    let result = guarded(ws, |ws| ws.rebuild_paths(changed));
    publish(ws, shared, started, result)
}

/// Runs a rebuild step; a panic in it becomes an error, and the workspace
/// starts afresh (what it held may be half updated).
fn guarded<T>(
    ws: &mut Workspace,
    f: impl FnOnce(&mut Workspace) -> crate::error::Result<T>,
) -> crate::error::Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(ws))) {
        Ok(r) => r,
        Err(panic) => {
            *ws = Workspace::new(ws.options().clone());
            Err(panic_error(panic.as_ref()))
        }
    }
}

/// A rebuild's panic as an error that names it.
fn panic_error(panic: &(dyn std::any::Any + Send)) -> Error {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".to_string());
    Error::Other(anyhow::anyhow!(
        "internal error: the rebuild panicked ({what}); please report it. The next change rebuilds everything"
    ))
}

/// Publishes a rebuild's result to open pages and the terminal.
fn publish(
    ws: &Workspace,
    shared: &Shared,
    started: Instant,
    result: crate::error::Result<Rebuild>,
) -> Option<Rebuild> {
    use std::io::Write as _;
    match result {
        Ok(r) => {
            let (notice, first) = {
                let mut snap = shared.write();
                let first = snap.version == 0;
                let had_error = snap.error.take().is_some();
                snap.outputs = ws.outputs().clone();
                snap.version += 1;
                let notice = if r.css_only() && !had_error {
                    Notice::Css(snap.version)
                } else {
                    Notice::Reload(snap.version)
                };
                (notice, first)
            };
            let _ = shared.notices.send(notice);
            say(format_args!(
                "{} in {} ms: {} article{} read, {} page{} rendered, {} changed, {} removed",
                if first { "Built" } else { "Rebuilt" },
                started.elapsed().as_millis(),
                r.reread,
                if r.reread == 1 { "" } else { "s" },
                r.rendered,
                if r.rendered == 1 { "" } else { "s" },
                r.changed.len(),
                r.removed.len()
            ));
            if std::env::var_os("MILBRIEF_TIMINGS").is_some() {
                let parts: Vec<String> = r
                    .phases
                    .iter()
                    .map(|(n, d)| format!("{n} {} ms", d.as_millis()))
                    .collect();
                say(format_args!("  timings: {}", parts.join(", ")));
            }
            Some(r)
        }
        Err(e) => {
            let msg = match &e {
                Error::Site(d) => d.to_string(),
                e => format!("{e:#}"),
            };
            let _ = writeln!(
                std::io::stderr(),
                "{msg}\nerror: rebuild failed; still serving the last good site"
            );
            shared.write().error = Some(msg.clone());
            let _ = shared.notices.send(Notice::Error(msg));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rebuild that panics is reported as an error (the status endpoint
    /// shows it), the server's last good site stays, and the next rebuild
    /// runs on a fresh workspace.
    #[test]
    fn a_panicking_rebuild_is_an_error_and_serving_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::write(
            dir.path().join("content/a.md"),
            "+++\ntitle = \"A\"\ndate = 2024-01-02\n+++\n\nText.\n",
        )
        .unwrap();
        let shared = Shared::new();
        let mut ws = Workspace::new(BuildOptions::new(dir.path()));
        assert!(rebuild(&mut ws, &shared, None).is_some());
        let good = shared.read().outputs.len();
        assert!(good > 0);

        // (The panic message below is expected in the test's output.)
        let r: crate::error::Result<Rebuild> = guarded(&mut ws, |_| panic!("boom"));
        let err = format!("{:#}", r.as_ref().err().unwrap());
        assert!(err.contains("panicked (boom)"), "{err}");
        assert!(publish(&ws, &shared, Instant::now(), r).is_none());
        {
            let snap = shared.read();
            assert!(snap.error.as_deref().unwrap().contains("boom"));
            assert_eq!(
                snap.outputs.len(),
                good,
                "the last good site is still served"
            );
        }
        assert!(ws.outputs().is_empty(), "the workspace started afresh");
        assert!(rebuild(&mut ws, &shared, None).is_some());
        assert!(shared.read().error.is_none());
        assert_eq!(shared.read().outputs.len(), good);
    }
}
