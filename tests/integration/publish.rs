//! Open data, permalinks, embeds and discoverability (issue 7).

use crate::support::*;

fn sum_column(csv_text: &str, header: &str) -> u128 {
    let mut r = csv::ReaderBuilder::new().from_reader(csv_text.as_bytes());
    let h = r.headers().unwrap().clone();
    let i = h
        .iter()
        .position(|x| x == header)
        .unwrap_or_else(|| panic!("no column {header} in {h:?}"));
    r.records()
        .map(|rec| rec.unwrap()[i].parse::<u128>().unwrap_or(0))
        .sum()
}

#[test]
fn excel_csv_opens_with_japanese_text_and_round_trips_the_figures() {
    let t = SiteTest::tokyo();
    assert!(t.build().status.success());
    let bytes = std::fs::read(t.out().join("data/programmes.csv")).unwrap();
    // Excel detects UTF-8 by its BOM.
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
    let text = std::str::from_utf8(&bytes[3..]).expect("valid UTF-8 after the BOM");
    assert!(
        text.contains("\r\n") && !text.replace("\r\n", "").contains('\n')
            || text.matches("\r\n").count() >= 34
    );
    assert!(
        text.starts_with("ID,出典,年度,整理番号,実施区市町村"),
        "{}",
        &text[..80]
    );
    assert_eq!(sum_column(text, "事業額（千円）"), 539_118 + 61_400);
    assert_eq!(sum_column(text, "補助金申請額（千円）"), 269_561 + 61_400);
    assert_eq!(sum_column(text, "雇用・就業者数（人）"), 1_323 + 84);
    assert_eq!(sum_column(text, "支援事業所数（事業所）"), 114);
    assert!(text.contains("世田谷区"));
}

#[test]
fn plain_csv_and_json_use_english_keys_and_not_applicable_is_empty() {
    let t = SiteTest::tokyo();
    assert!(t.build().status.success());
    let plain = t.page("data/programmes.utf8.csv");
    assert!(plain.starts_with("id,source,fiscal_year,number,municipality"));
    assert!(!plain.contains('\r'));
    assert_eq!(sum_column(&plain, "cost"), 539_118 + 61_400);
    let mut r = csv::Reader::from_reader(plain.as_bytes());
    let h = r.headers().unwrap().clone();
    let (id, hc) = (
        h.iter().position(|x| x == "id").unwrap(),
        h.iter().position(|x| x == "hiring_companies").unwrap(),
    );
    for rec in r.records() {
        let rec = rec.unwrap();
        match &rec[id] {
            "2024-general-05" => assert_eq!(&rec[hc], "0", "a real 0 stays 0"),
            "2024-general-06" => assert_eq!(&rec[hc], "", "'-' is empty, never 0"),
            _ => {}
        }
    }
    let json: serde_json::Value = serde_json::from_str(&t.page("data/programmes.json")).unwrap();
    let progs = json["programmes"].as_array().unwrap();
    assert_eq!(progs.len(), 33);
    let p8 = progs.iter().find(|p| p["id"] == "2024-general-08").unwrap();
    assert_eq!(p8["subsidy"]["amount"], 42_933);
    let p9 = progs.iter().find(|p| p["id"] == "2024-general-09").unwrap();
    assert_eq!(p9["subsidy"]["covered_by"], "2024-general-08");
    // Per-municipality files exist and hold only that municipality.
    let setagaya: serde_json::Value =
        serde_json::from_str(&t.page("data/municipalities/setagaya-ku.json")).unwrap();
    assert_eq!(setagaya["programmes"].as_array().unwrap().len(), 3);
}

#[test]
fn csv_cells_cannot_run_as_formulas() {
    let t = SiteTest::tokyo();
    t.edit(
        &t.programme_file("2024-general-03"),
        "name: ",
        "name: =HYPERLINK(\"http://evil.example\")",
    );
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    let csv_text = t.page("data/programmes.utf8.csv");
    assert!(
        csv_text.contains("\"'=HYPERLINK(\"\"http://evil.example\"\")"),
        "formula not neutralised"
    );
}

