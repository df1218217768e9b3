//! Mapping files: which header of a programme list feeds which field.
//!
//! `mieruka import TABLE --mapping FILE` reads a list with one programme per
//! row (a subsidy list, a city's budget items…) as the mapping says, instead
//! of the built-in layout of the Tokyo plan, which is itself a mapping
//! (`plan.rs`) with the plan's rules (`layout.rs`).
//! The file is YAML, read through `crate::yaml` into typed structs with
//! `deny_unknown_fields`, so a misspelt key is an error at its line:
//!
//! ```yaml
//! source: tokyo-r7-hojokin          # default source (else --source)
//! id: "{fiscal_year}-{row:03}"      # the file stem: a template
//! fields:
//!   name: 補助金名                   # one header
//!   budget: [予算額（千円）, 令和６年度予算額（千円）]   # a header and its aliases
//!   summary: {from: 補助金の概要, as: paragraphs}
//!   project: {from: 事業名, new_values: add, slug: "{n}"}
//! ignore: [所管局№, 問い合わせ先]
//! ```
//!
//! See docs/publish-your-own-list.md for every option.

use super::cell::squash;
use super::problem::Problem;
use super::table::TableFormat;
use super::template::{parse_template, TEMPLATE_HELP};
use crate::config::SiteConfig;
use crate::diag::{did_you_mean, Code};
use crate::yaml::{self, Seg, Value};
use serde::Deserialize;

/// Core programme fields a mapping can fill.
pub const CORE_TARGETS: &[&str] = &[
    "fiscal_year",
    "number",
    "page",
    "name",
    "part",
    "summary",
    "implementer",
    "start",
];

/// How a cell is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Plain text; the lines of the cell stay lines (each trimmed).
    Text,
    /// Plain text; every line of the cell becomes its own paragraph.
    Paragraphs,
    /// Plain text; the lines of the cell stay lines (Markdown hard breaks).
    Lines,
    /// Markdown, kept as written (raw HTML is still shown as text).
    Markdown,
    /// A whole number in the measure's unit; commas, full-width digits and
    /// spaces are accepted, `-` is not applicable.
    Amount,
    /// A whole number (整理番号, page).
    Number,
    /// A date (令和6年4月1日, R6.4.1, 2024-04-01…).
    Date,
    /// A fiscal year (2025, 令和7年度, R7); must be the source's.
    Year,
    /// A value of a dimension (its name, slug or one of its `bodies`).
    Value,
}

impl Kind {
    /// The name written after `as:`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Paragraphs => "paragraphs",
            Kind::Lines => "lines",
            Kind::Markdown => "markdown",
            Kind::Amount => "amount",
            Kind::Number => "number",
            Kind::Date => "date",
            Kind::Year => "year",
            Kind::Value => "value",
        }
    }
    /// Whether it reads text into a text field.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Kind::Text | Kind::Paragraphs | Kind::Lines | Kind::Markdown
        )
    }
}

/// What a blank cell means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Blank {
    /// An error (default for amounts and required dimensions).
    #[default]
    Error,
    /// The field is left out (not given).
    Absent,
    /// Not applicable (`~`), like the source's `-`.
    NotApplicable,
}

/// What happens to a dimension value the registry does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NewValues {
    /// An error naming the cell (default).
    #[default]
    Error,
    /// Appended to the dimension's registry file, with a slug from `slug`.
    Add,
}

/// How a cell holding several values separates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// One value per line (a line break, or `<br>` in the cell).
    Lines,
}

/// What a remark after an amount (`347,149 ※`) means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Remarks {
    /// An error, with a help line (default).
    #[default]
    Error,
    /// The number is read, the remark goes (with a note).
    Strip,
}

/// `from`: one header or a list of headers (aliases).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Headers {
    One(String),
    Many(Vec<String>),
}

