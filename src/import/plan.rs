//! The Tokyo plan's layout (東京都地域人材確保総合支援事業 計画書): what
//! `mieruka import` reads without `--mapping`. It is a mapping, written as
//! a mapping file would be, plus the plan's rules; the one place that knows
//! the plan's column names.

use super::layout::{Layout, Rules, Spanned};
use super::mapping;
use super::problem::Problem;
use crate::config::SiteConfig;

/// How the built-in layout is named in messages.
pub const NAME: &str = "the plan layout (built in)";

/// Which header feeds which field. Headers are prefixes (`事業内容 (300字以内)`
/// is 事業内容); only 整理番号 and 事業名 are required, so both of the plan's
/// tables (the モデル事業 table has a テーマ column, the 一般事業 table has
/// not) are read by it.
pub const MAPPING: &str = r#"description: 東京都地域人材確保総合支援事業（区市町村）計画書
id: "{fiscal_year}-{scheme|source}-{整理番号:02}"
total_row: [合計, 総計]
fields:
  number: {from: 整理番号, blank: error}
  municipality: {from: [実施区市町村名, 実施区市町村], as: value, required: false}
  themes: {from: テーマ, as: value, required: false}
  category: {from: 事業分類, as: value, required: false}
  name: 事業名
  summary: {from: 事業内容, as: markdown, required: false}
  cost: {from: 事業額, as: amount, required: false}
  subsidy: {from: 補助金申請額, as: amount, required: false}
  employed: {from: 雇用・就業者数, as: amount, required: false}
  hiring_companies: {from: 人材獲得事業所数, as: amount, required: false}
  supported_companies: {from: 支援事業所数, as: amount, required: false}
  start: {from: 事業開始, required: false}
"#;

/// The plan's rules: every one there is.
pub fn rules() -> Rules {
    Rules {
        prefix_headers: true,
        several_tables: Some("整理番号"),
        repeated_headers: true,
        spanned_header: Some(Spanned {
            label: "目標",
            order: &["employed", "hiring_companies", "supported_companies"],
        }),
        continuation_rows: true,
        merged_cells: true,
        stray_labels: true,
        comment_by_number: true,
    }
}

/// The plan's layout, read against the site's config.
pub fn layout(config: &SiteConfig, problems: &mut Vec<Problem>) -> Option<Layout> {
    let mapping = mapping::builtin(NAME, MAPPING, config, problems)?;
    Some(Layout {
        mapping,
        rules: rules(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_mapping_reads_against_the_plans_config() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/content/_site.yaml"))
                .unwrap();
        let config: SiteConfig =
            crate::yaml::deserialize(crate::yaml::parse(&text).unwrap(), &text).unwrap();
        let mut problems = Vec::new();
        let l = layout(&config, &mut problems).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert!(l.mapping.fields.iter().all(|f| f.declared));
        // A site without themes still reads the layout.
        let mut bare = config.clone();
        bare.dimensions.retain(|d| d.key != "themes");
        let l = layout(&bare, &mut problems).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        let themes = l.mapping.fields.iter().find(|f| f.target == "themes");
        assert!(themes.is_some_and(|f| !f.declared));
    }
}
