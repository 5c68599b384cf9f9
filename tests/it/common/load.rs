#![allow(dead_code)]
//! A load generator for the preview server, shared by the load test and
//! the `serve_load` benchmark: many GET requests over a fixed number of
//! concurrent keep-alive connections while another thread edits articles,
//! with the server's resident memory sampled throughout.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use http_body_util::BodyExt as _;

/// What a run did.
#[derive(Debug, Default, Clone)]
pub struct LoadReport {
    pub requests: usize,
    /// Failed connections or requests, and pages answered with the wrong
    /// status or an empty body.
    pub errors: usize,
    pub first_errors: Vec<String>,
    pub elapsed: Duration,
    pub edits: usize,
    /// Resident memory of the server process, in KiB: at the start, the
    /// highest sample, and at the end.
    pub rss_start_kb: u64,
    pub rss_peak_kb: u64,
    pub rss_end_kb: u64,
}

impl LoadReport {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Resident memory of a process in KiB (Linux), 0 where unknown.
pub fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// One request to make: a path and the status it must answer with.
#[derive(Clone, Debug)]
pub struct Target {
    pub path: String,
    pub status: u16,
}

/// Sends `total` requests, cycling through `targets`, over `connections`
/// concurrent connections to `addr`, while `edit` runs again and again on
/// a thread of its own. Samples the resident memory of process `pid`.
pub fn run(
    addr: SocketAddr,
    targets: Vec<Target>,
    total: usize,
    connections: usize,
    pid: u32,
    mut edit: impl FnMut(usize) + Send + 'static,
) -> LoadReport {
    let done = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(rss_kb(pid)));
    let rss_start_kb = peak.load(Ordering::Relaxed);

    let sampler = {
        let (done, peak) = (done.clone(), peak.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(rss_kb(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let editor = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut n = 0;
            while !done.load(Ordering::Relaxed) {
                edit(n);
                n += 1;
                std::thread::sleep(Duration::from_millis(25));
            }
            n
        })
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(std::sync::Mutex::new((0usize, Vec::<String>::new())));
    let targets = Arc::new(targets);
    let started = Instant::now();
    runtime.block_on(async {
        let mut tasks = Vec::new();
        for _ in 0..connections {
            let (next, errors, targets) = (next.clone(), errors.clone(), targets.clone());
            tasks.push(tokio::spawn(async move {
                // One client per task: one keep-alive connection each.
                let client = hyper_util::client::legacy::Client::builder(
                    hyper_util::rt::TokioExecutor::new(),
                )
                .pool_max_idle_per_host(1)
                .build_http::<String>();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let t = &targets[i % targets.len()];
                    let uri = format!("http://{addr}{}", t.path);
                    let outcome = async {
                        let uri = uri.parse().map_err(|e| format!("{e}"))?;
                        let resp = client.get(uri).await.map_err(|e| format!("{e:?}"))?;
                        let status = resp.status().as_u16();
                        let body = resp
                            .into_body()
                            .collect()
                            .await
                            .map_err(|e| format!("{e}"))?
                            .to_bytes();
                        if status != t.status {
                            return Err(format!("status {status}, expected {}", t.status));
                        }
                        if body.is_empty() {
                            return Err("empty body".to_string());
                        }
                        Ok(())
                    }
                    .await;
                    if let Err(e) = outcome {
                        let mut g = errors.lock().unwrap();
                        g.0 += 1;
                        if g.1.len() < 5 {
                            g.1.push(format!("{}: {e}", t.path));
                        }
                    }
                }
            }));
        }
        for t in tasks {
            t.await.expect("a client task");
        }
    });
    let elapsed = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let edits = editor.join().expect("the editing thread");
    sampler.join().expect("the sampling thread");
    let rss_end_kb = rss_kb(pid);
    let (n_errors, first_errors) = errors.lock().unwrap().clone();
    LoadReport {
        requests: total,
        errors: n_errors,
        first_errors,
        elapsed,
        edits,
        rss_start_kb,
        rss_peak_kb: peak.load(Ordering::Relaxed).max(rss_end_kb),
        rss_end_kb,
    }
}

/// Writes a synthetic site of `n` articles with explicit tags, so that
/// edits of their text never move them between pages.
pub fn write_site(root: &Path, n: usize) {
    let countries = ["PL", "DE", "FR", "JP", "PK", "RU", "US", "IN", "TR", "GR"];
    let topics = [
        "diplomacy",
        "procurement",
        "military-exercises",
        "arms-trade",
    ];
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(
        root.join("config.toml"),
        "title = \"Load test\"\nper_page = 20\n",
    )
    .unwrap();
    for i in 0..n {
        let (m, d) = (1 + (i / 28) % 12, 1 + i % 28);
        std::fs::write(
            root.join(format!("content/2023-{m:02}-{d:02}-story-{i}.md")),
            article(i, countries[i % 10], topics[i % 4], 0),
        )
        .unwrap();
    }
}

/// The text of article `i`, revision `rev`.
pub fn article(i: usize, country: &str, topic: &str, rev: usize) -> String {
    format!(
        "+++\ntitle = \"Story {i}, revision {rev}\"\ncountries = [\"{country}\"]\ntopics = [\"{topic}\"]\n+++\n\n\
         Officials said on Monday that talks number {i} would continue, revision {rev}.\n\n\
         The ministry added that delegations from both sides met for a further round of \
         negotiations on arms purchases, training and joint exercises.\n"
    )
}

/// Saves a file as careful editors do: a temporary file renamed over it.
pub fn save(path: &Path, text: &str) {
    let name = path.file_name().unwrap().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// Holds `n` connections to `addr` that never send a byte, opening a new
/// one whenever the server closes one, until `stop`; returns how many were
/// opened in all.
pub fn idle_clients(
    addr: SocketAddr,
    n: usize,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        use std::io::Read as _;
        let open = |opened: &mut usize| {
            let s = std::net::TcpStream::connect(addr).ok()?;
            s.set_nonblocking(true).ok()?;
            *opened += 1;
            Some(s)
        };
        let mut opened = 0;
        let mut conns: Vec<Option<std::net::TcpStream>> =
            (0..n).map(|_| open(&mut opened)).collect();
        let mut buf = [0u8; 64];
        while !stop.load(Ordering::Relaxed) {
            for c in conns.iter_mut() {
                let closed = match c {
                    None => true,
                    Some(s) => match s.read(&mut buf) {
                        Ok(0) => true,
                        Ok(_) => false,
                        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
                    },
                };
                if closed {
                    *c = open(&mut opened);
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        opened
    })
}
