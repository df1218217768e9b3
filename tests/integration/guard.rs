//! The output guard (issue 17): `build` never replaces a folder that holds
//! what it did not make. Each case runs the real binary on real folders in
//! a temporary directory and asserts that everything there is byte for byte
//! as it was, and that no temporary folder was left. Also: the checksum
//! manifest and `mieruka verify`.

use crate::support::{command, stderr, SiteTest};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// Every entry below `dir` (files with their bytes, folders, links with
/// their targets), including dot files.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let p = e.path().strip_prefix(dir).unwrap().to_path_buf();
            let t = e.file_type();
            let v = if t.is_symlink() {
                let mut v = b"link:".to_vec();
                v.extend(
                    std::fs::read_link(e.path())
                        .unwrap()
                        .as_os_str()
                        .as_encoded_bytes(),
                );
                v
            } else if t.is_dir() {
                b"dir".to_vec()
            } else {
                std::fs::read(e.path()).unwrap()
            };
            (p, v)
        })
        .collect()
}

/// Runs the binary in `cwd` with `HOME` set to `home`.
fn run_in(cwd: &Path, home: &Path, args: &[&str]) -> Output {
    command(cwd, args).env("HOME", home).output().unwrap()
}

/// Asserts a refusal: exit 2, the rule's words and a help line in the
/// message, and the whole temporary directory unchanged.
fn assert_refused(t: &SiteTest, cwd: &Path, args: &[&str], words: &str) {
    let before = tree(t.dir.path());
    let o = run_in(cwd, Path::new("/nonexistent-home"), args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains("refusing to write the site into"), "{err}");
    assert!(err.contains(words), "{args:?}: expected {words:?} in {err}");
    assert!(err.contains("help: "), "{err}");
    assert!(
        before == tree(t.dir.path()),
        "{args:?} changed the project folder"
    );
}

fn build_args<'a>(out: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["build", "--quiet", "--out", out];
    v.extend(more);
    v
}

#[test]
fn the_content_folder_and_what_contains_it_or_lies_inside_it_are_refused() {
    let t = SiteTest::tokyo();
    let d = t.dir.path();
    for out in [
        "content",
        "content/",
        "./content/../content",
        "content/programmes",
        "content/public",
    ] {
        assert_refused(&t, d, &build_args(out, &[]), "content folder");
        assert_refused(&t, d, &build_args(out, &["--force"]), "content folder");
    }
    // `--out .` from the project: it contains the content folder; nothing
    // is left behind (no `.public.tmp-*` or `..tmp-*` beside it).
    assert_refused(
        &t,
        d,
        &build_args(".", &[]),
        "it contains the content folder",
    );
    // The folder above the project contains it too.
    let sub = d.join("content/programmes");
    assert_refused(
        &t,
        &sub,
        &["build", "--content", "..", "--out", "../.."],
        "contains the content folder",
    );
}

#[test]
fn the_theme_and_static_folders_in_use_are_refused() {
    let t = SiteTest::tokyo();
    let d = t.dir.path();
    std::fs::write(d.join("static/robots-extra.txt"), "x").unwrap();
    for out in ["themes", "themes/default", "themes/default/static/site"] {
        assert_refused(&t, d, &build_args(out, &["--force"]), "theme folder");
    }
    for out in ["static", "static/public"] {
        assert_refused(&t, d, &build_args(out, &["--force"]), "static/ folder");
    }
}

