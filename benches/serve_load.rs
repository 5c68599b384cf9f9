//! Preview server under load: `cargo bench --bench serve_load -- [ARTICLES]
//! [REQUESTS] [CONNECTIONS]` (defaults 1000, 10000, 50) writes a synthetic
//! site of ARTICLES articles, starts `milbrief serve` on it as a separate
//! process on loopback, and sends REQUESTS GET requests over CONNECTIONS
//! concurrent keep-alive connections, cycling through every page of the
//! site and a missing one, while a thread edits articles every 25 ms. It
//! prints requests per second, errors (failed requests, wrong statuses,
//! empty bodies), the number of edits, and the server's resident memory at
//! the start, at its peak and at the end. Two rounds run, so growth from
//! one to the next shows. A third round runs the same load while SLOW
//! further clients (4th argument, default 200) hold connections open and
//! send nothing, reconnecting whenever the server closes one: the server
//! must stay as responsive as in the rounds before. Build the binary
//! first: `cargo build --release`.

#[path = "../tests/it/common/load.rs"]
mod load;

use std::io::BufRead as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let articles = args.first().copied().unwrap_or(1000);
    let requests = args.get(1).copied().unwrap_or(10_000);
    let connections = args.get(2).copied().unwrap_or(50);
    let slow = args.get(3).copied().unwrap_or(200);

    let dir = tempfile::tempdir().unwrap();
    load::write_site(dir.path(), articles);
    let (_, outputs) = milbrief::build_outputs(&milbrief::BuildOptions::new(dir.path()))
        .expect("the synthetic site builds");
    let mut targets: Vec<load::Target> = outputs
        .iter()
        .map(|o| load::Target {
            path: format!("/{}", o.path),
            status: 200,
        })
        .collect();
    targets.push(load::Target {
        path: "/no/such/page/".into(),
        status: 404,
    });

    let exe = std::env::var_os("MILBRIEF_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/milbrief")
        });
    let mut child = Command::new(&exe)
        .args(["serve", "--port", "0", "--root"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start {}: {e} (cargo build --release first)",
                exe.display()
            )
        });
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("the server prints its URL").unwrap();
        if let Some(i) = line.find("http://") {
            break line[i..].split_whitespace().next().unwrap().to_string();
        }
    };
    // Keep reading the server's output so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    let addr: std::net::SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    println!(
        "serve_load: {articles} articles, {} pages; {requests} requests over {connections} connections per round",
        outputs.len()
    );
    let pid = child.id();
    for round in 1..=3 {
        let root = dir.path().to_path_buf();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let idle = (round == 3).then(|| load::idle_clients(addr, slow, stop.clone()));
        let r = load::run(
            addr,
            targets.clone(),
            requests,
            connections,
            pid,
            move |k| {
                let i = (k * 7919) % articles;
                let (m, d) = (1 + (i / 28) % 12, 1 + i % 28);
                let countries = ["PL", "DE", "FR", "JP", "PK", "RU", "US", "IN", "TR", "GR"];
                let topics = [
                    "diplomacy",
                    "procurement",
                    "military-exercises",
                    "arms-trade",
                ];
                load::save(
                    &root.join(format!("content/2023-{m:02}-{d:02}-story-{i}.md")),
                    &load::article(i, countries[i % 10], topics[i % 4], round * 100_000 + k + 1),
                );
            },
        );
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let idle = idle.map(|h| h.join().unwrap_or_default());
        if let Some(opened) = idle {
            println!(
                "round {round} ran with {slow} idle clients: {opened} idle connections opened in all (the server closes each after its header timeout)"
            );
        }
        println!(
            "round {round}: {:.0} requests/s ({} in {:.2} s), {} errors, {} edits, server RSS start {:.1} MiB, peak {:.1} MiB, end {:.1} MiB",
            r.per_second(),
            r.requests,
            r.elapsed.as_secs_f64(),
            r.errors,
            r.edits,
            r.rss_start_kb as f64 / 1024.0,
            r.rss_peak_kb as f64 / 1024.0,
            r.rss_end_kb as f64 / 1024.0,
        );
        for e in &r.first_errors {
            println!("  error: {e}");
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}
