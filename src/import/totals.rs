//! A table's totals row (合計) as the totals its source declares: each
//! figure is compared with the source's `declared_totals`, and the rows
//! should add up to it (the build refuses content whose declared totals
//! differ from the recomputed ones, E010).

use super::cell::{figure, Figure};
use super::convert::{group, remark_help, Row};
use super::declared::Model;
use super::layout::Layout;
use super::mapping::{Kind, Remarks};
use super::problem::Problem;
use super::programme::Value;
use super::rows::Table;
use super::table::Record;
use super::text::remark;
use crate::config::Source;
use crate::diag::Code;

/// A figure of the totals row: measure, figure, cell index.
type Found = (String, u64, usize);

/// Checks the totals row of `table` (read for `source`) against the
/// source's declared totals and against its `rows`.
pub fn check(
    table: &Table,
    rows: &[Row],
    source: &Source,
    layout: &Layout,
    model: &Model,
    file: &str,
    problems: &mut Vec<Problem>,
) {
    let sfile = &model.sources_file.0;
    let words = &layout.mapping.total_row;
    let Some((total, word)) = &table.total else {
        if !words.is_empty() && !source.declared_totals.is_empty() {
            problems.push(Problem::new(Code::W203, file, table.header_line, 1, format!(
                "the table has no totals row ({}); source `{}` declares totals in {sfile} that the import cannot compare", words.join("/"), source.id), vec![]));
        }
        return;
    };
    let t = Totals {
        total,
        word,
        source,
        model,
        file,
    };
    let (found, unread) = t.figures(table, layout, problems);
    if source.declared_totals.is_empty() && !found.is_empty() {
        return t.undeclared(&found, problems);
    }
    t.compare(&found, &unread, problems);
    t.sums(&found, rows, problems);
}

/// One totals row and what it is checked against.
struct Totals<'a> {
    total: &'a Record,
    /// The word that marks it (合計).
    word: &'a str,
    source: &'a Source,
    model: &'a Model<'a>,
    file: &'a str,
}

impl Totals<'_> {
    fn label(&self, k: &str) -> String {
        self.model
            .config
            .measures
            .iter()
            .find(|m| m.key == k)
            .map_or(k.to_string(), |m| m.label.clone())
    }

    fn push(
        &self,
        problems: &mut Vec<Problem>,
        code: Code,
        col: usize,
        msg: String,
        help: Vec<String>,
    ) {
        problems.push(Problem::new(
            code,
            self.file,
            self.total.line,
            col,
            msg,
            help,
        ));
    }

    /// The figures of the row, in the columns of the layout's amounts, and
    /// the measures whose cell is no figure (an error already).
    fn figures(
        &self,
        table: &Table,
        layout: &Layout,
        problems: &mut Vec<Problem>,
    ) -> (Vec<Found>, Vec<String>) {
        let mut found = Vec::new();
        let mut unread = Vec::new();
        let fields = layout.mapping.fields.iter().zip(&table.columns.col_of);
        for (f, col) in fields.filter(|(f, _)| f.declared && f.kind == Kind::Amount) {
            let Some(i) = *col else { continue };
            match (figure(self.total.cell(i)), remark(self.total.cell(i))) {
                (Ok(Figure::Value(n)), _) => found.push((f.target.clone(), n, i)),
                (Ok(_), _) => {}
                (Err(_), Some((n, _))) if f.remarks == Remarks::Strip => {
                    found.push((f.target.clone(), n, i))
                }
                (Err(e), r) => {
                    let msg = format!("the {} row's {}: {e}", self.word, self.label(&f.target));
                    let help = r.map(|(n, r)| remark_help(n, &r, &f.target, &layout.mapping));
                    self.push(problems, Code::E108, i + 1, msg, help.into_iter().collect());
                    unread.push(f.target.clone());
                }
            }
        }
        (found, unread)
    }

    /// Totals in the table, none in the source: the YAML to add.
    fn undeclared(&self, found: &[Found], problems: &mut Vec<Problem>) {
        let (id, sfile) = (&self.source.id, &self.model.sources_file.0);
        let mut help = format!("add them to source `{id}` in {sfile}:\n    declared_totals:");
        for (k, n, _) in found {
            help.push_str(&format!("\n      {k}: {n}"));
        }
        let list: Vec<String> = found
            .iter()
            .map(|(k, n, _)| format!("{} {}", self.label(k), group(*n)))
            .collect();
        let msg = format!(
            "the {} row declares totals ({}), but source `{id}` declares none",
            self.word,
            list.join(", ")
        );
        self.push(problems, Code::E111, 1, msg, vec![help]);
    }

    /// Each figure equals its declared total; each declared total has its
    /// figure (but for a cell that is no figure: an error of its own).
    fn compare(&self, found: &[Found], unread: &[String], problems: &mut Vec<Problem>) {
        let (id, sfile, word) = (&self.source.id, &self.model.sources_file.0, self.word);
        let declared = &self.source.declared_totals;
        for (k, n, i) in found {
            let l = self.label(k);
            match declared.get(k) {
                Some(d) if d == n => {}
                Some(d) => self.push(problems, Code::E111, i + 1, format!(
                    "the {word} row says {l} {}, but source `{id}` declares {} in {sfile}", group(*n), group(*d)),
                    vec![format!("correct declared_totals.{k} in {sfile}, or the table")]),
                None => self.push(problems, Code::E111, i + 1, format!(
                    "the {word} row says {l} {}, but source `{id}` declares no total for `{k}`", group(*n)),
                    vec![format!("add `{k}: {n}` under declared_totals of `{id}` in {sfile}; the build checks it against the rows")]),
            }
        }
        for (k, d) in declared
            .iter()
            .filter(|(k, _)| !found.iter().any(|(f, _, _)| f == *k) && !unread.contains(k))
        {
            let msg = format!(
                "source `{id}` declares {} {} in {sfile}, but the {word} row has no figure for it",
                self.label(k),
                group(*d)
            );
            self.push(problems, Code::E111, 1, msg, vec![]);
        }
    }

    /// The rows add up to the row (the build checks this too).
    fn sums(&self, found: &[Found], rows: &[Row], problems: &mut Vec<Problem>) {
        for (k, n, i) in found {
            let sum: u128 = rows
                .iter()
                .map(|r| match r.prog.measures.get(k) {
                    Some(Value::Own(v)) | Some(Value::Lead(v, _)) => u128::from(*v),
                    _ => 0,
                })
                .sum();
            if sum != u128::from(*n) {
                let msg = format!(
                    "the rows' {} add up to {}, but the {} row says {}",
                    self.label(k),
                    crate::format::group_digits(sum),
                    self.word,
                    group(*n)
                );
                self.push(
                    problems,
                    Code::W202,
                    i + 1,
                    msg,
                    vec!["`mieruka build` will refuse the content until they agree".into()],
                );
            }
        }
    }
}
