//! The declared data model: site config, registries and source documents, as
//! written in `content/_site.yaml`, `_sources.yaml` and the registry files.
//!
//! These structs mirror the files exactly (`deny_unknown_fields`), so a
//! misspelt key is an error. Nothing here knows about Tokyo: the Tokyo plan is
//! one declaration of dimensions and measures among many.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `content/_site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Site title (shown in the header and `<title>`).
    pub title: String,
    /// One-paragraph description of the dataset (plain text).
    #[serde(default)]
    pub description: String,
    /// BCP 47 language of the content; `ja` for Japanese sites.
    #[serde(default = "default_language")]
    pub language: String,
    /// Absolute URL the site will be served from (e.g.
    /// `https://example.jp/mieruka/`). Used for canonical URLs, the
    /// sitemap, the feed, permalinks, citations, the embed code and the
    /// 404 page's links; every other link stays relative. `build
    /// --base-url` and `serve --base-url` replace it ([`Overrides`]).
    #[serde(default)]
    pub base_url: Option<String>,
    /// The licence the site's data is offered under (shown in the footer,
    /// on the data page and in every JSON data file).
    #[serde(default)]
    pub license: Option<License>,
    /// The image a shared link shows (`og:image`): an http(s) URL, or a
    /// file of the site (`assets/share.png` from the theme, `share.png`
    /// from `static/`) made absolute with the base URL. Without a base URL
    /// a file gives no `og:image` (link previews need an absolute address).
    #[serde(default)]
    pub og_image: Option<String>,
    /// Who publishes this site (shown in the footer and citations).
    #[serde(default)]
    pub publisher: String,
    /// The date the data was taken from its sources (ISO date).
    #[serde(default)]
    pub as_of: Option<String>,
    /// The theme folder under `themes/` (default `default`).
    #[serde(default = "default_theme")]
    pub theme: String,
    /// What "a programme" is called on the site (default 事業).
    #[serde(default = "default_item_label")]
    pub item_label: String,
    /// Where programme files live (default `programmes`).
    #[serde(default = "default_programme_dir")]
    pub programme_dir: String,
    /// The dimensions programmes are classified by.
    pub dimensions: Vec<Dimension>,
    /// The measures (amounts, counts) each programme carries.
    pub measures: Vec<Measure>,
    /// Arithmetic rules the data must satisfy (checked by `check`/`build`).
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// The source's own limit on summary length, in characters of rendered
    /// text (300 for the Tokyo plan); longer summaries are a warning.
    #[serde(default)]
    pub summary_max_chars: Option<usize>,
    /// What the core fields are called on the site and in the CSV headers
    /// (a subsidy list's "name" is 補助金名, not 事業名).
    #[serde(default)]
    pub labels: Labels,
    /// What the site offers besides its pages (all of it by default).
    #[serde(default)]
    pub outputs: Outputs,
    /// How a record of one fiscal year joins the same programme of other
    /// years (a series); without it, every record is its own series.
    #[serde(default)]
    pub series: Option<SeriesDecl>,
    /// How a fiscal year is written on every page, card, facet and
    /// download label: a template with `{year}` (2024) and `{wareki}`
    /// (令和6年度), e.g. `"{wareki}（{year}年度）"`. Default `{year}年度`.
    #[serde(default)]
    pub year_label: Option<String>,
}

/// `license:` in `_site.yaml`: the terms the data is offered under.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct License {
    /// Its name as readers know it (`CC BY 4.0`, `公共データ利用規約（第1.0版）`).
    pub name: String,
    /// Where its text is (an http(s) URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Settings given on the command line that replace those of `_site.yaml`
/// (`build --base-url`, `serve --base-url`: a preview deploy at another
/// address than the one the site declares).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Replaces `base_url` (already checked by [`parse_base_url`]).
    pub base_url: Option<String>,
}

impl Overrides {
    /// Applies the overrides to a parsed site config.
    pub fn apply(&self, config: &mut SiteConfig) {
        if let Some(b) = &self.base_url {
            config.base_url = Some(b.clone());
        }
    }
}

