//! Which source each table of the file is read for: the `--source` ids in
//! file order; else the mapping's `source`; else the sources whose `file`
//! is the table's file name, in the order of their `table`; else, for a
//! file with one table, the only source there is.

use super::problem::Problem;
use super::rows::Table;
use crate::config::Source;
use crate::diag::{did_you_mean, Code};

/// What the sources are chosen from.
pub struct Choice<'a> {
    /// `--source` ids, in order.
    pub given: &'a [String],
    /// The mapping's `source`.
    pub mapping_source: Option<&'a str>,
    /// The table's file name.
    pub file_name: &'a str,
    /// How the table file is shown.
    pub table_file: &'a str,
    /// The mapping file (for the help), if there is one.
    pub mapping_file: Option<&'a str>,
    /// Display path of `_sources.yaml`.
    pub sources_file: &'a str,
}

/// The source of each table, in table order; `None` (with E107 problems)
/// when they cannot be matched.
pub fn choose<'s>(
    c: &Choice,
    sources: &'s [Source],
    tables: &[Table],
    problems: &mut Vec<Problem>,
) -> Option<Vec<&'s Source>> {
    let ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    let chosen: Vec<&Source> = if !c.given.is_empty() {
        given(c, sources, problems)?
    } else if let Some(id) = c.mapping_source {
        vec![find(id, c, sources, problems)?]
    } else {
        let mut v: Vec<&Source> = sources
            .iter()
            .filter(|s| s.file.as_deref() == Some(c.file_name))
            .collect();
        v.sort_by_key(|s| s.table.unwrap_or(0));
        match (v.is_empty(), sources, tables.len()) {
            (false, _, _) => v,
            (true, [one], 1) => vec![one],
            (true, _, _) => {
                let or_mapping = c
                    .mapping_file
                    .map_or(String::new(), |m| format!(" (or `source:` in {m})"));
                problems.push(Problem::command_line(
                    Code::E107,
                    format!(
                        "no --source given, and no source in {} has `file: {}`",
                        c.sources_file, c.file_name
                    ),
                    vec![format!(
                        "give one --source ID per table in the file{or_mapping}; sources: {}",
                        ids.join(", ")
                    )],
                ));
                return None;
            }
        }
    };
    if chosen.len() != tables.len() {
        let lines: Vec<String> = tables
            .iter()
            .map(|t| format!("line {}", t.header_line))
            .collect();
        // At the first table without a source, or else the last table
        // (after which no table is left for the remaining sources).
        let at = tables
            .get(chosen.len())
            .or(tables.last())
            .map_or(1, |t| t.header_line);
        let which = match tables.get(chosen.len()) {
            Some(_) => format!("; the table at line {at} has no source"),
            None => {
                let left: Vec<&str> = chosen[tables.len()..]
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect();
                format!("; no table is left for {}", left.join(", "))
            }
        };
        problems.push(Problem::new(
            Code::E107,
            c.table_file,
            at,
            1,
            format!(
                "the file holds {} table(s) ({}), but {} source(s) were given{which}",
                tables.len(),
                lines.join(", "),
                chosen.len()
            ),
            vec!["give one --source ID per table, in file order".into()],
        ));
        return None;
    }
    Some(chosen)
}

/// The `--source` ids: each known, none twice.
fn given<'s>(
    c: &Choice,
    sources: &'s [Source],
    problems: &mut Vec<Problem>,
) -> Option<Vec<&'s Source>> {
    let mut v = Vec::new();
    let mut ok = true;
    for (i, id) in c.given.iter().enumerate() {
        if c.given[..i].contains(id) {
            problems.push(Problem::command_line(
                Code::E107,
                format!("--source {id} is given twice"),
                vec![],
            ));
            ok = false;
        }
        match find(id, c, sources, problems) {
            Some(s) => v.push(s),
            None => ok = false,
        }
    }
    ok.then_some(v)
}

fn find<'s>(
    id: &str,
    c: &Choice,
    sources: &'s [Source],
    problems: &mut Vec<Problem>,
) -> Option<&'s Source> {
    let found = sources.iter().find(|s| s.id == id);
    if found.is_none() {
        let ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
        let help = match did_you_mean(id, ids.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("sources in {}: {}", c.sources_file, ids.join(", ")),
        };
        problems.push(Problem::command_line(
            Code::E107,
            format!("unknown source `{id}`"),
            vec![help],
        ));
    }
    found
}