/// The long form of a field's entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    #[serde(default)]
    from: Option<Headers>,
    #[serde(default)]
    template: Option<String>,
    #[serde(default)]
    value: Option<String>,
    #[serde(default, rename = "as")]
    kind: Option<Kind>,
    #[serde(default)]
    required: Option<bool>,
    #[serde(default)]
    blank: Option<Blank>,
    #[serde(default)]
    new_values: NewValues,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    order: Option<String>,
    #[serde(default)]
    append: Vec<String>,
    #[serde(default)]
    split: Option<Split>,
    #[serde(default)]
    remarks: Remarks,
}

/// The file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    format: Option<TableFormat>,
    #[serde(default)]
    header_line: Option<usize>,
    id: String,
    fields: Value,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    total_row: Vec<String>,
}

/// Where a field's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feed {
    /// A column: its header and aliases (any one of them).
    Column(Vec<String>),
    /// A template over the row (`{row}`, `{所管局№}`…).
    Template(String),
    /// The same value for every row.
    Constant(String),
}

/// One field of the mapping.
#[derive(Debug, Clone)]
pub struct FieldMap {
    /// Target: a core field, a dimension key or a measure key.
    pub target: String,
    /// What feeds it.
    pub feed: Feed,
    /// How the cell is read.
    pub kind: Kind,
    /// Whether the table must have the column.
    pub required: bool,
    /// What a blank cell means.
    pub blank: Blank,
    /// Dimensions: unknown values.
    pub new_values: NewValues,
    /// Dimensions: slug template for added values.
    pub slug: Option<String>,
    /// Dimensions: the order of added values in the registry, a template
    /// over the row (`{施策分野№}`): ascending, numerically when every key
    /// is a number; without it, the order of first appearance.
    pub order: Option<String>,
    /// Text fields: other columns added as `header：value` paragraphs.
    pub append: Vec<String>,
    /// Dimensions with several values: how the cell separates them
    /// (without it: line breaks, 、 , ; — unless the cell is one value).
    pub split: Option<Split>,
    /// Amounts: what a remark after the number means.
    pub remarks: Remarks,
    /// Line and column of the entry in the mapping file.
    pub at: (usize, usize),
    /// Whether `_site.yaml` declares the target. Only a built-in layout
    /// names fields a site may not declare (the plan's テーマ column); a
    /// column feeding one is an error.
    pub declared: bool,
}

impl FieldMap {
    /// The headers of a field fed by a column (none otherwise).
    pub fn headers(&self) -> &[String] {
        match &self.feed {
            Feed::Column(l) => l,
            _ => &[],
        }
    }
}

/// A mapping file, checked against the site config.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Display path (for messages), or the name of a built-in layout.
    pub file: String,
    /// Whether it is built in (no file the user could edit).
    pub builtin: bool,
    /// Default source id.
    pub source: Option<String>,
    /// Table format, when the mapping fixes it.
    pub format: Option<TableFormat>,
    /// Physical line of the header row (default: the first non-blank row).
    pub header_line: Option<usize>,
    /// The id template.
    pub id: String,
    /// Position of `id`.
    pub id_at: (usize, usize),
    /// The fields, in file order.
    pub fields: Vec<FieldMap>,
    /// Headers that are read by nothing on purpose.
    pub ignore: Vec<String>,
    /// Words that mark a totals row (合計).
    pub total_row: Vec<String>,
}

fn default_kind(target: &str, config: &SiteConfig) -> Option<Kind> {
    Some(match target {
        "fiscal_year" => Kind::Year,
        "number" | "page" => Kind::Number,
        "name" | "part" | "implementer" => Kind::Text,
        "summary" => Kind::Paragraphs,
        "start" => Kind::Date,
        t if config.dimensions.iter().any(|d| d.key == t) => Kind::Value,
        t if config.measures.iter().any(|m| m.key == t) => Kind::Amount,
        _ => return None,
    })
}

/// Reads and checks a mapping file. Problems (E105) are pushed with
/// positions in the file; `None` when it cannot be used.
pub fn load(
    file: &str,
    text: &str,
    config: &SiteConfig,
    problems: &mut Vec<Problem>,
) -> Option<Mapping> {
    read(file, text, config, false, problems)
}

