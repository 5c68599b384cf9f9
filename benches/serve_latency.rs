//! Preview latency: `cargo bench --bench serve_latency -- SITE [EDITS]`
//! starts the preview server on SITE (in process, loopback), then edits one
//! article EDITS times (default 7) and measures the time from the save to
//! the reload event arriving on a live-reload connection. Prints the
//! initial build time, the median and worst latency, and the resident
//! memory of the process. `bench/serve.sh N` runs it on a synthetic site.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use milbrief::BuildOptions;
use milbrief::Server;

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let root = PathBuf::from(
        args.first()
            .map_or("target/bench-corpus/10000", String::as_str),
    );
    let edits: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(7);

    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let start = Instant::now();
    let server = Server::start(
        BuildOptions {
            base_url: Some(format!("http://{addr}/")),
            ..BuildOptions::new(&root)
        },
        listener,
    )
    .expect("server starts");
    let initial = start.elapsed();

    // A live-reload connection, as an open page has.
    let (tx, rx) = mpsc::channel::<(String, Instant)>();
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET /__milbrief/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { break };
            if let Some(e) = line.strip_prefix("event:") {
                let _ = tx.send((e.trim().to_string(), Instant::now()));
            }
        }
    });
    let wait = |name: &str| loop {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok((e, at)) if e == name => return at,
            Ok(_) => {}
            Err(_) => panic!("no {name} event within 60 s"),
        }
    };
    wait("hello");

    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("content"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let file = files[files.len() / 2].clone();
    let original = std::fs::read_to_string(&file).unwrap();
    let mut times = Vec::new();
    for i in 0..edits {
        std::thread::sleep(Duration::from_millis(300));
        let edited = format!("{original}\nEdit number {i} adds a sentence to the story.\n");
        let saved = Instant::now();
        std::fs::write(&file, edited).unwrap();
        let at = wait("reload");
        times.push(at.duration_since(saved));
    }
    std::fs::write(&file, &original).unwrap();
    wait("reload");
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "serve {}: initial build {:.0} ms; save → reload event over {} edits: median {:.0} ms, worst {:.0} ms; resident memory {:.0} MB",
        root.display(),
        ms(initial),
        times.len(),
        ms(times[times.len() / 2]),
        ms(*times.last().unwrap()),
        rss_mb()
    );
    server.stop();
}
