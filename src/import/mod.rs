//! `mieruka import`: official programme tables (TSV/CSV) → programme files.
//!
//! ```text
//! bytes → decode (UTF-8, BOM, Shift_JIS) → rows (csv) → tables in the layout
//!   (a mapping file, or the Tokyo plan's built-in layout: a mapping + rules)
//!   → programmes (each field read against _site.yaml, registries) → passes
//!   (continuation rows, merged cells) → totals (against _sources.yaml)
//!   → + editorial fields of existing files → YAML text → files (only if changed)
//! ```
//!
//! One engine reads every layout: `layout.rs` says what a layout is,
//! `plan.rs` is the plan's. Every problem is collected with its code
//! (E1xx, W2xx in `diag/code.rs`) and position; nothing is written when
//! there is any error. The library returns a [`Report`]; printing it is
//! the command line's (`src/cli/import.rs`). See docs/import.md.

pub mod cell;
pub mod columns;
pub mod convert;
pub mod declared;
pub mod decode;
pub mod emit;
pub mod era;
pub mod existing;
pub mod layout;
pub mod mapping;
pub mod output;
pub mod passes;
pub mod plan;
pub mod problem;
pub mod programme;
pub mod registry;
pub mod rows;
pub mod series;
pub mod sources;
pub mod table;
pub mod template;
pub mod text;
pub mod totals;

pub use problem::{FileStatus, Problem, Report};
pub use table::{TableFormat, MAX_TABLE_BYTES};

use crate::config::{Registry, SiteConfig, Source};
use crate::diag::Code;
use convert::Row;
use declared::{DimInfo, Model};
use layout::Layout;
use problem::Problems;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What to import and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The table to read (TSV or CSV; UTF-8, UTF-8 with BOM, or Shift_JIS).
    pub table: PathBuf,
    /// Source ids, one per table in the file, in file order (none: the
    /// mapping's `source`, or the sources whose `file` is the table's name).
    pub sources: Vec<String>,
    /// The content folder (`_site.yaml`, `_sources.yaml`, registries).
    pub content: PathBuf,
    /// Where programme files go (default: `<content>/<programme_dir>`).
    pub out: Option<PathBuf>,
    /// The table's format (default: the mapping's, else by extension).
    pub format: Option<TableFormat>,
    /// Report what would be written, write nothing.
    pub dry_run: bool,
    /// A mapping file; without it the table is read in the Tokyo plan's
    /// layout.
    pub mapping: Option<PathBuf>,
}

impl Options {
    /// Options for a table with defaults otherwise.
    pub fn new(table: impl Into<PathBuf>) -> Self {
        Options {
            table: table.into(),
            sources: Vec::new(),
            content: PathBuf::from("content"),
            out: None,
            format: None,
            dry_run: false,
            mapping: None,
        }
    }
}

/// Reads a YAML content file into `T` (E106 when it cannot be read).
fn read_yaml<T: DeserializeOwned>(path: &Path, problems: &mut Vec<Problem>) -> Option<(T, String)> {
    let display = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            problems.push(Problem::new(
                Code::E106,
                &display,
                0,
                0,
                format!("cannot read: {e}"),
                vec![],
            ));
            return None;
        }
    };
    match crate::yaml::parse(&text).and_then(|v| crate::yaml::deserialize::<T>(v, &text)) {
        Ok(v) => Some((v, text)),
        Err(e) => {
            problems.push(Problem::new(
                Code::E106,
                &display,
                e.line,
                e.column,
                e.message,
                vec!["`mieruka check` reports every problem in the content".into()],
            ));
            None
        }
    }
}

/// The layout: the mapping file's, or the plan's.
fn read_layout(opts: &Options, config: &SiteConfig, problems: &mut Vec<Problem>) -> Option<Layout> {
    let Some(path) = &opts.mapping else {
        return plan::layout(config, problems);
    };
    let display = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => mapping::load(
            &display,
            text.trim_start_matches('\u{feff}'),
            config,
            problems,
        )
        .map(Layout::of_mapping),
        Err(e) => {
            problems.push(Problem::new(
                Code::E105,
                &display,
                0,
                0,
                format!("cannot read the mapping: {e}"),
                vec![],
            ));
            None
        }
    }
}

