//! Mapping files: which header of a programme list feeds which field.
//!
//! `mieruka import TABLE --mapping FILE` reads a list with one programme per
//! row (a subsidy list, a city's budget items…) as the mapping says, instead
//! of the built-in layout of the Tokyo plan (see [`super::table::COLUMNS`]).
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
use super::Problem;
use crate::config::SiteConfig;
use crate::diag::did_you_mean;
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
    /// One line of plain text; line breaks inside the cell are joined.
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
    fn name(self) -> &'static str {
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
    append: Vec<String>,
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
    format: Option<super::TableFormat>,
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
    /// Text fields: other columns added as `header：value` paragraphs.
    pub append: Vec<String>,
    /// Line and column of the entry in the mapping file.
    pub at: (usize, usize),
}

/// A mapping file, checked against the site config.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Display path (for messages).
    pub file: String,
    /// Default source id.
    pub source: Option<String>,
    /// Table format, when the mapping fixes it.
    pub format: Option<super::TableFormat>,
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

/// Reads and checks a mapping file. Problems are pushed with positions in
/// the file; `None` when it cannot be used.
pub fn load(
    file: &str,
    text: &str,
    config: &SiteConfig,
    problems: &mut Vec<Problem>,
) -> Option<Mapping> {
    let before = problems.len();
    let err = |problems: &mut Vec<Problem>, path: &[Seg], msg: String, help: Vec<String>| {
        let (l, c) = yaml::locate(text, path);
        problems.push(Problem::error(file, l, c, msg, help));
    };
    let raw: RawMapping = match yaml::parse(text).and_then(|v| yaml::deserialize(v, text)) {
        Ok(r) => r,
        Err(e) => {
            problems.push(Problem::error(file, e.line, e.column, e.message, vec![
                "a mapping has `id`, `fields` and optionally `source`, `format`, `header_line`, `ignore`, `total_row`, `description`; see docs/publish-your-own-list.md".into(),
            ]));
            return None;
        }
    };
    let Value::Mapping(entries) = &raw.fields else {
        err(
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
    let mut targets: Vec<String> = CORE_TARGETS.iter().map(|s| s.to_string()).collect();
    targets.extend(config.dimensions.iter().map(|d| d.key.clone()));
    targets.extend(config.measures.iter().map(|m| m.key.clone()));
    let mut fields = Vec::new();
    for (k, v) in entries {
        let Some(target) = k.as_str() else {
            err(
                problems,
                &[Seg::Key("fields".into())],
                "field names must be text".into(),
                vec![],
            );
            continue;
        };
        let path = [Seg::Key("fields".into()), Seg::Key(target.to_string())];
        let at = yaml::locate(text, &path);
        let Some(def) = default_kind(target, config) else {
            let help = match did_you_mean(target, targets.iter().map(String::as_str)) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("fields: {}", targets.join(", ")),
            };
            err(problems, &path, format!("`{target}` is neither a core field nor a dimension or measure declared in _site.yaml"), vec![help]);
            continue;
        };
        let rf: RawField = match v {
            Value::String(s) => RawField {
                from: Some(Headers::One(s.clone())),
                ..empty_field()
            },
            Value::Sequence(_) => match yaml::deserialize_at::<Vec<String>>(v.clone(), text, &path)
            {
                Ok(l) => RawField {
                    from: Some(Headers::Many(l)),
                    ..empty_field()
                },
                Err(e) => {
                    problems.push(Problem::error(
                        file,
                        e.line,
                        e.column,
                        e.message,
                        vec!["a list of headers is the header and its aliases".into()],
                    ));
                    continue;
                }
            },
            Value::Mapping(_) => match yaml::deserialize_at::<RawField>(v.clone(), text, &path) {
                Ok(f) => f,
                Err(e) => {
                    problems.push(Problem::error(file, e.line, e.column, e.message, vec![
                        "a field is a header, a list of headers, or {from | template | value, as, required, blank, new_values, slug, append}".into(),
                    ]));
                    continue;
                }
            },
            other => {
                err(
                    problems,
                    &path,
                    format!(
                        "`{target}` must be a header, a list of headers or a mapping, found {}",
                        yaml::type_name(other)
                    ),
                    vec![],
                );
                continue;
            }
        };
        let feed = match (rf.from, rf.template, rf.value) {
            (Some(h), None, None) => {
                let list = match h {
                    Headers::One(s) => vec![s],
                    Headers::Many(l) => l,
                };
                if list.is_empty() || list.iter().any(|s| squash(s).is_empty()) {
                    err(
                        problems,
                        &path,
                        format!("`{target}`: a header cannot be empty"),
                        vec![],
                    );
                    continue;
                }
                Feed::Column(list)
            }
            (None, Some(t), None) => Feed::Template(t),
            (None, None, Some(c)) => Feed::Constant(c),
            _ => {
                err(
                    problems,
                    &path,
                    format!(
                        "`{target}` needs exactly one of `from` (a column), `template` or `value`"
                    ),
                    vec![],
                );
                continue;
            }
        };
        let kind = rf.kind.unwrap_or(def);
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
            err(
                problems,
                &path,
                format!("`{target}` cannot be read `as: {}`", kind.name()),
                vec![format!("for `{target}`: {allowed}")],
            );
            continue;
        }
        let dim = config.dimensions.iter().find(|d| d.key == target);
        if rf.new_values == NewValues::Add {
            match dim {
                None => {
                    err(
                        problems,
                        &path,
                        format!("`new_values` applies to dimensions; `{target}` is not one"),
                        vec![],
                    );
                    continue;
                }
                Some(d) if d.registry.is_none() => {
                    err(problems, &path, format!("`new_values: add` needs a registry file, but dimension `{target}` declares its values inline in _site.yaml"), vec![
                        format!("declare `registry: _{target}.yaml` for it in _site.yaml (the import creates the file)"),
                    ]);
                    continue;
                }
                Some(_) if rf.slug.is_none() => {
                    err(problems, &path, "`new_values: add` needs `slug`, the template of an added value's URL slug (e.g. \"{n}\")".to_string(), vec![]);
                    continue;
                }
                Some(_) => {}
            }
        }
        if !rf.append.is_empty() && !matches!(kind, Kind::Paragraphs | Kind::Lines | Kind::Markdown)
        {
            err(problems, &path, format!("`append` applies to fields read as paragraphs, lines or markdown; `{target}` is read as {}", kind.name()), vec![]);
            continue;
        }
        let required_default = true;
        let blank = rf.blank.unwrap_or(match (kind, dim) {
            (Kind::Amount, _) => Blank::Error,
            (Kind::Value, Some(d)) if d.required => Blank::Error,
            _ => Blank::Absent,
        });
        if blank == Blank::NotApplicable && kind != Kind::Amount {
            err(
                problems,
                &path,
                format!(
                    "`blank: not_applicable` applies to amounts; `{target}` is read as {}",
                    kind.name()
                ),
                vec![],
            );
            continue;
        }
        fields.push(FieldMap {
            target: target.to_string(),
            feed,
            kind,
            required: rf.required.unwrap_or(required_default),
            blank,
            new_values: rf.new_values,
            slug: rf.slug,
            append: rf.append,
            at,
        });
    }
    if !fields.iter().any(|f| f.target == "name") {
        err(
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
    for (what, t, at) in std::iter::once(("id", raw.id.as_str(), id_at))
        .chain(fields.iter().filter_map(|f| match &f.feed {
            Feed::Template(t) => Some((f.target.as_str(), t.as_str(), f.at)),
            _ => None,
        }))
        .chain(
            fields
                .iter()
                .filter_map(|f| f.slug.as_deref().map(|s| (f.target.as_str(), s, f.at))),
        )
    {
        if let Err(e) = parse_template(t) {
            problems.push(Problem::error(
                file,
                at.0,
                at.1,
                format!("template of `{what}` 「{t}」: {e}"),
                vec![TEMPLATE_HELP.into()],
            ));
        }
    }
    if problems.len() > before {
        return None;
    }
    Some(Mapping {
        file: file.to_string(),
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
        append: Vec::new(),
    }
}

/// Help for templates.
pub const TEMPLATE_HELP: &str = "a template is text with {placeholders}: {row} (the data row, 1 = first), {fiscal_year}, {source}, {HEADER} (a cell of the row), and for slugs {value} and {n}; add :03 to zero-pad, :slug for an ASCII slug, :hash for 8 hex digits; {{ and }} are braces";

/// A piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Literal text.
    Lit(String),
    /// A placeholder and its format.
    Var(String, Format),
}

/// How a placeholder's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// As it is (trimmed).
    Plain,
    /// Zero-padded to this width (the value must be digits).
    Pad(usize),
    /// Lowercase ASCII letters and digits joined by hyphens.
    Slug,
    /// 8 hex digits of a stable hash of the value.
    Hash,
}

/// Splits a template into pieces.
pub fn parse_template(t: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '}' => return Err("a `}` without its `{` (write }} for a brace)".into()),
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some('{') | None => return Err("a `{` without its `}`".into()),
                        Some(x) => inner.push(x),
                    }
                }
                let (name, fmt) = match inner.rsplit_once(':') {
                    Some((n, f)) => {
                        let f = f.trim();
                        let fmt = if f == "slug" {
                            Format::Slug
                        } else if f == "hash" {
                            Format::Hash
                        } else if !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()) {
                            Format::Pad(f.parse().map_err(|_| format!("width `{f}` is too large"))?)
                        } else {
                            return Err(format!(
                                "unknown format `:{f}` (known: :03, :slug, :hash)"
                            ));
                        };
                        (n.trim().to_string(), fmt)
                    }
                    None => (inner.trim().to_string(), Format::Plain),
                };
                if name.is_empty() {
                    return Err("an empty placeholder {}".into());
                }
                if !lit.is_empty() {
                    out.push(Piece::Lit(std::mem::take(&mut lit)));
                }
                out.push(Piece::Var(name, fmt));
            }
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        out.push(Piece::Lit(lit));
    }
    Ok(out)
}