/// Checks a base URL given on the command line: an absolute `http://` or
/// `https://` URL with a host and no query, fragment or white space. Gives
/// it back ending in `/`, or says what is wrong.
pub fn parse_base_url(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("`{url}` is not an absolute http(s) URL (like https://example.jp/mieruka/)")
        })?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') {
        return Err(format!("`{url}` has no host name"));
    }
    if let Some(c) = url.chars().find(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\' | '"' | '<' | '>')
    }) {
        return Err(format!(
            "`{url}` contains {c:?}: a base URL is a scheme, a host and a folder, without a query or fragment"
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// The folder part of a base URL (`/` or `/mieruka/`, ending in `/`).
pub fn base_path(url: &str) -> String {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    match rest.find('/') {
        Some(i) if rest[i..].ends_with('/') => rest[i..].to_string(),
        Some(i) => format!("{}/", &rest[i..]),
        None => "/".to_string(),
    }
}

/// `series:` in `_site.yaml`: which records are the same programme in
/// different fiscal years. Declared, never guessed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesDecl {
    /// The fields whose values identify a programme across years: keys of
    /// dimensions (compared by the value's name) or the core fields `name`,
    /// `part`, `implementer`. Compared after NFKC normalisation with all
    /// white space removed (`model::series::fold`).
    pub key: Vec<String>,
    /// The editorial continuity file: judgements the source does not make
    /// (a rename, a merge, a split). Read when it exists.
    #[serde(default = "default_series_file")]
    pub editorial: String,
}

fn default_series_file() -> String {
    "_series.yaml".into()
}

/// One judgement of the editorial continuity file (`_series.yaml`):
/// exactly one of `continues` (with `as`), `merged` or `split` (with
/// `into`), and a note saying why, which the pages show as editorial.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Continuity {
    /// A record of an earlier year (its id) that the record `as`
    /// continues under another name or classification: `as` joins its
    /// series.
    #[serde(default)]
    pub continues: Option<String>,
    /// The record of a later year that continues `continues`.
    #[serde(default, rename = "as")]
    pub as_: Option<String>,
    /// Records of one year merged into the record `into` of a later year.
    #[serde(default)]
    pub merged: Option<Vec<String>>,
    /// A record split into the records `into` of a later year.
    #[serde(default)]
    pub split: Option<String>,
    /// The record(s) a merge or split led to.
    #[serde(default)]
    pub into: Option<OneOrMany>,
    /// Why: the editor's reasoning, shown on the pages as an editorial
    /// judgement.
    pub note: String,
}

/// One id or a list of ids.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One id.
    One(String),
    /// Several ids.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The ids.
    pub fn ids(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// The optional parts of a site. Every part is on by default; a site that
/// has its own search, or no use for embeddable cards, turns them off.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Outputs {
    /// The full-text search index and its page (`search/`), and the search
    /// box in every page's header.
    #[serde(default = "yes")]
    pub search: bool,
    /// An embeddable card per programme (`embed/programmes/<id>/`) and the
    /// iframe code on its page.
    #[serde(default = "yes")]
    pub embed: bool,
    /// The formats of the whole list's data files (`data/programmes.*`).
    #[serde(default = "all_formats")]
    pub downloads: Vec<DataFormat>,
    /// The formats of each dimension value's data files
    /// (`data/<dimension>/<value>.*`, offered on the value's page).
    #[serde(default = "all_formats")]
    pub value_downloads: Vec<DataFormat>,
    /// One JSON document per programme (`data/programmes/<id>.json`, the
    /// shape of `data/programmes.json` with one programme), linked from its
    /// page: the static files are the API.
    #[serde(default = "yes")]
    pub programme_data: bool,
    /// An Atom feed per value of each dimension with pages
    /// (`<path>/<slug>/feed.xml`), beside the site's `feed.xml`.
    #[serde(default = "yes")]
    pub value_feeds: bool,
}

impl Default for Outputs {
    fn default() -> Self {
        Outputs {
            search: true,
            embed: true,
            downloads: all_formats(),
            value_downloads: all_formats(),
            programme_data: true,
            value_feeds: true,
        }
    }
}

impl Outputs {
    /// The formats of a list's data files, in the order pages list them
    /// (whatever the order or repetitions in the config).
    pub fn formats(&self, per_value: bool) -> Vec<DataFormat> {
        let chosen = if per_value {
            &self.value_downloads
        } else {
            &self.downloads
        };
        DataFormat::ALL
            .into_iter()
            .filter(|f| chosen.contains(f))
            .collect()
    }

    /// Whether the site offers any data file (and so the page describing them).
    pub fn has_data(&self) -> bool {
        !(self.downloads.is_empty() && self.value_downloads.is_empty()) || self.programme_data
    }
}

fn all_formats() -> Vec<DataFormat> {
    DataFormat::ALL.to_vec()
}

/// A data file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum DataFormat {
    /// `*.csv`: UTF-8 with BOM, CRLF, Japanese headers (opens in Excel).
    #[serde(rename = "csv")]
    ExcelCsv,
    /// `*.utf8.csv`: UTF-8, LF, English keys (for tools).
    #[serde(rename = "utf8-csv")]
    Csv,
    /// `*.json`.
    #[serde(rename = "json")]
    Json,
}

