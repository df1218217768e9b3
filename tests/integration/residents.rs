//! Plain language for residents: a glossary built from the declaration and
//! linked from the headings that use each label; no bare 0 where amounts
//! lie in shared (merged) cells; charts with a narrow layout for phones.

use crate::support::*;

#[test]
fn the_glossary_explains_declared_labels_and_headings_link_to_it() {
    let t = SiteTest::tokyo();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    let g = t.page("glossary/index.html");
    // Every declared measure and dimension that explains itself, with its
    // reading as furigana.
    assert!(
        g.contains(
            "<dt id=\"m-subsidy\"><ruby>補助金申請額<rp>（</rp><rt>ほじょきんしんせいがく</rt>"
        ),
        "{g}"
    );
    assert!(g.contains("<dt id=\"d-category\">") && g.contains("<dt id=\"d-scheme\">"));
    // 事業分類 and 事業区分 are told apart, and their values explained.
    let text = visible_text(&g);
    assert!(
        text.contains("補助の仕組みによる分け方の「事業区分」とは別のもの"),
        "{text}"
    );
    assert!(text.contains("労働力確保事業") && text.contains("モデル事業"));
    // Headings link to it: list-table columns, totals tables, a
    // programme's figures and details; the footer on every page.
    let ward = t.page("municipalities/setagaya-ku/index.html");
    assert!(
        ward.contains("<a href=\"../../glossary/index.html#m-subsidy\">補助金申請額</a>"),
        "{ward}"
    );
    let p = t.page("programmes/2024-general-08/index.html");
    assert!(p.contains("<a href=\"../../glossary/index.html#m-cost\">事業額</a>"));
    assert!(p.contains("<a href=\"../../glossary/index.html#d-scheme\">事業区分</a>"));
    let home = t.page("index.html");
    assert!(home.contains("<a href=\"glossary/index.html#d-municipality\">実施区市町村</a>"));
    assert!(home.contains("<a href=\"glossary/index.html\">用語の説明</a>"));
    assert!(
        broken_links(&t.out()).is_empty(),
        "{:?}",
        broken_links(&t.out())
    );
}

#[test]
fn a_site_without_explanations_has_no_glossary_and_no_term_links() {
    let t = SiteTest::tokyo();
    let cfg = t.content().join("_site.yaml");
    let s = std::fs::read_to_string(&cfg).unwrap();
    let s: String = s
        .lines()
        .filter(|l| !l.trim_start().starts_with("description: ") || !l.starts_with("    "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&cfg, s).unwrap();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!t.out().join("glossary").exists());
    for page in [
        "index.html",
        "municipalities/setagaya-ku/index.html",
        "programmes/2024-general-08/index.html",
    ] {
        assert!(!t.page(page).contains("glossary/"), "{page}");
    }
}

#[test]
fn a_total_that_lies_only_in_shared_cells_is_never_a_bare_zero() {
    let t = SiteTest::tokyo();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    // 定着・社員研修: its five programmes' 補助金申請額 are all in merged
    // cells shared with programmes outside the theme.
    let page = t.page("themes/retention/index.html");
    let totals = page.split("<dl class=\"totals\">").nth(1).unwrap();
    let totals = totals.split("</dl>").next().unwrap();
    assert!(!totals.contains("<dd>0千円</dd>"), "{totals}");
    assert!(
        totals.contains("<dt>補助金申請額</dt><dd>共有分のみ"),
        "{totals}"
    );
    // The table's total says the same.
    assert!(page.contains("＋共有分5件（下の注）"), "{page}");
}

#[test]
fn every_chart_has_a_narrow_layout_with_its_own_ids() {
    let t = SiteTest::tokyo();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    let home = t.page("index.html");
    let wide = home.matches("class=\"chart chart-wide\"").count();
    let narrow = home.matches("class=\"chart chart-narrow\"").count();
    assert!(wide > 3 && wide == narrow, "{wide} wide, {narrow} narrow");
    assert!(home.contains("<svg viewBox=\"0 0 320 "));
    // Text at the size the layout assumes (plotters' SVG backend used to
    // write 13 px as 10.48).
    assert!(home.contains("font-size=\"14\""));
    assert!(!home.contains("font-size=\"10.48"));
    assert!(home.contains("<title id=\"chart-cost-n-t\">"));
}
