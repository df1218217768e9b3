//! Rebuilds touch only what changed: files with the same bytes keep their
//! inode and modification time, removed programmes leave no page, and the
//! manifest lists exactly the files on disk.

use crate::support::*;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// The files counts of `build --verbose`: written, kept, removed.
fn counts(o: &std::process::Output) -> (usize, usize, usize) {
    let out = String::from_utf8_lossy(&o.stdout);
    let line = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("files: "))
        .unwrap_or_else(|| panic!("no files line in {out}"));
    let n: Vec<usize> = line
        .split(", ")
        .map(|p| p.split(' ').next().unwrap().parse().unwrap())
        .collect();
    (n[0], n[1], n[2])
}

/// What lies beside the output folder (the output's own leftovers).
fn beside(t: &SiteTest) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(t.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".public."))
        .collect();
    v.sort();
    v
}

fn stamp(p: &Path) -> (u64, SystemTime) {
    let m = std::fs::metadata(p).unwrap();
    (m.ino(), m.modified().unwrap())
}

#[test]
fn a_rebuild_keeps_unchanged_files_rewrites_changed_ones_and_drops_removed_ones() {
    let t = SiteTest::tokyo();
    // A programme is deleted below: the source's declared totals then
    // differ from the recomputed ones, published with the difference.
    t.edit(
        &t.content().join("_sources.yaml"),
        "  table: 2\n",
        "  table: 2\n  accept_total_differences: true\n",
    );
    let o = t.run(&["build", "--verbose"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (written, kept, removed) = counts(&o);
    assert_eq!((kept, removed), (0, 0), "a first build keeps nothing");
    assert_eq!(written, files(&t.out()).len());

    // An unrelated page, dated back.
    let unrelated = t.out().join("accessibility/index.html");
    let long_ago = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    std::fs::File::options()
        .write(true)
        .open(&unrelated)
        .unwrap()
        .set_modified(long_ago)
        .unwrap();
    let before = stamp(&unrelated);
    assert_eq!(before.1, long_ago);

    // One programme changed, another deleted.
    let changed = t.programme_file("2024-general-05");
    t.edit(
        &changed,
        "summary: |\n",
        "summary: |\n  再構築の試験で書き足した一文。\n",
    );
    std::fs::remove_file(t.programme_file("2024-general-29")).unwrap();
    assert!(t
        .out()
        .join("programmes/2024-general-29/index.html")
        .is_file());

    let o = t.run(&["build", "--verbose"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (written, kept, removed) = counts(&o);
    let on_disk = files(&t.out());
    assert_eq!(written + kept, on_disk.len(), "every file counted once");
    // Every file of the search index names its version (a hash of the
    // whole content), so those are written again with any change; pages
    // that do not show the two programmes are kept.
    assert!(kept >= 100, "{written} written, {kept} kept");
    assert!(removed >= 1, "{removed} removed");

    assert_eq!(stamp(&unrelated), before, "the unrelated page is untouched");
    assert!(t
        .page("programmes/2024-general-05/index.html")
        .contains("再構築の試験で書き足した一文。"));
    assert!(!t.out().join("programmes/2024-general-29").exists());
    assert!(!on_disk.iter().any(|f| f.contains("2024-general-29")));

    // The manifest lists exactly the files on disk.
    let v = t.run(&["verify", "public"]);
    assert!(v.status.success(), "{}", stderr(&v));
    let manifest = std::fs::read_to_string(t.out().join("mieruka-manifest.tsv")).unwrap();
    let listed: Vec<&str> = manifest
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    let mut expected = on_disk.clone();
    expected.retain(|f| f != "mieruka-manifest.tsv");
    assert_eq!(listed, expected);

    // The previous site is left beside the output under a stale name (no
    // temporary folder), and the next build removes it; with nothing
    // changed, every file is kept, the manifest too.
    let left = beside(&t);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].starts_with(".public.stale-"), "{left:?}");
    let o = t.run(&["build", "--verbose"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(counts(&o), (0, on_disk.len(), 0));
    let now = beside(&t);
    assert_eq!(now.len(), 1, "{now:?}");
    assert_ne!(now, left, "the previous build's stale folder is gone");
    assert_eq!(stamp(&unrelated), before);
}

#[test]
fn a_rebuild_that_fails_while_writing_leaves_the_previous_site_whole() {
    let t = SiteTest::tokyo();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    let snapshot = |dir: &Path| -> Vec<(String, Vec<u8>, (u64, SystemTime))> {
        files(dir)
            .into_iter()
            .map(|f| {
                let p = dir.join(&f);
                (f, std::fs::read(&p).unwrap(), stamp(&p))
            })
            .collect()
    };
    let before = snapshot(&t.out());
    // The programme pages fail to render, after the data files and other
    // pages were written — most of them kept as hard links to the live
    // site's files.
    t.edit(
        &t.dir.path().join("themes/default/templates/programme.html"),
        "{% block content %}",
        "{% block content %}{{ no_such_variable.anywhere }}",
    );
    let o = t.run(&["build", "--verbose"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        snapshot(&t.out()) == before,
        "the previous site changed after a failed build"
    );
    assert!(beside(&t).is_empty(), "{:?}", beside(&t));
}