/// Reads a built-in layout's mapping. Fields the site does not declare are
/// kept as undeclared (a column feeding one is an error, a table without
/// it is fine), so a site need not declare every field the layout knows.
pub fn builtin(
    name: &str,
    text: &str,
    config: &SiteConfig,
    problems: &mut Vec<Problem>,
) -> Option<Mapping> {
    read(name, text, config, true, problems)
}

/// The mapping file being read, for positions.
struct Source<'a> {
    file: &'a str,
    text: &'a str,
    builtin: bool,
}

impl Source<'_> {
    fn err(&self, problems: &mut Vec<Problem>, path: &[Seg], msg: String, help: Vec<String>) {
        let (l, c) = yaml::locate(self.text, path);
        problems.push(Problem::new(Code::E105, self.file, l, c, msg, help));
    }
}

fn read(
    file: &str,
    text: &str,
    config: &SiteConfig,
    builtin: bool,
    problems: &mut Vec<Problem>,
) -> Option<Mapping> {
    let before = problems.len();
    let src = Source {
        file,
        text,
        builtin,
    };
    let raw: RawMapping = match yaml::parse(text).and_then(|v| yaml::deserialize(v, text)) {
        Ok(r) => r,
        Err(e) => {
            problems.push(Problem::new(Code::E105, file, e.line, e.column, e.message, vec![
                "a mapping has `id`, `fields` and optionally `source`, `format`, `header_line`, `ignore`, `total_row`, `description`; see docs/publish-your-own-list.md".into(),
            ]));
            return None;
        }
    };
    let Value::Mapping(entries) = &raw.fields else {
        src.err(
            problems,
            &[Seg::Key("fields".into())],
            format!(
                "`fields` must be a mapping of field → header, found {}",
                yaml::type_name(&raw.fields)
            ),
            vec![],
        );
        return None;
    };
    let mut fields = Vec::new();
    for (k, v) in entries {
        let Some(target) = k.as_str() else {
            src.err(
                problems,
                &[Seg::Key("fields".into())],
                "field names must be text".into(),
                vec![],
            );
            continue;
        };
        if let Some(f) = field(&src, target, v, config, problems) {
            fields.push(f);
        }
    }
    if !fields.iter().any(|f| f.target == "name") {
        src.err(
            problems,
            &[Seg::Key("fields".into())],
            "no field feeds `name`: every programme needs one".into(),
            vec![
                "e.g. `name: 事業名` (the header of the column holding the programme's name)"
                    .into(),
            ],
        );
    }
    let id_at = yaml::locate(text, &[Seg::Key("id".into())]);
    check_templates(&src, &raw.id, id_at, &fields, problems);
    if problems.len() > before {
        return None;
    }
    Some(Mapping {
        file: file.to_string(),
        builtin,
        source: raw.source,
        format: raw.format,
        header_line: raw.header_line,
        id: raw.id,
        id_at,
        fields,
        ignore: raw.ignore,
        total_row: raw.total_row,
    })
}

/// Every template (the id, fields fed by a template, slugs) parses.
fn check_templates(
    src: &Source,
    id: &str,
    id_at: (usize, usize),
    fields: &[FieldMap],
    problems: &mut Vec<Problem>,
) {
    let feeds = fields.iter().filter_map(|f| match &f.feed {
        Feed::Template(t) => Some((f.target.as_str(), t.as_str(), f.at)),
        _ => None,
    });
    let slugs = fields.iter().flat_map(|f| {
        [f.slug.as_deref(), f.order.as_deref()]
            .into_iter()
            .flatten()
            .map(|s| (f.target.as_str(), s, f.at))
    });
    for (what, t, at) in std::iter::once(("id", id, id_at)).chain(feeds).chain(slugs) {
        if let Err(e) = parse_template(t) {
            problems.push(Problem::new(
                Code::E105,
                src.file,
                at.0,
                at.1,
                format!("template of `{what}` 「{t}」: {e}"),
                vec![TEMPLATE_HELP.into()],
            ));
        }
    }
}