#[test]
fn a_repository_root_home_root_and_the_current_directory_are_refused() {
    let t = SiteTest::tokyo();
    let d = t.dir.path();
    // A repository root (the site's own folder once committed, say).
    std::fs::create_dir_all(d.join("www/.git")).unwrap();
    std::fs::write(d.join("www/.git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(d.join("www/README.md"), "our site\n").unwrap();
    assert_refused(
        &t,
        d,
        &build_args("www", &["--force"]),
        "root of a repository",
    );
    // Home: HOME is the temporary directory's `home` here.
    let home = d.join("users/home");
    std::fs::create_dir_all(home.join("docs")).unwrap();
    std::fs::write(home.join("docs/letter.txt"), "dear").unwrap();
    let before = tree(d);
    for out in [
        home.to_str().unwrap(),
        d.join("users/home/docs/..").to_str().unwrap(),
        d.join("users").to_str().unwrap(),
    ] {
        let content = d.join("content");
        let content = content.to_str().unwrap();
        let o = command(
            &d.join("content"),
            &[
                "build",
                "--quiet",
                "--force",
                "--content",
                content,
                "--out",
                out,
            ],
        )
        .env("HOME", &home)
        .output()
        .unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("home folder"), "{}", stderr(&o));
    }
    assert!(before == tree(d));
    // The root of the file system (checked before anything is touched).
    let other = tempfile::tempdir().unwrap();
    let content = d.join("content");
    let o = command(
        other.path(),
        &[
            "build",
            "--quiet",
            "--force",
            "--content",
            content.to_str().unwrap(),
            "--out",
            "/",
        ],
    )
    .env("HOME", other.path())
    .output()
    .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("root of the file system"),
        "{}",
        stderr(&o)
    );
    // The current directory, and a folder that contains it, when the
    // content lies elsewhere.
    let work = d.join("work/deeper");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(d.join("work/notes.txt"), "mine").unwrap();
    let content = d.join("content");
    let content = content.to_str().unwrap();
    assert_refused(
        &t,
        &work,
        &["build", "--content", content, "--out", ".", "--force"],
        "it is the current directory",
    );
    assert_refused(
        &t,
        &work,
        &["build", "--content", content, "--out", "..", "--force"],
        "contains the current directory",
    );
}

#[test]
fn a_folder_mieruka_did_not_make_needs_force() {
    let t = SiteTest::tokyo();
    let d = t.dir.path();
    // A web root with someone else's files.
    std::fs::create_dir_all(d.join("www/ward")).unwrap();
    std::fs::write(d.join("www/index.html"), "<p>the ward's own site</p>").unwrap();
    std::fs::write(d.join("www/ward/news.html"), "news").unwrap();
    assert_refused(&t, d, &build_args("www", &[]), "was not made by mieruka");
    // A file where the folder should be.
    std::fs::write(d.join("out.txt"), "a file").unwrap();
    assert_refused(&t, d, &build_args("out.txt", &["--force"]), "it is a file");
    // A symbolic link to a folder.
    std::os::unix::fs::symlink(d.join("www"), d.join("link")).unwrap();
    assert_refused(&t, d, &build_args("link", &["--force"]), "symbolic link");
    // With --force the folder is replaced by the site.
    let o = run_in(
        d,
        Path::new("/nonexistent-home"),
        &build_args("www", &["--force"]),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!d.join("www/ward/news.html").exists());
    assert!(d.join("www/mieruka-manifest.tsv").is_file());
    // An empty folder and a new one need nothing.
    std::fs::create_dir(d.join("empty")).unwrap();
    for out in ["empty", "new/site"] {
        let o = run_in(d, Path::new("/nonexistent-home"), &build_args(out, &[]));
        assert!(o.status.success(), "{out}: {}", stderr(&o));
    }
}