#[test]
fn an_alias_lands_on_the_programme() {
    let t = SiteTest::tokyo();
    let f = t.programme_file("2024-general-08");
    let s = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, format!("{s}aliases: [setagaya-matching-2024]\n")).unwrap();
    let o = t.build();
    assert!(o.status.success(), "{}", stderr(&o));
    let redirect = t.page("programmes/setagaya-matching-2024/index.html");
    assert!(
        redirect
            .contains("http-equiv=\"refresh\" content=\"0; url=../2024-general-08/index.html\""),
        "{redirect}"
    );
    assert!(redirect.contains("rel=\"canonical\" href=\"../2024-general-08/index.html\""));
    assert!(!redirect.contains("<script"));
    // The target of the redirect exists.
    assert!(t
        .out()
        .join("programmes/setagaya-matching-2024/../2024-general-08/index.html")
        .is_file());
}

#[test]
fn an_alias_may_not_collide_with_an_id() {
    let t = SiteTest::tokyo();
    let f = t.programme_file("2024-general-08");
    let s = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, format!("{s}aliases: [2024-general-09]\n")).unwrap();
    let o = t.build();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[E014]"), "{}", stderr(&o));
}

#[test]
fn every_programme_has_an_embeddable_card_and_a_snippet() {
    let t = SiteTest::tokyo();
    // The snippet needs the site's address (without it: tests/integration/web.rs).
    let o = t.run(&["build", "--quiet", "--base-url", "https://example.jp/m"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let card = t.page("embed/programmes/2024-general-08/index.html");
    assert!(card.contains("assets/embed.css"));
    // One script, same-origin (it reports the card's height to the host
    // page, docs/embed.md); nothing inline.
    assert_eq!(card.matches("<script").count(), 1);
    assert!(card.contains("<script src=\"../../../assets/embed.js\" defer></script>"));
    assert!(!card.contains("style="));
    assert!(card.contains("42,933") && card.contains("3件で共有"));
    assert!(card.contains("../../../programmes/2024-general-08/index.html"));
    let page = t.page("programmes/2024-general-08/index.html");
    assert!(page.contains("<textarea id=\"embed-code\" class=\"copy\" readonly"));
    assert!(page.contains(
        "&lt;iframe src=&quot;https://example.jp/m/embed/programmes/2024-general-08/&quot;"
    ));
    assert!(page.contains("整理番号8"), "citation names the row");
}

#[test]
fn sitemap_needs_a_base_url_and_the_feed_is_always_there() {
    let t = SiteTest::tokyo();
    let o = t.build();
    assert!(o.status.success());
    assert!(stderr(&o).contains("warning[W104]"));
    // Named where the site file is (under --content), as every diagnostic.
    let elsewhere = t.content();
    let o = t.run(&["check", "--content", elsewhere.to_str().unwrap()]);
    let want = format!(
        "{}:1:1: warning[W104]",
        elsewhere.join("_site.yaml").display()
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains(&want) || stderr(&o).contains(&want));
    assert!(!t.out().join("sitemap.xml").exists());
    let feed = t.page("feed.xml");
    assert_eq!(feed.matches("<entry>").count(), 33);
    assert!(t.out().join("robots.txt").is_file());

    let site = t.content().join("_site.yaml");
    t.edit(
        &site,
        "language: ja\n",
        "language: ja\nbase_url: https://example.jp/jinzai/\n",
    );
    let o = t.build();
    assert!(o.status.success());
    assert!(!stderr(&o).contains("W104"));
    let sitemap = t.page("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.jp/jinzai/programmes/2024-general-08/</loc>"));
    let page = t.page("programmes/2024-general-08/index.html");
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://example.jp/jinzai/programmes/2024-general-08/\">"
    ));
    assert!(t
        .page("robots.txt")
        .contains("Sitemap: https://example.jp/jinzai/sitemap.xml"));
}
