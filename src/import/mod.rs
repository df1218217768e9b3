//! `mieruka import`: official programme tables (TSV/CSV) → programme files.
//!
//! ```text
//! bytes → decode (UTF-8, BOM, Shift_JIS) → rows (csv) → tables (titles, headers,
//!   page breaks, 合計) → programmes (against _site.yaml, registries, _sources.yaml)
//!   → + editorial fields of existing files → YAML text → files (only if changed)
//! ```
//!
//! Every problem in the table is collected and reported at once as
//! `TABLE:line:column: error: message` (column = 1-based cell index);
//! nothing is written when there is any error. See docs/import.md.

pub mod cell;
pub mod convert;
pub mod decode;
pub mod emit;
pub mod era;
pub mod mapped;
pub mod mapping;
pub mod programme;
pub mod table;

use crate::config::{Registry, SiteConfig, Source};
use crate::diag::did_you_mean;
use convert::{DimInfo, Model};
use programme::DimValue;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The largest table `import` reads (it is read whole into memory): 256 MiB,
/// a hundred times a prefecture's yearly list of every subsidy.
pub const MAX_TABLE_BYTES: u64 = 256 * 1024 * 1024;

/// How the table's cells are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    /// Tab-separated.
    Tsv,
    /// Comma-separated (as Excel writes "CSV UTF-8" or "CSV").
    Csv,
}

/// Arguments of `mieruka import` (also the library's options).
#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// The table to read (TSV or CSV; UTF-8, UTF-8 with BOM, or Shift_JIS).
    pub table: PathBuf,
    /// Source id from _sources.yaml, one per table in the file, in file order
    /// (repeat for several tables). Default: the sources whose `file` is the
    /// table's file name, in the order of their `table`.
    #[arg(long = "source", value_name = "ID")]
    pub sources: Vec<String>,
    /// Content folder (holding _site.yaml, _sources.yaml and the registries).
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// Where programme files go (default: <content>/<programme_dir>); files are
    /// written to <out>/<fiscal_year>/<id>.yaml.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Table format (default: by extension: .csv → csv, otherwise tsv).
    #[arg(long, value_enum)]
    pub format: Option<TableFormat>,
    /// Report what would be written, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// A mapping file (YAML) saying which header feeds which field, for a
    /// list with one programme per row. Without it, the table is read in
    /// the layout of the Tokyo plan (header row starting with 整理番号).
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
}

impl ImportArgs {
    /// Options for a table with defaults otherwise.
    pub fn new(table: impl Into<PathBuf>) -> Self {
        ImportArgs {
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

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Nothing is written.
    Error,
    /// Reported; the import goes on.
    Warning,
}

/// One problem, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file (the table, a content file, or "" for the command line).
    pub file: String,
    /// 1-based line (0: none).
    pub line: usize,
    /// 1-based column: the cell index in a table, the character in YAML.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Vec<String>,
}

impl Problem {
    /// An error.
    pub fn error(
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
        help: Vec<String>,
    ) -> Self {
        Problem {
            file: file.into(),
            line,
            column,
            severity: Severity::Error,
            message: message.into(),
            help,
        }
    }
    /// A warning.
    pub fn warning(
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
        help: Vec<String>,
    ) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Self::error(file, line, column, message, help)
        }
    }
    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
    /// `file:line:column: error: message`, then `  = help: …` lines.
    pub fn render(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Messages quote cells: no control character reaches the terminal.
        let message = crate::diag::chars::sanitize(&self.message, true);
        let mut s = match (self.file.is_empty(), self.line) {
            (true, _) => format!("{sev}: {message}"),
            (false, 0) => format!("{}: {sev}: {message}", self.file),
            (false, l) => format!("{}:{l}:{}: {sev}: {message}", self.file, self.column.max(1)),
        };
        for h in &self.help {
            s.push_str("\n  = help: ");
            s.push_str(&crate::diag::chars::sanitize(h, false).replace('\n', "\n          "));
        }
        s
    }
}

/// What happened to an output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    /// New file.
    Created,
    /// Content differs from the existing file.
    Changed,
    /// Same bytes: left untouched.
    Unchanged,
}

/// The outcome of an import.
#[derive(Debug, Default)]
pub struct Report {
    /// Errors and warnings, sorted.
    pub problems: Vec<Problem>,
    /// Informational lines (encoding, tables found).
    pub info: Vec<String>,
    /// Output files and what happened (or would happen) to each.
    pub files: Vec<(PathBuf, FileStatus)>,
    /// Registry files that get new values (`new_values: add`): path, the
    /// number of values added, and what happened to the file.
    pub registries: Vec<(PathBuf, usize, FileStatus)>,
    /// Whether files were written.
    pub written: bool,
}

