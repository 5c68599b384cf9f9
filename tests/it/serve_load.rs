//! The preview server under load while articles are edited: every
//! request is answered, and memory does not grow from round to round.
//! (`cargo bench --bench serve_load` is the full-size version.)

use crate::common::load;

use std::net::TcpListener;

use milbrief::BuildOptions;
use milbrief::Server;

#[test]
fn serves_every_request_while_articles_change() {
    let dir = tempfile::tempdir().unwrap();
    let n = 40;
    load::write_site(dir.path(), n);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = Server::start(
        BuildOptions {
            base_url: Some(format!("http://{addr}/")),
            ..BuildOptions::new(dir.path())
        },
        listener,
    )
    .unwrap();

    // Every page the site has, and a missing one (its 404 page).
    let mut targets: Vec<load::Target> = {
        let snap = server.shared.snapshot.read().unwrap();
        snap.outputs
            .keys()
            .map(|p| load::Target {
                path: format!("/{p}"),
                status: 200,
            })
            .collect()
    };
    assert!(targets.len() > n);
    targets.push(load::Target {
        path: "/no/such/page/".into(),
        status: 404,
    });

    let root = dir.path().to_path_buf();
    let mut peaks = Vec::new();
    let mut edits = 0;
    for round in 0..3 {
        let root = root.clone();
        let r = load::run(
            addr,
            targets.clone(),
            500,
            20,
            std::process::id(),
            move |k| {
                let i = k % 7;
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
                    &load::article(i, countries[i % 10], topics[i % 4], round * 1000 + k + 1),
                );
            },
        );
        assert_eq!(r.errors, 0, "round {round}: {:?}", r.first_errors);
        assert_eq!(r.requests, 500);
        edits += r.edits;
        peaks.push(r.rss_peak_kb);
    }
    assert!(edits > 0, "articles were edited during the load");
    // The edits were picked up: some article shows a later revision.
    let snap = server.shared.snapshot.read().unwrap();
    assert!(snap.version > 1, "the server rebuilt after edits");
    drop(snap);
    // No unbounded growth: the last round needs no more than the first
    // plus a margin for allocator noise.
    if peaks[0] > 0 {
        assert!(
            peaks[2] <= peaks[0] + 64 * 1024,
            "resident memory grew from {} KiB to {} KiB",
            peaks[0],
            peaks[2]
        );
    }
    server.stop();
}