/// The dimensions with their values. A registry the layout adds values to
/// may not exist yet.
fn read_dims(
    opts: &Options,
    config: &SiteConfig,
    layout: &Layout,
    problems: &mut Vec<Problem>,
) -> Vec<DimInfo> {
    let adds = |key: &str| {
        layout
            .mapping
            .fields
            .iter()
            .any(|f| f.target == key && f.new_values == mapping::NewValues::Add)
    };
    let mut dims = Vec::new();
    for d in &config.dimensions {
        match &d.registry {
            Some(reg) if !opts.content.join(reg).exists() && adds(&d.key) => {
                dims.push(DimInfo::new(d.clone(), Vec::new(), reg.clone()));
            }
            Some(reg) => {
                if let Some((entries, _)) = read_yaml::<Registry>(&opts.content.join(reg), problems)
                {
                    dims.push(DimInfo::new(d.clone(), entries, reg.clone()));
                }
            }
            None => dims.push(DimInfo::new(
                d.clone(),
                d.values.clone(),
                "_site.yaml".into(),
            )),
        }
    }
    dims
}

/// Reads the table, converts it and (unless a dry run, or any error) writes
/// the programme files.
pub fn import(opts: &Options) -> Report {
    let mut report = Report::default();
    let problems = &mut report.problems;
    let Some((config, _)) = read_yaml::<SiteConfig>(&opts.content.join("_site.yaml"), problems)
    else {
        return report.finish();
    };
    let sources_path = opts.content.join("_sources.yaml");
    let Some((sources, sources_text)) = read_yaml::<Vec<Source>>(&sources_path, problems) else {
        return report.finish();
    };
    let Some(layout) = read_layout(opts, &config, problems) else {
        return report.finish();
    };
    let dims = read_dims(opts, &config, &layout, problems);
    if problems.has_errors() {
        return report.finish();
    }
    let model = Model {
        config: &config,
        dims,
        sources_file: (sources_path.display().to_string(), sources_text),
    };
    let Some(read) = read_tables(opts, &layout, &sources, &model, &mut report) else {
        return report.finish();
    };
    let mut added = registry::AddedValues::new();
    let mut rows = Vec::new();
    for (ti, (table, source)) in read.tables.iter().zip(&read.sources).enumerate() {
        let n = read.tables.len();
        let c = Conversion {
            table,
            source,
            index: ti,
            of: n,
            layout: &layout,
            model: &model,
            file: &read.file,
        };
        rows.extend(c.run(&mut added, &mut report));
    }
    write_out(opts, &layout, report, &model, rows, &read, added)
}

/// The tables of the file and the source of each.
struct Read<'s> {
    /// How the table file is shown.
    file: String,
    tables: Vec<rows::Table>,
    sources: Vec<&'s Source>,
}

/// Reads the file and finds its tables and their sources.
fn read_tables<'s>(
    opts: &Options,
    layout: &Layout,
    sources: &'s [Source],
    model: &Model,
    report: &mut Report,
) -> Option<Read<'s>> {
    let file = opts.table.display().to_string();
    let format = opts
        .format
        .or(layout.mapping.format)
        .unwrap_or_else(|| TableFormat::of(&opts.table));
    let problems = &mut report.problems;
    let (records, encoding) = match table::read(&opts.table, &file, format) {
        Ok(x) => x,
        Err(p) => {
            problems.push(p);
            return None;
        }
    };
    if encoding == decode::Encoding::ShiftJis {
        report.info.push(format!(
            "note: {file} is not UTF-8; decoded it as {}",
            encoding.label()
        ));
    }
    // Cells with refused characters are not read further.
    table::refused_characters(&records, &file, problems);
    if problems.has_errors() {
        return None;
    }
    let tables = rows::find(&records, layout, &file, format, problems);
    if tables.is_empty() || problems.has_errors() {
        return None;
    }
    let file_name = opts
        .table
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("");
    let choice = sources::Choice {
        given: &opts.sources,
        mapping_source: layout.mapping.source.as_deref(),
        file_name,
        table_file: &file,
        mapping_file: (!layout.mapping.builtin).then_some(layout.mapping.file.as_str()),
        sources_file: &model.sources_file.0,
    };
    let chosen = sources::choose(&choice, sources, &tables, problems)?;
    report.info.push(if layout.mapping.builtin {
        format!(
            "read {file} ({}): {} table(s)",
            encoding.label(),
            tables.len()
        )
    } else {
        format!(
            "read {file} ({}) with mapping {}",
            encoding.label(),
            layout.mapping.file
        )
    });
    // A table whose columns do not fit the layout is not read further.
    if report.problems.has_errors() {
        return None;
    }
    Some(Read {
        file,
        tables,
        sources: chosen,
    })
}