impl Report {
    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// Runs the import and prints the outcome.
pub fn run(args: ImportArgs) -> ExitCode {
    let report = import(&args);
    for i in &report.info {
        println!("{i}");
    }
    for p in &report.problems {
        eprintln!("{}", p.render());
    }
    let errors = report.problems.iter().filter(|p| p.is_error()).count();
    if errors > 0 {
        eprintln!("error: {errors} problem(s); nothing was written");
        return ExitCode::from(1);
    }
    let count = |s: FileStatus| report.files.iter().filter(|(_, x)| *x == s).count();
    for (path, status) in &report.files {
        let verb = match (status, args.dry_run) {
            (FileStatus::Created, false) => "created",
            (FileStatus::Changed, false) => "changed",
            (FileStatus::Created, true) => "would create",
            (FileStatus::Changed, true) => "would change",
            (FileStatus::Unchanged, _) => continue,
        };
        println!("{verb} {}", path.display());
    }
    for (path, n, status) in &report.registries {
        let verb = match (status, args.dry_run) {
            (FileStatus::Created, false) => "created",
            (FileStatus::Changed, false) => "changed",
            (FileStatus::Created, true) => "would create",
            (FileStatus::Changed, true) => "would change",
            (FileStatus::Unchanged, _) => continue,
        };
        println!("{verb} {} ({n} new value(s))", path.display());
    }
    println!(
        "{} programmes: {} created, {} changed, {} unchanged{}",
        report.files.len(),
        count(FileStatus::Created),
        count(FileStatus::Changed),
        count(FileStatus::Unchanged),
        if args.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    ExitCode::SUCCESS
}

/// Most cells reported for holding refused characters (then one note).
const MAX_REFUSED_CELLS: usize = 100;

/// Refuses control characters and noncharacters in every cell of the table
/// (`mieruka check` refuses them in content as E016: they break feeds,
/// pages and data files), each at its line and cell. Tabs and line breaks
/// are fine.
fn refused_characters(records: &[table::Record], file: &str, problems: &mut Vec<Problem>) {
    use crate::diag::chars;
    let mut found = 0usize;
    for rec in records {
        // Lines before each cell: quoted cells may span lines.
        let mut line = rec.line;
        for (i, cell) in rec.cells.iter().enumerate() {
            if let Some((at, c)) = cell.chars().enumerate().find(|&(_, c)| chars::is_refused(c)) {
                found += 1;
                if found <= MAX_REFUSED_CELLS {
                    let before: String = cell.chars().take(at).collect();
                    let noun = if chars::is_noncharacter(c) {
                        "noncharacter"
                    } else {
                        "control character"
                    };
                    problems.push(Problem::error(
                        file,
                        line + before.matches('\n').count(),
                        i + 1,
                        format!(
                            "{noun} {} in a cell: `{}`",
                            chars::name(c),
                            chars::excerpt(cell, at)
                        ),
                        vec!["delete it in the table (it would break feeds, pages and data files); cells may hold tabs and line breaks, but no other control character and no noncharacter".into()],
                    ));
                }
            }
            line += cell.matches('\n').count();
        }
    }
    if found > MAX_REFUSED_CELLS {
        problems.push(Problem::error(
            file,
            0,
            0,
            format!(
                "{} more cells hold control characters or noncharacters (only the first {MAX_REFUSED_CELLS} are listed)",
                found - MAX_REFUSED_CELLS
            ),
            vec![],
        ));
    }
}

fn read_yaml<T: DeserializeOwned>(path: &Path, problems: &mut Vec<Problem>) -> Option<(T, String)> {
    let display = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            problems.push(Problem::error(
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
            problems.push(Problem::error(
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

/// Reads the table, converts it and (unless a dry run, or any error) writes
/// the programme files.
pub fn import(opts: &ImportArgs) -> Report {
    let mut report = Report::default();
    let problems = &mut report.problems;
    let table_display = opts.table.display().to_string();

    // --- the declared model
    let Some((config, _)) = read_yaml::<SiteConfig>(&opts.content.join("_site.yaml"), problems)
    else {
        return finish(report);
    };
    let sources_path = opts.content.join("_sources.yaml");
    let Some((sources, sources_text)) = read_yaml::<Vec<Source>>(&sources_path, problems) else {
        return finish(report);
    };
    let mapping = match &opts.mapping {
        Some(path) => {
            let display = path.display().to_string();
            let text = match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => {
                    problems.push(Problem::error(
                        &display,
                        0,
                        0,
                        format!("cannot read the mapping: {e}"),
                        vec![],
                    ));
                    return finish(report);
                }
            };
            match mapping::load(
                &display,
                text.trim_start_matches('\u{feff}'),
                &config,
                problems,
            ) {
                Some(m) => Some(m),
                None => return finish(report),
            }
        }
        None => None,
    };

    let mut dims = Vec::new();
    for d in &config.dimensions {
        match &d.registry {
            // A registry the mapping adds values to may not exist yet.
            Some(reg)
                if !opts.content.join(reg).exists()
                    && mapping.as_ref().is_some_and(|m| {
                        m.fields
                            .iter()
                            .any(|f| f.target == d.key && f.new_values == mapping::NewValues::Add)
                    }) =>
            {
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
    if problems.iter().any(Problem::is_error) {
        return finish(report);
    }
    let model = Model {
        config: &config,
        dims,
        sources_file: (sources_path.display().to_string(), sources_text),
    };
    let out_dir = opts
        .out
        .clone()
        .unwrap_or_else(|| opts.content.join(&config.programme_dir));
    // --- the table
    let format = opts
        .format
        .or(mapping.as_ref().and_then(|m| m.format))
        .unwrap_or_else(|| {
            match opts
                .table
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("csv") => TableFormat::Csv,
                _ => TableFormat::Tsv,
            }
        });
    let delimiter = match format {
        TableFormat::Tsv => b'\t',
        TableFormat::Csv => b',',
    };
    if let Ok(m) = std::fs::metadata(&opts.table) {
        if m.len() > MAX_TABLE_BYTES {
            problems.push(Problem::error(
                &table_display,
                0,
                0,
                format!(
                    "table is {} bytes; the largest accepted is {MAX_TABLE_BYTES} bytes (split it, e.g. one file per fiscal year)",
                    m.len()
                ),
                vec![],
            ));
            return finish(report);
        }
    }
    let bytes = match std::fs::read(&opts.table) {
        Ok(b) => b,
        Err(e) => {
            problems.push(Problem::error(
                &table_display,
                0,
                0,
                format!("cannot read: {e}"),
                vec![],
            ));
            return finish(report);
        }
    };
    let (text, encoding) = match decode::decode(&bytes, delimiter) {
        Ok(x) => x,
        Err(e) => {
            problems.push(Problem::error(
                &table_display,
                e.line,
                e.column,
                e.message,
                vec![
                    "save the table as UTF-8 (Excel: \"CSV UTF-8\"); Shift_JIS is also read".into(),
                ],
            ));
            return finish(report);
        }
    };
    if encoding == decode::Encoding::ShiftJis {
        report.info.push(format!(
            "note: {table_display} is not UTF-8; decoded it as {}",
            encoding.label()
        ));
    }
    let problems = &mut report.problems;
    let records = match table::read_records(&text, delimiter) {
        Ok(r) => r,
        Err(e) => {
            problems.push(Problem::error(
                &table_display,
                e.line,
                e.column,
                e.message,
                e.help,
            ));
            return finish(report);
        }
    };
    // Reported with every other problem; nothing is written.
    refused_characters(&records, &table_display, problems);
    if let Some(m) = &mapping {
        let Some(source) = mapped_source(opts, m, &sources, &model, problems) else {
            return finish(report);
        };
        report.info.push(format!(
            "read {table_display} ({}) with mapping {}",
            encoding.label(),
            m.file
        ));
        let c = mapped::convert(&records, m, source, &model, &table_display, problems);
        if !problems.iter().any(Problem::is_error) {
            report
                .info
                .push(format!("  → {}: {} programmes", source.id, c.rows.len()));
        }
        return write_out(
            opts,
            report,
            &config,
            c.rows,
            vec![source],
            &out_dir,
            &table_display,
            c.added,
        );
    }
    let mut layout_errors = Vec::new();
    let tables = table::find_tables(&records, &mut layout_errors);
    for e in layout_errors {
        problems.push(Problem::error(
            &table_display,
            e.line,
            e.column,
            e.message,
            e.help,
        ));
    }
    if tables.is_empty() {
        problems.push(Problem::error(
            &table_display,
            0,
            0,
            "no table found: no header row whose first cell is 整理番号",
            vec![format!(
                "is the format right? read as {}; use --format tsv|csv",
                if delimiter == b'\t' { "TSV" } else { "CSV" }
            )],
        ));
        return finish(report);
    }

    // --- which source each table is
    let chosen: Vec<&Source> = if opts.sources.is_empty() {
        let name = opts
            .table
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("");
        let mut v: Vec<&Source> = sources
            .iter()
            .filter(|s| s.file.as_deref() == Some(name))
            .collect();
        v.sort_by_key(|s| s.table.unwrap_or(0));
        if v.is_empty() {
            let ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
            problems.push(Problem::error(
                "",
                0,
                0,
                format!(
                    "no --source given, and no source in {} has `file: {name}`",
                    model.sources_file.0
                ),
                vec![format!(
                    "give one --source ID per table in the file; sources: {}",
                    ids.join(", ")
                )],
            ));
            return finish(report);
        }
        v
    } else {
        let mut v = Vec::new();
        let mut seen = BTreeSet::new();
        for id in &opts.sources {
            if !seen.insert(id) {
                problems.push(Problem::error(
                    "",
                    0,
                    0,
                    format!("--source {id} is given twice"),
                    vec![],
                ));
            }
            match sources.iter().find(|s| &s.id == id) {
                Some(s) => v.push(s),
                None => {
                    let ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
                    let help = match did_you_mean(id, ids.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("sources in {}: {}", model.sources_file.0, ids.join(", ")),
                    };
                    problems.push(Problem::error(
                        "",
                        0,
                        0,
                        format!("unknown source `{id}`"),
                        vec![help],
                    ));
                }
            }
        }
        v
    };
    if problems.iter().any(Problem::is_error) {
        return finish(report);
    }
    if chosen.len() != tables.len() {
        let lines: Vec<String> = tables
            .iter()
            .map(|t| format!("line {}", t.header_line))
            .collect();
        problems.push(Problem::error(
            &table_display,
            0,
            0,
            format!(
                "the file holds {} table(s) ({}), but {} source(s) were given",
                tables.len(),
                lines.join(", "),
                chosen.len()
            ),
            vec!["give one --source ID per table, in file order".into()],
        ));
        return finish(report);
    }
    report.info.push(format!(
        "read {table_display} ({}): {} table(s)",
        encoding.label(),
        tables.len()
    ));

    // --- convert
    let mut rows: Vec<convert::Row> = Vec::new();
    for (ti, (t, s)) in tables.iter().zip(&chosen).enumerate() {
        if let (Some(want), Some(title)) = (s.table, &t.title) {
            if want as usize != ti + 1 {
                problems.push(Problem::warning(&table_display, t.header_line, 1, format!(
                    "source `{}` says it is table {want} of its file, but it was given for table {} («{title}»)", s.id, ti + 1), vec![]));
            }
        }
        if let Some(title) = &t.title {
            if cell::squash(title) != cell::squash(&s.title) {
                problems.push(Problem::warning(
                    &table_display,
                    t.header_line,
                    1,
                    format!(
                        "the table's title 「{title}」 differs from source `{}`'s title 「{}」",
                        s.id, s.title
                    ),
                    vec!["check that the --source ids are in the order of the tables".into()],
                ));
            }
        }
        let c = convert::convert(t, s, &model, &table_display, problems);
        report.info.push(format!(
            "  table {} (line {}) → {}: {} programmes",
            ti + 1,
            t.header_line,
            s.id,
            c.rows.len()
        ));
        rows.extend(c.rows);
    }
    write_out(
        opts,
        report,
        &config,
        rows,
        chosen,
        &out_dir,
        &table_display,
        Vec::new(),
    )
}

/// The source a mapped table is read for: --source, else the mapping's
/// `source`, else the one source whose `file` is the table's file name,
/// else the only source there is.
fn mapped_source<'s>(
    opts: &ImportArgs,
    m: &mapping::Mapping,
    sources: &'s [Source],
    model: &Model,
    problems: &mut Vec<Problem>,
) -> Option<&'s Source> {
    let ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    let id = match (opts.sources.as_slice(), &m.source) {
        ([one], _) => one.clone(),
        ([], Some(s)) => s.clone(),
        ([], None) => {
            let name = opts
                .table
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("");
            let v: Vec<&Source> = sources
                .iter()
                .filter(|s| s.file.as_deref() == Some(name))
                .collect();
            match (v.as_slice(), sources) {
                ([one], _) => return Some(one),
                ([], [one]) => return Some(one),
                _ => {
                    problems.push(Problem::error(
                        "",
                        0,
                        0,
                        format!(
                            "which source is {name}? give --source ID, or `source:` in {}",
                            m.file
                        ),
                        vec![format!(
                            "sources in {}: {}",
                            model.sources_file.0,
                            ids.join(", ")
                        )],
                    ));
                    return None;
                }
            }
        }
        (_, _) => {
            problems.push(Problem::error(
                "",
                0,
                0,
                "a list read with a mapping is one table: give one --source",
                vec![],
            ));
            return None;
        }
    };
    match sources.iter().find(|s| s.id == id) {
        Some(s) => Some(s),
        None => {
            let help = match did_you_mean(&id, ids.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("sources in {}: {}", model.sources_file.0, ids.join(", ")),
            };
            problems.push(Problem::error(
                "",
                0,
                0,
                format!("unknown source `{id}`"),
                vec![help],
            ));
            None
        }
    }
}

/// Keeps editorial fields, renders the files and (unless a dry run or any
/// error) writes them, with the registry values a mapping added.
#[allow(clippy::too_many_arguments)]
fn write_out(
    opts: &ImportArgs,
    mut report: Report,
    config: &SiteConfig,
    mut rows: Vec<convert::Row>,
    chosen: Vec<&Source>,
    out_dir: &Path,
    table_display: &str,
    added: Vec<mapped::Added>,
) -> Report {
    let problems = &mut report.problems;
    let table_display = table_display.to_string();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows {
        if let Some(l) = ids.insert(r.prog.id.clone(), r.prog.line) {
            problems.push(Problem::error(&table_display, r.prog.line, 1, format!("id `{}` again (also line {l})", r.prog.id), vec![
                "each table must go to a source with its own fiscal year or scheme; with a mapping, make its `id` template unique (e.g. with {row})".into(),
            ]));
        }
    }

    // --- editorial fields from existing files; render
    let dim_keys: Vec<String> = config.dimensions.iter().map(|d| d.key.clone()).collect();
    let mut outputs: Vec<(PathBuf, String, Option<Vec<u8>>)> = Vec::new();
    for r in &mut rows {
        let path = out_dir
            .join(r.prog.fiscal_year.to_string())
            .join(format!("{}.yaml", r.prog.id));
        let existing = std::fs::read(&path).ok();
        if let Some(bytes) = &existing {
            let display = path.display().to_string();
            let text = String::from_utf8_lossy(bytes);
            match crate::yaml::parse(&text) {
                Ok(v) => {
                    let default_keys: Vec<&String> = r.prog.defaults.iter().map(|(k, _)| k).collect();
                    for d in &config.dimensions {
                        if r.table_dims.contains(&d.key) || default_keys.contains(&&d.key) {
                            continue;
                        }
                        match v.get(d.key.as_str()) {
                            None | Some(crate::yaml::Value::Null) => {}
                            Some(crate::yaml::Value::String(s)) if !d.multiple => {
                                r.prog.dims.insert(d.key.clone(), DimValue::One(s.clone()));
                            }
                            Some(x) => match string_list(x) {
                                Some(l) if d.multiple => {
                                    r.prog.dims.insert(d.key.clone(), DimValue::Many(l));
                                }
                                _ => {
                                    let (l, c) = crate::yaml::locate(&text, &[crate::yaml::Seg::Key(d.key.clone())]);
                                    problems.push(Problem::error(&display, l, c, format!(
                                        "cannot keep editorial `{}`: expected {}", d.key, if d.multiple { "a list of values" } else { "one value" }), vec![]));
                                }
                            },
                        }
                    }
                    match v.get("aliases") {
                        None | Some(crate::yaml::Value::Null) => {}
                        Some(x) => match string_list(x) {
                            Some(l) => r.prog.aliases = l,
                            None => {
                                let (l, c) = crate::yaml::locate(&text, &[crate::yaml::Seg::Key("aliases".into())]);
                                problems.push(Problem::error(&display, l, c, "cannot keep editorial `aliases`: expected a list of ids", vec![]));
                            }
                        },
                    }
                }
                Err(e) => problems.push(Problem::error(&display, e.line, e.column, format!("{} (the import keeps this file's editorial fields, so it must be readable)", e.message), vec![
                    "fix the file, or delete it to import it afresh".into(),
                ])),
            }
        }
        let text = r.prog.render(&dim_keys, &config.measures);
        outputs.push((path, text, existing));
    }

    // --- files of these sources that the import did not produce
    let produced: BTreeSet<&PathBuf> = outputs.iter().map(|(p, _, _)| p).collect();
    let source_ids: BTreeSet<&str> = chosen.iter().map(|s| s.id.as_str()).collect();
    let years: BTreeSet<i32> = chosen.iter().map(|s| s.fiscal_year).collect();
    for y in years {
        let dir = out_dir.join(y.to_string());
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut stale: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|x| x == "yaml" || x == "yml") && !produced.contains(p)
            })
            .collect();
        stale.sort();
        for p in stale {
            let Ok(t) = std::fs::read_to_string(&p) else {
                continue;
            };
            let src = crate::yaml::parse(&t)
                .ok()
                .and_then(|v| v.get("source").and_then(|s| s.as_str()).map(str::to_string));
            if let Some(s) = src.filter(|s| source_ids.contains(s.as_str())) {
                problems.push(Problem::warning(&p.display().to_string(), 1, 1, format!(
                    "cites source `{s}` but no row of {table_display} produces it; left as it is"), vec![
                    "delete it if the row left the table (add its id to another programme's `aliases` to keep the link working)".into(),
                ]));
            }
        }
    }

    // --- registries that get new values
    let mut reg_outputs: Vec<(PathBuf, String, usize, FileStatus)> = Vec::new();
    for a in &added {
        if a.entries.is_empty() {
            continue;
        }
        let path = opts.content.join(&a.registry);
        let existing = std::fs::read_to_string(&path).ok();
        let mut text = match &existing {
            Some(t) => {
                let body: Vec<&str> = t
                    .lines()
                    .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
                    .collect();
                if body.last().is_some_and(|l| l.trim_end().ends_with(']')) {
                    problems.push(Problem::error(&path.display().to_string(), 0, 0, "cannot add values to a registry written as a flow list `[…]`", vec![
                        "write it as a block list (`- slug: …` lines), or add the values by hand".into(),
                    ]));
                    continue;
                }
                let mut t = t.clone();
                if !t.is_empty() && !t.ends_with('\n') {
                    t.push('\n');
                }
                t
            }
            None => {
                let table_name = opts
                    .table
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                format!("# {} ({}): values added by `mieruka import` from {table_name}.\n# Names, readings and descriptions may be edited; slugs are URLs: keep them.\n", a.label, a.key)
            }
        };
        for (slug, name) in &a.entries {
            text.push_str(&format!(
                "- slug: {}\n  name: {}\n",
                emit::scalar(slug),
                emit::scalar(name)
            ));
        }
        let status = if existing.is_some() {
            FileStatus::Changed
        } else {
            FileStatus::Created
        };
        reg_outputs.push((path, text, a.entries.len(), status));
    }

    // --- write
    for (path, text, existing) in &outputs {
        let status = match existing {
            None => FileStatus::Created,
            Some(b) if b.as_slice() == text.as_bytes() => FileStatus::Unchanged,
            Some(_) => FileStatus::Changed,
        };
        report.files.push((path.clone(), status));
    }
    report.registries = reg_outputs
        .iter()
        .map(|(p, _, n, s)| (p.clone(), *n, *s))
        .collect();
    let problems = &mut report.problems;
    if problems.iter().any(Problem::is_error) {
        report.files.clear();
        report.registries.clear();
        return finish(report);
    }
    if !opts.dry_run {
        for (path, text, _, _) in &reg_outputs {
            if let Err(e) = write_file(path, text.as_bytes()) {
                problems.push(Problem::error(
                    &path.display().to_string(),
                    0,
                    0,
                    format!("cannot write: {e}"),
                    vec![],
                ));
            }
        }
        for ((path, text, _), (_, status)) in outputs.iter().zip(&report.files) {
            if *status == FileStatus::Unchanged {
                continue;
            }
            if let Err(e) = write_file(path, text.as_bytes()) {
                problems.push(Problem::error(
                    &path.display().to_string(),
                    0,
                    0,
                    format!("cannot write: {e}"),
                    vec![],
                ));
            }
        }
        report.written = !problems.iter().any(Problem::is_error);
    }
    finish(report)
}

fn string_list(v: &crate::yaml::Value) -> Option<Vec<String>> {
    v.as_sequence()?
        .iter()
        .map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// Writes through a temporary file in the same folder, then renames.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".mieruka-import.tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn finish(mut report: Report) -> Report {
    report.problems.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
    report.problems.dedup();
    report
}