impl DataFormat {
    /// All three, in the order pages list them.
    pub const ALL: [DataFormat; 3] = [DataFormat::ExcelCsv, DataFormat::Csv, DataFormat::Json];
    /// The file name ending.
    pub fn suffix(self) -> &'static str {
        match self {
            DataFormat::ExcelCsv => ".csv",
            DataFormat::Csv => ".utf8.csv",
            DataFormat::Json => ".json",
        }
    }
    /// The link text of a download in this format.
    pub fn label(self) -> &'static str {
        match self {
            DataFormat::ExcelCsv => "CSV（Excel向け・BOM付きUTF-8）",
            DataFormat::Csv => "CSV（UTF-8）",
            DataFormat::Json => "JSON",
        }
    }
}

/// Labels of the core programme fields; the defaults are the Tokyo plan's.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// `name` (default 事業名).
    #[serde(default = "default_name_label")]
    pub name: String,
    /// `summary` (default 事業内容).
    #[serde(default = "default_summary_label")]
    pub summary: String,
    /// `number` (default 整理番号).
    #[serde(default = "default_number_label")]
    pub number: String,
    /// `implementer` (default 実施主体).
    #[serde(default = "default_implementer_label")]
    pub implementer: String,
    /// The heading of a programme's figures (default from the measures:
    /// 金額 when all are money, 数値 when none is, else 金額と数値; the
    /// Tokyo plan says 金額と目標).
    #[serde(default)]
    pub figures: Option<String>,
    /// The heading of a programme's classification (default 分類と期間 when
    /// any programme has a start date, else 分類).
    #[serde(default)]
    pub details: Option<String>,
}

impl Default for Labels {
    fn default() -> Self {
        Labels {
            name: default_name_label(),
            summary: default_summary_label(),
            number: default_number_label(),
            implementer: default_implementer_label(),
            figures: None,
            details: None,
        }
    }
}

fn default_name_label() -> String {
    "事業名".into()
}
fn default_summary_label() -> String {
    "事業内容".into()
}
fn default_number_label() -> String {
    "整理番号".into()
}
fn default_implementer_label() -> String {
    "実施主体".into()
}

fn default_language() -> String {
    "ja".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_item_label() -> String {
    "事業".into()
}
fn default_programme_dir() -> String {
    "programmes".into()
}

/// A way to classify programmes: municipality, bureau, theme, category…
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// Key in programme files (`municipality`, `themes`, `category`).
    pub key: String,
    /// Label shown on the site (実施区市町村).
    pub label: String,
    /// Whether a programme may carry several values (a list).
    #[serde(default)]
    pub multiple: bool,
    /// Whether every programme must carry a value.
    #[serde(default = "yes")]
    pub required: bool,
    /// A registry file in content/ listing the values (e.g.
    /// `_municipalities.yaml`); alternatively, list them in `values`.
    #[serde(default)]
    pub registry: Option<String>,
    /// The values, when they are few and declared inline.
    #[serde(default)]
    pub values: Vec<Entry>,
    /// URL folder for this dimension's pages (`municipalities`); omit for no pages.
    #[serde(default)]
    pub path: Option<String>,
    /// Entries are Japanese local governments: their `code` must be a
    /// 6-digit 全国地方公共団体コード with a valid check digit.
    #[serde(default)]
    pub local_government_codes: bool,
    /// Show the readings of values as furigana (`<ruby>`).
    #[serde(default)]
    pub ruby: bool,
    /// Offered as a facet in search.
    #[serde(default = "yes")]
    pub facet: bool,
    /// Charts: `true` makes it the dimension the main charts are drawn by
    /// (cost by this dimension, on the home page and each value's page);
    /// `false` keeps it out of every chart; absent, a dimension with pages
    /// gets a chart of its own on the home page.
    #[serde(default)]
    pub chart: Option<bool>,
    /// Members of a shared group (merged cell) must have the same value.
    #[serde(default)]
    pub same_within_group: bool,
    /// Shown in tables listing programmes (default true).
    #[serde(default = "yes")]
    pub column: bool,
    /// A one-line explanation in plain words, for the glossary (用語の説明)
    /// that the column headings link to.
    #[serde(default)]
    pub description: Option<String>,
    /// The label's reading (じっしくしちょうそん), shown as furigana in
    /// the glossary and the dimension's headings.
    #[serde(default)]
    pub reading: Option<String>,
}

fn yes() -> bool {
    true
}

