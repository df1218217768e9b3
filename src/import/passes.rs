//! Passes over the programmes read from one table, in table order: the
//! rules of a layout that join a row to the row above it.
//!
//! - [`continuation_rows`]: a blank name continues the programme above
//!   (世田谷区 9, 北区 12, 葛飾区 22 in the Tokyo plan): the name is taken
//!   from that row, `continues:` names its id, and a note says so.
//! - [`merged_cells`]: a blank figure of a measure declared `shared`
//!   belongs to the merged cell of the nearest row above with a figure:
//!   that row writes `{amount: N, covers: [ids]}`, each member
//!   `{covered_by: id}`.
//!
//! Both require the rows to agree on the dimensions declared
//! `same_within_group` (the municipality).

use super::convert::Row;
use super::declared::Model;
use super::problem::Problem;
use super::programme::{DimValue, Value};
use crate::diag::Code;

/// What the passes need besides the rows.
pub struct Context<'a> {
    /// The declared model.
    pub model: &'a Model<'a>,
    /// The table file, for positions.
    pub file: &'a str,
    /// How the table names the name field (事業名) and the number (整理番号).
    pub name_label: String,
    /// The number's label.
    pub number_label: String,
    /// The position of the name field in the mapping (for its notes).
    pub name_field: usize,
}

impl Context<'_> {
    /// `整理番号 8 (line 37)` (or `line 37` for a row without a number).
    fn row_ref(&self, r: &Row) -> String {
        if r.prog.no_number {
            format!("line {}", r.prog.line)
        } else {
            format!(
                "{} {} (line {})",
                self.number_label, r.prog.number, r.prog.line
            )
        }
    }

    /// The `same_within_group` dimensions in which two rows differ, as
    /// `municipality 江東区 ≠ 北区`, with the labels of those dimensions.
    fn differences(&self, a: &Row, b: &Row) -> (Vec<String>, Vec<String>) {
        let mut diffs = Vec::new();
        let mut labels = Vec::new();
        for d in self.model.dims.iter().filter(|d| d.decl.same_within_group) {
            let k = d.decl.key.as_str();
            if a.prog.dims.get(k) != b.prog.dims.get(k) {
                diffs.push(format!(
                    "{k} {} ≠ {}",
                    dim_text(a.prog.dims.get(k)),
                    dim_text(b.prog.dims.get(k))
                ));
                labels.push(d.decl.label.clone());
            }
        }
        (diffs, labels)
    }
}

fn dim_text(v: Option<&DimValue>) -> String {
    match v {
        Some(DimValue::One(s)) => s.clone(),
        Some(DimValue::Many(l)) => l.join("・"),
        None => "(none)".into(),
    }
}

/// A blank name continues the programme of the row above.
pub fn continuation_rows(rows: &mut [Row], cx: &Context, problems: &mut Vec<Problem>) {
    let label = &cx.name_label;
    for i in 0..rows.len() {
        let Some(col) = rows[i].blank_name else {
            continue;
        };
        let line = rows[i].prog.line;
        let mut err = |msg: String, help: Vec<String>| {
            problems.push(Problem::new(Code::E112, cx.file, line, col, msg, help))
        };
        if i == 0 {
            err(format!("「{label}」 is blank in the table's first row; there is no row above to continue"), vec![]);
            continue;
        }
        let (done, rest) = rows.split_at_mut(i);
        let (pr, p) = (&done[i - 1], &mut rest[0]);
        p.prog.name = pr.prog.name.clone();
        p.prog.continues = Some(pr.prog.id.clone());
        let from = if pr.prog.no_number {
            format!("{}行目", pr.row)
        } else {
            format!("{}{}の行", cx.number_label, pr.prog.number)
        };
        p.notes.push((
            cx.name_field,
            format!(
                "出典の表では{label}が空欄です（上の行の{}の続き）。このサイトでは、{from}の{label}を引き継いで示しています。",
                cx.model.config.item_label
            ),
        ));
        let (diffs, _) = cx.differences(pr, p);
        if !diffs.is_empty() {
            err(format!("「{label}」 is blank, so this row continues the row above, {}, but the rows differ: {}", cx.row_ref(pr), diffs.join(", ")),
                vec![format!("fill in the {label}, or correct the row")]);
        }
    }
}

/// A blank figure of a shared measure joins the merged cell above.
pub fn merged_cells(rows: &mut [Row], cx: &Context, problems: &mut Vec<Problem>) {
    for i in 0..rows.len() {
        let blanks = std::mem::take(&mut rows[i].blank_shared);
        let line = rows[i].prog.line;
        for b in blanks {
            let what = &b.what;
            let mut err = |msg: String, help: Vec<String>| {
                problems.push(Problem::new(Code::E112, cx.file, line, b.col, msg, help))
            };
            if i == 0 {
                err(format!("{what} is blank in the table's first row; a blank {what} means the merged cell above, and there is none"), vec![]);
                continue;
            }
            let (done, rest) = rows.split_at_mut(i);
            let p = &mut rest[0];
            let prev = &done[i - 1];
            let lead_id = match prev.prog.measures.get(&b.key) {
                Some(Value::Member(l)) => l.clone(),
                _ => prev.prog.id.clone(),
            };
            let Some(lead) = done.iter_mut().rev().find(|r| r.prog.id == lead_id) else {
                continue;
            };
            if !matches!(
                lead.prog.measures.get(&b.key),
                Some(Value::Own(_) | Value::Lead(..))
            ) {
                err(format!("{what} is blank (a merged cell), but the row above it, {}, has no figure to share", cx.row_ref(lead)), vec![]);
                continue;
            }
            let (diffs, labels) = cx.differences(lead, p);
            if !diffs.is_empty() {
                err(format!("{what} is blank, so it would share the merged cell of {}, but the rows differ: {}", cx.row_ref(lead), diffs.join(", ")),
                    vec![format!("a merged {what} cell spans rows of one {}; give this row its own figure", labels.join("・"))]);
                continue;
            }
            p.prog
                .measures
                .insert(b.key.clone(), Value::Member(lead_id));
            if let Some(v) = lead.prog.measures.get_mut(&b.key) {
                *v = match std::mem::replace(v, Value::NotApplicable) {
                    Value::Own(a) => Value::Lead(a, vec![p.prog.id.clone()]),
                    Value::Lead(a, mut c) => {
                        c.push(p.prog.id.clone());
                        Value::Lead(a, c)
                    }
                    other => other,
                };
            }
        }
    }
}

/// Every row has a name (a blank one is an error already, or continued).
pub fn named(rows: &[Row], cx: &Context, mapping_file: &str, problems: &mut Vec<Problem>) {
    for r in rows.iter().filter(|r| r.prog.name.is_empty()) {
        let line = r.prog.line;
        if problems
            .iter()
            .any(|q| q.is_error() && q.line == line && q.file == cx.file)
        {
            continue;
        }
        // The column feeding `name` is missing (`required: false`), or its template is empty.
        problems.push(Problem::new(
            Code::E108,
            cx.file,
            line,
            1,
            "the row has no name: nothing in this table feeds `name`",
            vec![format!(
                "every {} needs a name; check `name` in {mapping_file}",
                cx.model.config.item_label
            )],
        ));
    }
}