/// One table read for its source: rows, passes, totals.
struct Conversion<'a> {
    table: &'a rows::Table,
    source: &'a Source,
    /// Its position in the file (0-based) and the number of tables.
    index: usize,
    of: usize,
    layout: &'a Layout,
    model: &'a Model<'a>,
    file: &'a str,
}

impl Conversion<'_> {
    fn run(&self, added: &mut registry::AddedValues, report: &mut Report) -> Vec<Row> {
        let (t, s, file) = (self.table, self.source, self.file);
        let problems = &mut report.problems;
        self.titles(problems);
        let errors_before = problems.errors();
        let mut rows = convert::table(t, s, self.layout, self.model, file, added, problems);
        let fields = &self.layout.mapping.fields;
        let label_of = |target: &str, default: &str| {
            fields
                .iter()
                .position(|f| f.target == target)
                .map_or(default.to_string(), |i| t.columns.labels[i].clone())
        };
        let cx = passes::Context {
            model: self.model,
            file,
            name_label: label_of("name", "name"),
            number_label: label_of("number", "number"),
            name_field: fields.iter().position(|f| f.target == "name").unwrap_or(0),
        };
        let rules = &self.layout.rules;
        if rules.continuation_rows {
            passes::continuation_rows(&mut rows, &cx, problems);
        }
        if rules.merged_cells {
            passes::merged_cells(&mut rows, &cx, problems);
        }
        passes::named(&rows, &cx, &self.layout.mapping.file, problems);
        rows.iter_mut().for_each(Row::finish);
        if problems.errors() == errors_before {
            totals::check(t, &rows, s, self.layout, self.model, file, problems);
        }
        if report.problems.errors() > errors_before {
            return rows;
        }
        report
            .info
            .push(if self.of > 1 || self.layout.mapping.builtin {
                format!(
                    "  table {} (line {}) → {}: {} programmes",
                    self.index + 1,
                    t.header_line,
                    s.id,
                    rows.len()
                )
            } else {
                format!("  → {}: {} programmes", s.id, rows.len())
            });
        rows
    }

    /// The table's title and position agree with its source (W201).
    fn titles(&self, problems: &mut Vec<Problem>) {
        let (t, s) = (self.table, self.source);
        let Some(title) = &t.title else { return };
        let mut warn = |msg: String, help: Vec<String>| {
            problems.push(Problem::new(
                Code::W201,
                self.file,
                t.header_line,
                1,
                msg,
                help,
            ));
        };
        if let Some(want) = s.table {
            if want as usize != self.index + 1 {
                warn(format!("source `{}` says it is table {want} of its file, but it was given for table {} («{title}»)", s.id, self.index + 1), vec![]);
            }
        }
        if cell::squash(title) != cell::squash(&s.title) {
            warn(
                format!(
                    "the table's title 「{title}」 differs from source `{}`'s title 「{}」",
                    s.id, s.title
                ),
                vec!["check that the --source ids are in the order of the tables".into()],
            );
        }
    }
}

