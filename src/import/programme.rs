//! One imported programme and its file text.
//!
//! Field order is fixed (see docs/import.md); the layout follows the
//! hand-written example `2024-general-08.yaml`.

use super::emit::{flow_list, scalar, text_field};
use super::era::Ymd;
use crate::config::Measure;
use std::collections::BTreeMap;

/// A figure of a programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Its own figure.
    Own(u64),
    /// `-`: not applicable (`~` in the file).
    NotApplicable,
    /// The figure of a merged cell, shared with the programmes listed.
    Lead(u64, Vec<String>),
    /// Blank under a merged cell: covered by that programme.
    Member(String),
}

/// A dimension's value(s) as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DimValue {
    /// `key: value`.
    One(String),
    /// `key: [a, b]`.
    Many(Vec<String>),
}

/// Everything the importer writes for one row.
#[derive(Debug, Clone, Default)]
pub struct Programme {
    /// File stem and id, e.g. `2024-general-08`.
    pub id: String,
    /// Line of the row in the table.
    pub line: usize,
    /// The source's title, for the header comment.
    pub title: String,
    /// Fiscal year.
    pub fiscal_year: i32,
    /// Source id.
    pub source: String,
    /// 整理番号.
    pub number: u64,
    /// No number: the `number` line is left out (lists without 整理番号).
    pub no_number: bool,
    /// Page of the source document.
    pub page: Option<u64>,
    /// The header comment, when not `<source title> 整理番号 N`.
    pub comment: Option<String>,
    /// The source's defaults (e.g. scheme: general), in key order.
    pub defaults: Vec<(String, String)>,
    /// Dimension values by key: from the table, or kept from the existing
    /// file for editorial dimensions.
    pub dims: BTreeMap<String, DimValue>,
    /// A body acting for the municipality (東久留米市商工会).
    pub implementer: Option<String>,
    /// 事業名.
    pub name: String,
    /// Component label (from a 【…】 heading).
    pub part: Option<String>,
    /// Id of the programme this row continues.
    pub continues: Option<String>,
    /// 事業内容 (Markdown).
    pub summary: String,
    /// Figures by measure key.
    pub measures: BTreeMap<String, Value>,
    /// 事業開始.
    pub start: Option<Ymd>,
    /// The series id (`series:`; editorial, kept from the existing file):
    /// the importer never writes one of its own.
    pub series: Option<String>,
    /// Old ids (editorial, kept from the existing file).
    pub aliases: Vec<String>,
    /// What the import changed from the source.
    pub notes: Vec<String>,
}

/// Dimensions written right after `name`/`part`/`continues`, in this order;
/// others follow in declaration order.
const DIM_ORDER: &[&str] = &["category", "themes"];

fn dim_line(out: &mut String, key: &str, v: &DimValue) {
    match v {
        DimValue::One(s) => out.push_str(&format!("{key}: {}\n", scalar(s))),
        DimValue::Many(l) => out.push_str(&format!("{key}: {}\n", flow_list(l))),
    }
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Own(n) => Some(n.to_string()),
        Value::NotApplicable => Some("~".into()),
        _ => None,
    }
}

/// Writes a measure value under `key` at `indent`.
fn measure_lines(out: &mut String, indent: &str, key: &str, v: &Value) {
    match v {
        Value::Own(_) | Value::NotApplicable => {
            out.push_str(&format!(
                "{indent}{key}: {}\n",
                value_text(v).unwrap_or_default()
            ));
        }
        Value::Lead(amount, covers) => {
            out.push_str(&format!(
                "{indent}{key}:\n{indent}  amount: {amount}\n{indent}  covers: {}\n",
                flow_list(covers)
            ));
        }
        Value::Member(lead) => {
            out.push_str(&format!(
                "{indent}{key}:\n{indent}  covered_by: {}\n",
                scalar(lead)
            ));
        }
    }
}