/// Formats one placeholder value.
pub fn format_value(v: &str, f: Format) -> Result<String, String> {
    let t = v.trim();
    match f {
        Format::Plain => Ok(t.to_string()),
        Format::Pad(w) => {
            let d = squash(t);
            if d.is_empty() || !d.chars().all(|c| c.is_ascii_digit()) {
                return Err(format!(
                    "「{t}」 is not a number, so it cannot be zero-padded"
                ));
            }
            let d = d.trim_start_matches('0');
            let d = if d.is_empty() { "0" } else { d };
            Ok(format!("{d:0>w$}"))
        }
        Format::Slug => {
            let mut s = String::new();
            for c in squash_keep_spaces(t).chars() {
                if c.is_ascii_alphanumeric() {
                    s.push(c.to_ascii_lowercase());
                } else if !s.ends_with('-') && !s.is_empty() {
                    s.push('-');
                }
            }
            let s = s.trim_end_matches('-').to_string();
            if s.is_empty() {
                Err(format!(
                    "「{t}」 has no ASCII letters or digits for a slug (use :hash, or {{n}})"
                ))
            } else {
                Ok(s)
            }
        }
        Format::Hash => Ok(format!("{:08x}", fnv1a(squash(t).as_bytes()) as u32)),
    }
}

fn squash_keep_spaces(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().collect()
}