/// One entry of `fields:`: what feeds `target`, checked against the site
/// config.
fn field(
    src: &Source,
    target: &str,
    v: &Value,
    config: &SiteConfig,
    problems: &mut Vec<Problem>,
) -> Option<FieldMap> {
    let path = [Seg::Key("fields".into()), Seg::Key(target.to_string())];
    let at = yaml::locate(src.text, &path);
    let def = default_kind(target, config);
    if def.is_none() && !src.builtin {
        let mut targets: Vec<&str> = CORE_TARGETS.to_vec();
        targets.extend(config.dimensions.iter().map(|d| d.key.as_str()));
        targets.extend(config.measures.iter().map(|m| m.key.as_str()));
        let help = match did_you_mean(target, targets.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("fields: {}", targets.join(", ")),
        };
        src.err(problems, &path, format!("`{target}` is neither a core field nor a dimension or measure declared in _site.yaml"), vec![help]);
        return None;
    }
    let rf = raw_field(src, target, v, &path, problems)?;
    let feed = feed(src, target, &rf, &path, problems)?;
    let kind = rf.kind.or(def).unwrap_or(Kind::Value);
    let Some(def) = def else {
        // A built-in layout's field the site does not declare.
        return Some(FieldMap {
            target: target.to_string(),
            feed,
            kind,
            required: false,
            blank: Blank::Absent,
            new_values: NewValues::Error,
            slug: None,
            order: None,
            append: Vec::new(),
            split: None,
            remarks: Remarks::Error,
            at,
            declared: false,
        });
    };
    let ok = match def {
        Kind::Paragraphs | Kind::Text => kind.is_text(),
        other => kind == other,
    };
    if !ok {
        let allowed = if def.is_text() {
            "text, paragraphs, lines or markdown".to_string()
        } else {
            def.name().to_string()
        };
        src.err(
            problems,
            &path,
            format!("`{target}` cannot be read `as: {}`", kind.name()),
            vec![format!("for `{target}`: {allowed}")],
        );
        return None;
    }
    let dim = config.dimensions.iter().find(|d| d.key == target);
    if !options_apply(src, target, &rf, kind, dim, &path, problems) {
        return None;
    }
    let blank = rf.blank.unwrap_or(match (kind, dim) {
        (Kind::Amount, _) => Blank::Error,
        (Kind::Value, Some(d)) if d.required => Blank::Error,
        _ => Blank::Absent,
    });
    Some(FieldMap {
        target: target.to_string(),
        feed,
        kind,
        required: rf.required.unwrap_or(true),
        blank,
        new_values: rf.new_values,
        slug: rf.slug,
        order: rf.order,
        append: rf.append,
        split: rf.split,
        remarks: rf.remarks,
        at,
        declared: true,
    })
}

/// The entry as written: a header, a list of headers, or the long form.
fn raw_field(
    src: &Source,
    target: &str,
    v: &Value,
    path: &[Seg],
    problems: &mut Vec<Problem>,
) -> Option<RawField> {
    let typed = |e: yaml::YamlError, help: &str| {
        Problem::new(
            Code::E105,
            src.file,
            e.line,
            e.column,
            e.message,
            vec![help.into()],
        )
    };
    match v {
        Value::String(s) => Some(RawField {
            from: Some(Headers::One(s.clone())),
            ..empty_field()
        }),
        Value::Sequence(_) => {
            match yaml::deserialize_at::<Vec<String>>(v.clone(), src.text, path) {
                Ok(l) => Some(RawField {
                    from: Some(Headers::Many(l)),
                    ..empty_field()
                }),
                Err(e) => {
                    problems.push(typed(e, "a list of headers is the header and its aliases"));
                    None
                }
            }
        }
        Value::Mapping(_) => match yaml::deserialize_at::<RawField>(v.clone(), src.text, path) {
            Ok(f) => Some(f),
            Err(e) => {
                problems.push(typed(e, "a field is a header, a list of headers, or {from | template | value, as, required, blank, new_values, slug, order, append, split, remarks}"));
                None
            }
        },
        other => {
            src.err(
                problems,
                path,
                format!(
                    "`{target}` must be a header, a list of headers or a mapping, found {}",
                    yaml::type_name(other)
                ),
                vec![],
            );
            None
        }
    }
}