impl Programme {
    /// The file text. `dim_keys` are the declared dimensions in order;
    /// `measures` the declared measures.
    pub fn render(&self, dim_keys: &[String], measures: &[Measure]) -> String {
        let mut o = String::new();
        let title: String = self
            .title
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        match &self.comment {
            Some(c) => {
                let c: String = c
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                o.push_str(&format!("# {}\n", c.trim()));
            }
            None => o.push_str(&format!("# {} 整理番号 {}\n", title.trim(), self.number)),
        }
        o.push_str(&format!("fiscal_year: {}\n", self.fiscal_year));
        o.push_str(&format!("source: {}\n", scalar(&self.source)));
        if !self.no_number {
            o.push_str(&format!("number: {}\n", self.number));
        }
        if let Some(p) = self.page {
            o.push_str(&format!("page: {p}\n"));
        }
        let default_keys: Vec<&str> = self.defaults.iter().map(|(k, _)| k.as_str()).collect();
        for (k, v) in &self.defaults {
            o.push_str(&format!("{k}: {}\n", scalar(v)));
        }
        if let Some(v) = self
            .dims
            .get("municipality")
            .filter(|_| !default_keys.contains(&"municipality"))
        {
            dim_line(&mut o, "municipality", v);
        }
        if let Some(i) = &self.implementer {
            o.push_str(&format!("implementer: {}\n", scalar(i)));
        }
        o.push_str(&format!("name: {}\n", scalar(&self.name)));
        if let Some(p) = &self.part {
            o.push_str(&format!("part: {}\n", scalar(p)));
        }
        if let Some(c) = &self.continues {
            o.push_str(&format!("continues: {}\n", scalar(c)));
        }
        let mut order: Vec<&str> = DIM_ORDER.to_vec();
        for k in dim_keys {
            if !order.contains(&k.as_str()) {
                order.push(k);
            }
        }
        for k in order {
            if k == "municipality" || default_keys.contains(&k) {
                continue;
            }
            if let Some(v) = self.dims.get(k) {
                dim_line(&mut o, k, v);
            }
        }
        if !self.summary.is_empty() {
            text_field(&mut o, "summary", &self.summary);
        }
        self.measures_into(&mut o, measures);
        if let Some(d) = self.start {
            o.push_str(&format!("start: {}\n", d.iso()));
        }
        if let Some(series) = &self.series {
            o.push_str(&format!("series: {}\n", scalar(series)));
        }
        if !self.aliases.is_empty() {
            o.push_str(&format!("aliases: {}\n", flow_list(&self.aliases)));
        }
        if !self.notes.is_empty() {
            o.push_str("notes:\n");
            for n in &self.notes {
                o.push_str(&format!("  - {}\n", scalar(n)));
            }
        }
        o
    }

    /// The measures, grouped by the first segment of their path
    /// (`targets:` holding `employed`, …).
    fn measures_into(&self, o: &mut String, measures: &[Measure]) {
        let mut tops: Vec<&str> = Vec::new();
        for m in measures {
            let top = m.file_path().split('.').next().unwrap_or("");
            if !tops.contains(&top) {
                tops.push(top);
            }
        }
        for top in tops {
            let here: Vec<&Measure> = measures
                .iter()
                .filter(|m| m.file_path().split('.').next() == Some(top))
                .collect();
            if here.len() == 1 && !here[0].file_path().contains('.') {
                if let Some(v) = self.measures.get(&here[0].key) {
                    measure_lines(o, "", top, v);
                }
                continue;
            }
            let mut block = String::new();
            for m in here {
                let sub = m
                    .file_path()
                    .split_once('.')
                    .map_or(m.file_path(), |(_, s)| s);
                if let Some(v) = self.measures.get(&m.key) {
                    measure_lines(&mut block, "  ", sub, v);
                }
            }
            if !block.is_empty() {
                o.push_str(&format!("{top}:\n{block}"));
            }
        }
    }
}
