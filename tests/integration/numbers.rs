//! Numbers and years the way people read them: amounts of money also in
//! 万円/億円 beside the exact 千円 figure, counts with thousands
//! separators, the fiscal year as the site declares it.

use crate::support::*;

#[test]
fn amounts_read_in_man_and_oku_yen_beside_the_exact_figure() {
    let t = SiteTest::tokyo();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    let p = t.page("programmes/2024-general-08/index.html");
    // The exact figure for the press, the reading for residents.
    assert!(
        p.contains("39,431千円<span class=\"reading\">（約3,943万円）</span>"),
        "{p}"
    );
    // Counts of people are not money: no reading.
    let figures = p.split("<table class=\"figures\">").nth(1).unwrap();
    let figures = figures.split("</table>").next().unwrap();
    assert_eq!(
        figures.matches("class=\"reading\"").count(),
        2,
        "事業額 and 補助金申請額 only: {figures}"
    );
    let ward = t.page("municipalities/setagaya-ku/index.html");
    assert!(
        ward.contains("85,868千円<span class=\"reading\">（約8,587万円）</span>"),
        "{ward}"
    );
}

#[test]
fn the_fiscal_year_reads_as_declared_and_counts_are_grouped() {
    let t = SiteTest::tokyo();
    let cfg = t.content().join("_site.yaml");
    let mut s = std::fs::read_to_string(&cfg).unwrap();
    s.push_str("year_label: \"{wareki}（{year}年度）\"\n");
    std::fs::write(&cfg, s).unwrap();
    let o = t.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("built 33 programmes: "), "{out}");
    let bytes = out.split('(').nth(1).unwrap().split(' ').next().unwrap();
    assert!(
        bytes.contains(',') && bytes.replace(',', "").parse::<u64>().is_ok(),
        "grouped byte count: {out}"
    );
    let p = visible_text(&t.page("programmes/2024-general-08/index.html"));
    assert!(p.contains("年度 令和6年度（2024年度）"), "{p}");
    assert!(!p.contains(" 2024年度 "), "{p}");
}

/// A shared amount only partly in a list is explained by the row it is
/// written on, named by 整理番号 and name with a link, never by an
/// internal id.
#[test]
fn a_partly_counted_shared_amount_names_its_row_for_residents() {
    let t = SiteTest::tokyo();
    assert!(t.build().status.success());
    let page = t.page("themes/matching/index.html");
    let note = page
        .split("<p class=\"note\">補助金申請額：このほか")
        .nth(1)
        .expect("a partly counted shared amount")
        .split("</p>")
        .next()
        .unwrap();
    assert!(
        note.contains("<a href=\"../../programmes/2024-general-04/index.html\">整理番号 4「<bdi>中小企業雇用支援事業</bdi>」</a>の行に記載"),
        "{note}"
    );
    assert!(!note.contains("（2024-general-04）"), "{note}");
    assert!(broken_links(&t.out()).is_empty());
}

/// A resident finds their ward first: the home page opens with the main
/// dimension's values (with readings and counts) before the reconciliation
/// tables the press reads, without JavaScript.
#[test]
fn the_home_page_opens_with_the_wards() {
    let t = SiteTest::tokyo();
    assert!(t.build().status.success());
    let home = t.page("index.html");
    let find = home
        .find("<h2 id=\"h-find\">実施区市町村から探す</h2>")
        .expect("a way in");
    assert!(
        find < home.find("id=\"h-sources\"").unwrap(),
        "before the reconciliation"
    );
    let list = home[find..].split("</ul>").next().unwrap();
    assert_eq!(
        list.matches("<li>").count(),
        19,
        "every ward with a programme"
    );
    assert!(list.contains("<rt>せたがやく</rt>"), "with its reading");
    // With its count and its main total, in the units people use.
    assert!(
        list.contains("<span class=\"find-count\">3件・約8,587万円</span>"),
        "{list}"
    );
    // Plain links: nothing in it needs a script (the page's only script,
    // sort.js, enhances the tables further down).
    assert!(!list.contains("<script") && !list.contains("<button"));
    assert_eq!(list.matches("<li><a href=\"municipalities/").count(), 19);
    assert!(broken_links(&t.out()).is_empty());
}