/// Ids that last: a zero-padded number of the id template that outgrows
/// its padding is refused before the first import (E114, at the template
/// in the mapping file); once ids exist, or for a built-in layout, it is a
/// warning (W205): changing the template then would change every id.
fn id_width(rows: &[Row], layout: &Layout, exist: bool, problems: &mut Vec<Problem>) {
    let Some(i) = rows.iter().position(|r| r.wide.is_some()) else {
        return;
    };
    let m = &layout.mapping;
    let (name, w, digits) = rows[i].wide.clone().unwrap_or_default();
    let before = rows[..i]
        .last()
        .map_or(String::new(), |r| format!("{}, then ", r.prog.id));
    let msg = format!(
        "the id template 「{}」 pads {{{name}}} to {w} digits, but it reaches {digits} digits (line {}): the ids would change width ({before}{})",
        m.id, rows[i].prog.line, rows[i].prog.id
    );
    let wider = format!("{{{name}:0{}}}", digits + 1);
    let (code, help) = if m.builtin {
        (
            Code::W205,
            "the ids are wider from here on; existing ids keep their width".to_string(),
        )
    } else if exist {
        (Code::W205, format!("programme files with these ids exist: the new ids are wider (changing the template to {wider} now would change every id, so give the old ids as `aliases` if you do)"))
    } else {
        (Code::E114, format!("pad it wider before the first import, e.g. {wider} (room for the list to grow): ids are file names and URLs, and a wider template later changes every id"))
    };
    problems.push(Problem::new(
        code,
        &m.file,
        m.id_at.0,
        m.id_at.1,
        msg,
        vec![help],
    ));
}

/// Keeps editorial fields, renders the files and (unless a dry run or any
/// error) writes them, with the registry values a mapping added.
fn write_out(
    opts: &Options,
    layout: &Layout,
    mut report: Report,
    model: &Model,
    mut rows: Vec<Row>,
    read: &Read,
    added: registry::AddedValues,
) -> Report {
    let config = model.config;
    let problems = &mut report.problems;
    let file = &read.file;
    series::same_key(&rows, config, &model.dims, file, problems);
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &rows {
        if let Some(l) = ids.insert(&r.prog.id, r.prog.line) {
            problems.push(Problem::new(Code::E110, file, r.prog.line, 1, format!("id `{}` again (also line {l})", r.prog.id), vec![
                "each table must go to a source with its own fiscal year or scheme; with a mapping, make its `id` template unique (e.g. with {row})".into(),
            ]));
        }
    }
    let out_dir = opts
        .out
        .clone()
        .unwrap_or_else(|| opts.content.join(&config.programme_dir));
    let dim_keys: Vec<String> = config.dimensions.iter().map(|d| d.key.clone()).collect();
    let mut programmes = Vec::new();
    for r in &mut rows {
        let path = out_dir
            .join(r.prog.fiscal_year.to_string())
            .join(format!("{}.yaml", r.prog.id));
        let existing = std::fs::read(&path).ok();
        if let Some(bytes) = &existing {
            existing::keep_editorial(
                r,
                config,
                &path.display().to_string(),
                &String::from_utf8_lossy(bytes),
                problems,
            );
        }
        let text = r.prog.render(&dim_keys, &config.measures);
        programmes.push(output::ProgrammeOutput {
            path,
            text,
            existing,
        });
    }
    let exist = programmes.iter().any(|p| p.existing.is_some());
    id_width(&rows, layout, exist, problems);
    let produced: BTreeSet<&PathBuf> = programmes.iter().map(|p| &p.path).collect();
    existing::stale(&out_dir, &read.sources, &produced, file, problems);
    let table_name = opts
        .table
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let registries = registry::outputs(&added, &opts.content, &table_name, problems);
    if problems.has_errors() {
        return report.finish();
    }
    let cx = series::Context {
        config,
        dims: &model.dims,
        content: &opts.content,
        out_dir: &out_dir,
        produced: &produced,
        sources: read.sources.iter().map(|s| s.id.as_str()).collect(),
    };
    report.series = series::report(&cx, &rows, &mut report.info);
    report.files = programmes
        .iter()
        .map(|p| (p.path.clone(), p.status()))
        .collect();
    report.registries = registries
        .iter()
        .map(|r| (r.path.clone(), r.added, r.status))
        .collect();
    if !opts.dry_run {
        output::write(&programmes, &registries, &mut report.problems);
        report.written = !report.problems.has_errors();
    }
    report.finish()
}
