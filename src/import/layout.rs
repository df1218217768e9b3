//! A described layout: a mapping (which header feeds which field) plus the
//! rules a table in that layout follows beyond one header row and one
//! programme per row.
//!
//! A mapping file (`--mapping`) is a layout without rules. The Tokyo plan's
//! layout (`plan.rs`) is a built-in mapping with every rule: several tables
//! in one file, header rows repeated at page breaks, a spanned header, 合計
//! rows in the first or second cell, continuation rows, merged cells and
//! stray labels. Each rule is a named pass of `rows.rs` (over the file's
//! rows), `columns.rs` (over the header) or `passes.rs` (over the
//! programmes read from the rows); the reading of each cell — HTML, line
//! breaks, figures, dates, values — is the same for every layout.

use super::mapping::Mapping;

/// A layout: the mapping and its rules.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Which header feeds which field.
    pub mapping: Mapping,
    /// What else the table does.
    pub rules: Rules,
}

impl Layout {
    /// A mapping file's layout: one table, one header row, one programme
    /// per row.
    pub fn of_mapping(mapping: Mapping) -> Self {
        Layout {
            mapping,
            rules: Rules::default(),
        }
    }
}

/// The rules of a layout, each a named pass (all off for a mapping file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    /// Headers match a field's header as a prefix, the longest match
    /// winning (`事業内容 (300字以内)` is 事業内容); otherwise they match whole.
    pub prefix_headers: bool,
    /// Several tables in one file (`rows::several_tables`): each starts at a
    /// header row whose first cell is this header, usually under a one-cell
    /// title line and a unit line; a totals row closes it, and its words
    /// count in the first or second cell. Each table goes to its own source.
    pub several_tables: Option<&'static str>,
    /// Title, unit and header rows repeated inside an open table (a page
    /// break) are skipped.
    pub repeated_headers: bool,
    /// A header spanning several columns (目標), whose columns are named by
    /// a second header row, or else taken in this order of fields.
    pub spanned_header: Option<Spanned>,
    /// A blank name continues the programme of the row above
    /// (`passes::continuation_rows`).
    pub continuation_rows: bool,
    /// A blank figure of a measure declared `shared` belongs to the merged
    /// cell of the nearest row above with a figure (`passes::merged_cells`).
    pub merged_cells: bool,
    /// A text cell starting with its own column's name and a colon
    /// (`事業名：…`) loses it, with a note.
    pub stray_labels: bool,
    /// The header comment of each file names the row's number
    /// (`# <title> 整理番号 N`) instead of its row (`# <title> N行目`).
    pub comment_by_number: bool,
}

/// A header spanning several columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned {
    /// The spanning header's text (compared as a prefix): 目標.
    pub label: &'static str,
    /// The fields of its columns in the order the layout lays them out,
    /// for a table without the second header row.
    pub order: &'static [&'static str],
}