/// Exactly one of `from`, `template` and `value`.
fn feed(
    src: &Source,
    target: &str,
    rf: &RawField,
    path: &[Seg],
    problems: &mut Vec<Problem>,
) -> Option<Feed> {
    match (&rf.from, &rf.template, &rf.value) {
        (Some(h), None, None) => {
            let list = match h {
                Headers::One(s) => vec![s.clone()],
                Headers::Many(l) => l.clone(),
            };
            if list.is_empty() || list.iter().any(|s| squash(s).is_empty()) {
                src.err(
                    problems,
                    path,
                    format!("`{target}`: a header cannot be empty"),
                    vec![],
                );
                return None;
            }
            Some(Feed::Column(list))
        }
        (None, Some(t), None) => Some(Feed::Template(t.clone())),
        (None, None, Some(c)) => Some(Feed::Constant(c.clone())),
        _ => {
            src.err(
                problems,
                path,
                format!("`{target}` needs exactly one of `from` (a column), `template` or `value`"),
                vec![],
            );
            None
        }
    }
}

/// `new_values`, `append` and `blank` apply to the field.
fn options_apply(
    src: &Source,
    target: &str,
    rf: &RawField,
    kind: Kind,
    dim: Option<&crate::config::Dimension>,
    path: &[Seg],
    problems: &mut Vec<Problem>,
) -> bool {
    let mut err = |msg: String, help: Vec<String>| {
        src.err(problems, path, msg, help);
        false
    };
    if rf.new_values == NewValues::Add {
        match dim {
            None => {
                return err(
                    format!("`new_values` applies to dimensions; `{target}` is not one"),
                    vec![],
                )
            }
            Some(d) if d.registry.is_none() => {
                return err(format!("`new_values: add` needs a registry file, but dimension `{target}` declares its values inline in _site.yaml"), vec![
                    format!("declare `registry: _{target}.yaml` for it in _site.yaml (the import creates the file)"),
                ])
            }
            Some(_) if rf.slug.is_none() => {
                return err("`new_values: add` needs `slug`, the template of an added value's URL slug (e.g. \"{n}\")".to_string(), vec![])
            }
            Some(_) => {}
        }
    }
    if rf.order.is_some() && rf.new_values != NewValues::Add {
        return err(format!("`order` applies to dimensions that add values (`new_values: add`); `{target}` does not"), vec![]);
    }
    if !rf.append.is_empty() && !matches!(kind, Kind::Paragraphs | Kind::Lines | Kind::Markdown) {
        return err(format!("`append` applies to fields read as paragraphs, lines or markdown; `{target}` is read as {}", kind.name()), vec![]);
    }
    if rf.split.is_some() && !dim.is_some_and(|d| d.multiple) {
        return err(
            format!("`split` applies to dimensions with several values (`multiple: true` in _site.yaml); `{target}` is not one"),
            vec!["a cell of a one-value field keeps its lines as they are".into()],
        );
    }
    if rf.remarks == Remarks::Strip && kind != Kind::Amount {
        return err(
            format!(
                "`remarks: strip` applies to amounts; `{target}` is read as {}",
                kind.name()
            ),
            vec![],
        );
    }
    if rf.blank == Some(Blank::NotApplicable) && kind != Kind::Amount {
        return err(
            format!(
                "`blank: not_applicable` applies to amounts; `{target}` is read as {}",
                kind.name()
            ),
            vec![],
        );
    }
    true
}

fn empty_field() -> RawField {
    RawField {
        from: None,
        template: None,
        value: None,
        kind: None,
        required: None,
        blank: None,
        new_values: NewValues::Error,
        slug: None,
        order: None,
        append: Vec::new(),
        split: None,
        remarks: Remarks::Error,
    }
}