/// One value of a dimension (a municipality, a theme, a category).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// URL slug: lowercase ASCII letters, digits and hyphens.
    pub slug: String,
    /// Display name (世田谷区).
    pub name: String,
    /// Kana reading (せたがやく).
    #[serde(default)]
    pub reading: Option<String>,
    /// 全国地方公共団体コード with check digit, for local governments.
    #[serde(default)]
    pub code: Option<String>,
    /// Larger area it belongs to (区部, 多摩, 島しょ).
    #[serde(default)]
    pub region: Option<String>,
    /// Plain-text description (Markdown allowed).
    #[serde(default)]
    pub description: Option<String>,
    /// For themes: taken from the source document (true) or assigned by
    /// the site's editors (false). Editorial values are marked on the site.
    #[serde(default)]
    pub official: Option<bool>,
    /// Other bodies that act for this value in source tables
    /// (東久留米市商工会 for 東久留米市); used by the importer.
    #[serde(default)]
    pub bodies: Vec<String>,
    /// Subsidy rate for a scheme, as a fraction `1/2`, `10/10`.
    #[serde(default)]
    pub rate: Option<String>,
    /// For categories: the measures that apply to programmes of this value
    /// (e.g. 処遇改善事業 counts supported companies). A figure for any other
    /// measure is a plausibility warning. Empty: no restriction.
    #[serde(default)]
    pub applies: Vec<String>,
}

/// Something counted or summed: an amount in 千円, a number of people.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// Identifier used in CSV/JSON and rules (`cost`, `employed`).
    pub key: String,
    /// Where the value sits in a programme file, dotted (`targets.employed`);
    /// defaults to `key`.
    #[serde(default)]
    pub path: Option<String>,
    /// Label on the site (事業額).
    pub label: String,
    /// Unit shown after figures (千円, 人, 事業所).
    pub unit: String,
    /// Whether totals are computed and checked (default true).
    #[serde(default = "yes")]
    pub sum: bool,
    /// The value may be shared by a group of programmes (a merged cell):
    /// one programme carries `{amount, covers: [...]}`, the others
    /// `{covered_by: id}`.
    #[serde(default)]
    pub shared: bool,
    /// A one-line explanation in plain words, for the glossary (用語の説明)
    /// that the headings using the measure link to.
    #[serde(default)]
    pub description: Option<String>,
    /// The label's reading (ほじょきんしんせいがく), shown as furigana in
    /// the glossary.
    #[serde(default)]
    pub reading: Option<String>,
    /// Whether figures of different fiscal years may be added up (a count
    /// of something that accumulates). Budgets may not: by default no total
    /// ever adds two years.
    #[serde(default)]
    pub across_years: bool,
}

impl Measure {
    /// The dotted path of the value in a programme file.
    pub fn file_path(&self) -> &str {
        self.path.as_deref().unwrap_or(&self.key)
    }
}

/// A declared arithmetic rule.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// `max_ratio`: `measure` ≤ rate × `of` (summed over a shared group),
    /// with the rate taken from the `rate` of the programme's value of
    /// dimension `rate_from`; rounded half up to whole units.
    pub kind: String,
    /// The measure that is limited (subsidy).
    pub measure: String,
    /// The measure it is a share of (cost).
    pub of: String,
    /// The dimension whose entries carry `rate` (scheme).
    pub rate_from: String,
}

/// `content/_sources.yaml`: the documents the data comes from.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Identifier referenced by programme files.
    pub id: String,
    /// Full title of the table or document.
    pub title: String,
    /// Short label (モデル事業).
    #[serde(default)]
    pub short_title: Option<String>,
    /// Publisher (東京都).
    pub publisher: String,
    /// Fiscal year the document covers.
    pub fiscal_year: i32,
    /// The source's own label for the year (令和6年度).
    #[serde(default)]
    pub fiscal_year_label: Option<String>,
    /// Where the document can be found (URL), if published online.
    #[serde(default)]
    pub url: Option<String>,
    /// The file the text was taken from.
    #[serde(default)]
    pub file: Option<String>,
    /// Which table in that file (1-based), for multi-table files.
    #[serde(default)]
    pub table: Option<u32>,
    /// Plain-text note about the source.
    #[serde(default)]
    pub note: Option<String>,
    /// Dimension values that hold for every programme of this source (e.g.
    /// `scheme: general`); the importer writes them into each programme.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
    /// The declared totals are known to disagree with the rows (an error in
    /// the source document itself): publish anyway, report the difference
    /// as warning W105 instead of error E010, and show it on the site.
    #[serde(default)]
    pub accept_total_differences: bool,
    /// Totals the document itself declares (its 合計 row), by measure key.
    /// Absent measures were not declared.
    #[serde(default)]
    pub declared_totals: BTreeMap<String, u64>,
}

/// A registry file: a list of entries.
pub type Registry = Vec<Entry>;
