//! The editor's day with the `milbrief` binary: errors that say how to fix
//! them, the names front matter accepts, `new`'s drafts and `init`'s site.

use assert_cmd::Command;

fn milbrief() -> Command {
    Command::cargo_bin("milbrief").unwrap()
}

fn site_with(article: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/2023-10-01-a.md"), article).unwrap();
    dir
}

fn check_stderr(dir: &std::path::Path) -> String {
    let out = milbrief().arg("check").current_dir(dir).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn unknown_countries_and_topics_get_the_nearest_name() {
    let dir = site_with(
        "+++\ntitle = \"T\"\ncountries = [\"Pakstan\", \"Korea South\", \"Narnia\"]\ntopics = [\"procurment\"]\n+++\nText.\n",
    );
    let err = check_stderr(dir.path());
    assert!(
        err.contains(r#"unknown country "Pakstan" (did you mean "Pakistan"?)"#),
        "{err}"
    );
    assert!(
        err.contains(r#"unknown country "Korea South" (did you mean "South Korea"?)"#),
        "{err}"
    );
    assert!(err.contains(r#"unknown country "Narnia": give"#), "{err}");
    assert!(
        err.contains(r#"unknown topic "procurment" (did you mean "procurement"?)"#),
        "{err}"
    );
    assert!(err.contains("milbrief tags --list countries"), "{err}");
    assert!(err.contains("milbrief tags --list topics"), "{err}");
    // No boilerplate example repeated in every error, and no data file an
    // `init` site does not have.
    assert!(
        !err.contains("\"PK\"") && !err.contains("data/topics.toml"),
        "{err}"
    );
}

#[test]
fn every_iso_name_form_is_a_country() {
    let dir = site_with(
        "+++\ntitle = \"T\"\ncountries = [\"Iran, Islamic Republic of\", \"Iran (Islamic Republic of)\", \"Islamic Republic of Iran\", \"The Islamic Republic of Iran\", \"Iran\", \"IR\", \"Korea, Republic of\", \"South Korea\"]\n+++\nText.\n",
    );
    let out = milbrief()
        .arg("check")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn tags_lists_the_valid_names() {
    let out = milbrief()
        .args(["tags", "--list", "countries"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().any(|l| l.starts_with("PK  ")), "{text}");
    assert!(text.lines().count() > 200, "{text}");

    let dir = site_with("");
    std::fs::write(
        dir.path().join("config.toml"),
        "title = \"T\"\n[[topic]]\nslug = \"cyber-ops\"\nname = \"Cyber operations\"\nrules = [[\"cyber*\", 3]]\n",
    )
    .unwrap();
    let out = milbrief()
        .args(["tags", "--list", "topics"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().any(|l| l.starts_with("procurement ")),
        "{text}"
    );
    assert!(text.contains("Cyber operations"), "{text}");
}

/// `new` writes a draft and says so; its placeholder can never be
/// published; `check` warns about what is left to write.
#[test]
fn a_new_article_is_a_draft_until_it_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let out = milbrief()
        .args(["new", "Navy tests drone", "--date", "2023-10-17"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("as a draft (`draft = true`)"), "{said}");
    let file = dir.path().join("content/2023-10-17-navy-tests-drone.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\ndraft = true\n"), "{text}");

    let err = check_stderr(dir.path());
    assert!(err.contains("warning[placeholder-draft]"), "{err}");
    assert!(err.contains(":6:10: warning[empty-source]"), "{err}");

    milbrief()
        .args(["build", "--quiet"])
        .current_dir(dir.path())
        .assert()
        .success();
    assert!(!dir.path().join("public/articles/navy-tests-drone").exists());
    let feed = std::fs::read_to_string(dir.path().join("public/feed.xml")).unwrap_or_default();
    assert!(!feed.contains("Lead paragraph"), "{feed}");

    // Published as it stands, the placeholder stops the build.
    std::fs::write(&file, text.replace("draft = true\n", "")).unwrap();
    let out = milbrief()
        .arg("build")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("content/2023-10-17-navy-tests-drone.md:11:1: the placeholder lead"),
        "{err}"
    );
}

/// `init` starts a site that uses the built-in templates, ignores what
/// milbrief writes, and says how to preview it; `templates copy` makes one
/// file the site's own; `build` outside a site points to `init`.
#[test]
fn init_then_serve_and_override_one_template() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("digest");
    let out = milbrief().arg("init").arg(&site).output().unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("milbrief serve --open"), "{said}");
    assert_eq!(
        std::fs::read_to_string(site.join(".gitignore"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>(),
        ["/public/", "/.milbrief/"]
    );
    assert!(!site.join("templates").exists());

    let out = milbrief()
        .args(["templates", "list"])
        .current_dir(&site)
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains("article.html") && listed.contains("style.css"),
        "{listed}"
    );
    milbrief()
        .args(["templates", "copy", "404.html"])
        .current_dir(&site)
        .assert()
        .success();
    let mine = site.join("templates/404.html");
    std::fs::write(
        &mine,
        "{% extends \"base.html\" %}{% block content %}<p>Lost at sea.</p>{% endblock content %}",
    )
    .unwrap();
    milbrief()
        .args(["build", "--quiet"])
        .current_dir(&site)
        .assert()
        .success();
    let page = std::fs::read_to_string(site.join("public/404.html")).unwrap();
    assert!(
        page.contains("Lost at sea."),
        "the copy overrides the built-in"
    );
    let page = std::fs::read_to_string(site.join("public/articles/welcome/index.html")).unwrap();
    assert!(
        page.contains("<article"),
        "the other templates are built in"
    );

    let empty = tempfile::tempdir().unwrap();
    let out = milbrief()
        .arg("build")
        .current_dir(empty.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("milbrief init"), "{err}");
}
