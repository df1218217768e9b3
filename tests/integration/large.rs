//! A list at full size: 10,000 programmes, a dimension of 1,000 values
//! (the 事業 of a prefecture's subsidy list), built for real. No page is
//! longer than a reader can use: no table has more than `PAGE_ROWS` (200)
//! rows, no page is larger than [`MAX_PAGE_BYTES`]; the dimension's list is
//! paginated; the home page shows its largest values and links to the rest;
//! no page speaks in the Tokyo plan's words.

use crate::support::*;
use std::fmt::Write as _;
use std::fs;

/// The programmes of the synthetic list.
const PROGRAMMES: usize = 10_000;
/// The values of its large dimension.
const PROJECTS: usize = 1_000;
/// The bound on any page's size (HTML, bytes).
const MAX_PAGE_BYTES: usize = 400 * 1024;
/// The bound on any table's rows (the lists' page size).
const MAX_TABLE_ROWS: usize = 200;

/// Writes a subsidy list of `PROGRAMMES` rows under 5 bureaus and
/// `PROJECTS` projects into `content`.
fn synthetic_list(content: &std::path::Path) {
    fs::create_dir_all(content.join("programmes/2025")).unwrap();
    fs::write(
        content.join("_site.yaml"),
        "title: 補助金一覧（合成）\n\
         description: 大きな一覧の試験用の合成データ。\n\
         item_label: 補助金\n\
         dimensions:\n\
         \x20 - key: bureau\n\
         \x20   label: 所管局\n\
         \x20   path: bureaus\n\
         \x20   values:\n\
         \x20     - {slug: b1, name: 第一局}\n\
         \x20     - {slug: b2, name: 第二局}\n\
         \x20     - {slug: b3, name: 第三局}\n\
         \x20     - {slug: b4, name: 第四局}\n\
         \x20     - {slug: b5, name: 第五局}\n\
         \x20 - key: project\n\
         \x20   label: 事業\n\
         \x20   registry: _projects.yaml\n\
         \x20   path: projects\n\
         \x20   column: false\n\
         measures:\n\
         \x20 - key: budget\n\
         \x20   label: 予算額\n\
         \x20   unit: 千円\n",
    )
    .unwrap();
    fs::write(
        content.join("_sources.yaml"),
        "- id: fy2025\n  title: 補助金一覧（令和7年度・合成）\n  publisher: 合成データ\n  fiscal_year: 2025\n",
    )
    .unwrap();
    let mut projects = String::new();
    for j in 1..=PROJECTS {
        writeln!(projects, "- slug: p{j:04}\n  name: 合成事業{j}").unwrap();
    }
    fs::write(content.join("_projects.yaml"), projects).unwrap();
    for i in 1..=PROGRAMMES {
        let yaml = format!(
            "fiscal_year: 2025\nsource: fy2025\nnumber: {i}\nname: 合成補助金{i}\nbureau: b{}\nproject: p{:04}\nbudget: {}\n",
            i % 5 + 1,
            i % PROJECTS + 1,
            (i * 7919) % 100_000 + 1
        );
        fs::write(
            content.join(format!("programmes/2025/2025-{i:05}.yaml")),
            yaml,
        )
        .unwrap();
    }
}

#[test]
fn no_page_of_a_ten_thousand_row_list_is_longer_than_a_reader_can_use() {
    let t = tempfile::tempdir().unwrap();
    let content = t.path().join("content");
    synthetic_list(&content);
    let o = command(t.path(), &["build", "--quiet"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = t.path().join("public");

    // The dimension of 1,000 values: five pages of 200.
    for page in ["projects/index.html", "projects/page/5/index.html"] {
        assert!(out.join(page).exists(), "{page}");
    }
    assert!(!out.join("projects/page/6").exists());
    let first = fs::read_to_string(out.join("projects/index.html")).unwrap();
    assert!(first.contains("全1,000件中 1〜200件目"), "a pager");

    // The home page: the 20 largest projects and a link to all of them.
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    let section = home.split("<h2 id=\"h-dim-2\">").nth(1).unwrap();
    let section = section.split("</section>").next().unwrap();
    assert_eq!(section.matches("<tr><th scope=\"row\">").count(), 20);
    assert!(section.contains("事業は全1,000件です。ここでは予算額の大きい20件を示しています。"));
    assert!(section.contains("<a href=\"projects/index.html\">すべての事業（1,000件）</a>"));

    // Every page, measured.
    let (mut largest, mut largest_page) = (0, String::new());
    let mut most_rows = (0, String::new());
    for rel in files(&out).into_iter().filter(|f| f.ends_with(".html")) {
        let html = fs::read_to_string(out.join(&rel)).unwrap();
        // A subsidy list says nothing in the plan's own words.
        for w in crate::wording::PLAN_WORDS {
            assert!(!html.contains(w), "{rel} says {w}");
        }
        if html.len() > largest {
            (largest, largest_page) = (html.len(), rel.clone());
        }
        for body in html.split("<tbody>").skip(1) {
            let rows = body
                .split("</tbody>")
                .next()
                .unwrap()
                .matches("<tr")
                .count();
            if rows > most_rows.0 {
                most_rows = (rows, rel.clone());
            }
        }
    }
    eprintln!(
        "largest page: {largest_page}, {largest} bytes; most table rows: {} ({})",
        most_rows.0, most_rows.1
    );
    assert!(
        largest <= MAX_PAGE_BYTES,
        "{largest_page} is {largest} bytes"
    );
    assert!(
        most_rows.0 <= MAX_TABLE_ROWS,
        "{} has a table of {} rows",
        most_rows.1,
        most_rows.0
    );
}