#[test]
fn a_site_mieruka_built_is_rebuilt_unless_someone_added_files_to_it() {
    let t = SiteTest::tokyo();
    let d = t.dir.path();
    let o = run_in(
        d,
        Path::new("/nonexistent-home"),
        &build_args("public", &[]),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // Rebuilt without --force.
    let o = run_in(
        d,
        Path::new("/nonexistent-home"),
        &build_args("public", &[]),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // A file added by hand (a host's CNAME) is not the build's to delete.
    std::fs::write(d.join("public/CNAME"), "example.jp\n").unwrap();
    std::fs::create_dir_all(d.join("public/extra")).unwrap();
    std::fs::write(d.join("public/extra/a.pdf"), "%PDF").unwrap();
    assert_refused(
        &t,
        d,
        &build_args("public", &[]),
        "2 file(s) the previous build did not write (`CNAME`, `extra/a.pdf`)",
    );
    let err = stderr(&run_in(
        d,
        Path::new("/nonexistent-home"),
        &build_args("public", &[]),
    ));
    assert!(err.contains("static/"), "the help names static/: {err}");
    // A damaged manifest is not a manifest.
    let m = d.join("public/mieruka-manifest.tsv");
    let good = std::fs::read(&m).unwrap();
    std::fs::write(&m, "not a manifest\n").unwrap();
    assert_refused(&t, d, &build_args("public", &[]), "cannot be read");
    std::fs::write(&m, good).unwrap();
    // --force replaces them.
    let o = run_in(
        d,
        Path::new("/nonexistent-home"),
        &build_args("public", &["--force"]),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!d.join("public/CNAME").exists());
}

#[test]
fn stale_folders_of_dead_builds_are_removed_only_when_they_are_mierukas() {
    let t = SiteTest::tokyo();
    let d = t.dir.path();
    // A dead build's temporary folder (marked) and a folder that only
    // looks like one (a user's, unmarked).
    let dead = d.join(".public.tmp-999999999");
    std::fs::create_dir_all(dead.join("programmes")).unwrap();
    std::fs::write(dead.join(".mieruka-staging"), "").unwrap();
    let mine = d.join(".public.tmp-999999998");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("thesis.tex"), "mine").unwrap();
    let o = run_in(
        d,
        Path::new("/nonexistent-home"),
        &build_args("public", &[]),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!dead.exists(), "the dead build's folder is removed");
    assert_eq!(
        std::fs::read_to_string(mine.join("thesis.tex")).unwrap(),
        "mine"
    );
}

#[test]
fn every_site_carries_a_manifest_of_every_file_and_verify_checks_a_copy() {
    use sha2::Digest;
    let t = SiteTest::tokyo();
    let d = t.dir.path();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = t.out();
    let text = std::fs::read_to_string(out.join("mieruka-manifest.tsv")).unwrap();
    assert!(text.starts_with("# mieruka-manifest 1\n"), "{text}");
    let listed: Vec<(String, u64, String)> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 3, "{l}");
            (f[0].to_string(), f[1].parse().unwrap(), f[2].to_string())
        })
        .collect();
    // Every file but the manifest, once, sorted, with its size and SHA-256.
    let mut on_disk = crate::support::files(&out);
    on_disk.retain(|f| f != "mieruka-manifest.tsv");
    let paths: Vec<String> = listed.iter().map(|(p, _, _)| p.clone()).collect();
    assert_eq!(paths, on_disk);
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    for (p, size, hash) in &listed {
        let bytes = std::fs::read(out.join(p)).unwrap();
        assert_eq!(bytes.len() as u64, *size, "{p}");
        let h: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(&h, hash, "{p}");
    }
    // The same content gives the same manifest.
    let o = t.run(&["build", "--quiet", "--out", "again"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(d.join("again/mieruka-manifest.tsv")).unwrap(),
        text
    );

    // verify: exact copy, then a changed byte, a missing file, an extra one.
    let v = t.run(&["verify", "public"]);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));
    assert!(String::from_utf8_lossy(&v.stdout)
        .contains(&format!("{} file(s) as listed, 0 missing", listed.len())));
    // The manifest's own recipe with coreutils agrees.
    let sh = std::process::Command::new("sh")
        .arg("-c")
        .arg("grep -v '^#' mieruka-manifest.tsv | awk -F'\\t' '{print $3 \"  \" $1}' | sha256sum -c --quiet")
        .current_dir(&out)
        .output()
        .unwrap();
    assert!(
        sh.status.success(),
        "{}",
        String::from_utf8_lossy(&sh.stdout)
    );
    let page = out.join("index.html");
    let mut bytes = std::fs::read(&page).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&page, bytes).unwrap();
    std::fs::remove_file(out.join("feed.xml")).unwrap();
    std::fs::write(out.join("CNAME"), "x").unwrap();
    let v = t.run(&["verify", "public"]);
    let s = String::from_utf8_lossy(&v.stdout).to_string();
    assert_eq!(v.status.code(), Some(1), "{s}");
    for line in [
        "changed: index.html",
        "missing: feed.xml",
        "not in the manifest: CNAME",
    ] {
        assert!(s.contains(line), "{line:?} in {s}");
    }
    // A folder without a manifest is not a site mieruka built.
    let v = t.run(&["verify", "content"]);
    assert_eq!(v.status.code(), Some(2));
    assert!(
        stderr(&v).contains("has no mieruka-manifest.tsv"),
        "{}",
        stderr(&v)
    );
}