/// FNV-1a, 64 bits: a small, stable hash (ids must not change between
/// builds or Rust versions).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Fills a template; `lookup` gives a placeholder's value (None: unknown).
pub fn fill(pieces: &[Piece], lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::new();
    for p in pieces {
        match p {
            Piece::Lit(s) => out.push_str(s),
            Piece::Var(name, f) => {
                let v = lookup(name).ok_or_else(|| format!("unknown placeholder {{{name}}}"))?;
                out.push_str(&format_value(&v, *f).map_err(|e| format!("{{{name}}}: {e}"))?);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        let p = parse_template("{fiscal_year}-{row:03}").unwrap();
        let look = |n: &str| match n {
            "fiscal_year" => Some("2025".to_string()),
            "row" => Some("7".to_string()),
            _ => None,
        };
        assert_eq!(fill(&p, &look).unwrap(), "2025-007");
        assert_eq!(
            fill(&parse_template("x{{y}}").unwrap(), &look).unwrap(),
            "x{y}"
        );
        assert!(fill(&parse_template("{nope}").unwrap(), &look)
            .unwrap_err()
            .contains("nope"));
        assert!(parse_template("{a").is_err());
        assert!(parse_template("a}").is_err());
        assert!(parse_template("{a:zz}").is_err());
        assert_eq!(
            format_value("Ｇｅｎｅｒａｌ Fund 02", Format::Slug).unwrap(),
            "general-fund-02"
        );
        assert!(format_value("総務費", Format::Slug).is_err());
        assert_eq!(
            format_value("総務費", Format::Hash).unwrap(),
            format_value(" 総務費 ", Format::Hash).unwrap()
        );
        assert_eq!(format_value("総務費", Format::Hash).unwrap().len(), 8);
        assert_eq!(format_value("１ ", Format::Pad(2)).unwrap(), "01");
        assert!(format_value("x", Format::Pad(2)).is_err());
    }
}
