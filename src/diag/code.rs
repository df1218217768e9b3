//! The registry of diagnostic codes: every code with its severity, the
//! one-line title `check` lists, and the rule as docs/checks.md states it.
//!
//! Code, severity and text live here only: `check` prints its list from
//! [`Code::ALL`], and a test keeps the table in docs/checks.md equal to
//! [`Code::docs_table`] (`UPDATE_DOCS=1` rewrites it).

use serde::Serialize;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot produce a faithful site.
    Error,
    /// Probably wrong; the build goes on (unless `--deny warnings`).
    Warning,
}

macro_rules! codes {
    ($($code:ident $sev:ident $title:literal $doc:literal;)*) => {
        /// A stable diagnostic code (docs/checks.md).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = $title]
                $code,
            )*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$code),*];

            /// The code as written: `E005`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }

            /// Error or warning.
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$code => Severity::$sev,)*
                }
            }

            /// The one-line title `check` lists.
            pub fn title(self) -> &'static str {
                match self {
                    $(Code::$code => $title,)*
                }
            }

            /// The rule, as docs/checks.md states it.
            pub fn doc(self) -> &'static str {
                match self {
                    $(Code::$code => $doc,)*
                }
            }
        }
    };
}

codes! {
    E001 Error "YAML syntax"
        "YAML syntax (including duplicate keys, several documents in one file, alias bombs and aliases expanding past 16 MiB, nesting deeper than 32); see docs/limits.md. When the line (or one of the two before it) has a no-break space, an ideographic space or a full-width colon in its structure, the help names it and its place";
    E002 Error "field types"
        "a field has the wrong type";
    E003 Error "required fields"
        "a required field is missing (programme core fields, required dimensions, registry codes, `_site.yaml`, `_sources.yaml`)";
    E004 Error "unknown fields"
        "unknown field (with a did-you-mean; a hint when the key holds an ideographic or no-break space before its colon)";
    E005 Error "references (sources, dimension values, programmes)"
        "a reference does not resolve: source, dimension value (did-you-mean: 世田谷 → 世田谷区; a name that looks the same comes first and the help says what differs: an invisible U+200B after 区, full-width `ｙｏｕｔｈ`), `continues`, `covers`, `covered_by`";
    E006 Error "unique ids, slugs and names"
        "duplicate programme id, source id, registry slug or name";
    E007 Error "id and file name rules"
        "an id, file stem, slug or alias breaks the rules (lowercase ASCII letters, digits, single hyphens, ≤ 100 characters)";
    E008 Error "values (dates, amounts, lengths)"
        "a value is out of range: negative or fractional amounts, numbers over u64, amounts written as text (\"18,997\", `010`) or not in decimal digits (`0x10`, `+5`, `1e3`), invalid dates, empty or over-long names and summaries";
    E009 Error "shared groups (covers / covered_by agree)"
        "a shared group is inconsistent: `covers` and `covered_by` disagree, or a programme covers itself";
    E010 Error "recomputed totals equal each source's declared totals"
        "a source's declared total differs from the recomputed total (both figures and the difference are given, and how many programmes give no figure). The help line first names what could explain the difference — files in the content folder that were not read (W107), row numbers missing from the source's programmes, programmes that do not give the measure — and proposes `accept_total_differences` only when there is nothing of the kind";
    E011 Error "shared or own amount within rate × cost (rounded half up)"
        "a subsidy exceeds rate × the cost of its group (rate from the scheme, rounded half up in whole 千円 as the source does: 1/2 × 11,433 = 5,716.5 → 5,717); when a member gives no cost, the message says that the cost is missing and where (never \"1/2 × 0\")";
    E012 Error "group members share source and declared dimensions"
        "members of a shared group differ in source or in a dimension marked `same_within_group`; a programme's fiscal year differs from its source's";
    E013 Error "files readable (UTF-8, size, no links)"
        "a file cannot be used: unreadable, not UTF-8 (Shift_JIS is detected and named), empty, larger than 2 MiB, a symbolic link (to a file or a folder: a link loop cannot hang the walk), or not a regular file (a FIFO)";
    E014 Error "aliases collide with nothing"
        "an alias collides with a programme id or another alias";
    E015 Error "site config and registries"
        "the site config or a registry is invalid (reserved keys, a key that is a dimension's `<key>_code` data column, a `license` url that is not http(s), unknown rule parts, bad 全国地方公共団体コード check digit, bad rate, a `theme` or `programme_dir` that is not a folder name, an `as_of` that is not a date)";
    E016 Error "text free of control characters and noncharacters (tab and line feed allowed)"
        "a text (any key or value of any content file, escapes decoded) holds a control character — U+0000–U+001F except tab and line feed (so also a carriage return from `\"\\r\"`), U+007F, U+0080–U+009F — or a noncharacter (U+FFFF, U+FDD0…); also a control character written raw in the file. At the character, named (`U+001B ESCAPE`)";
    E017 Error "series (one record a year, joined by key or judgement)"
        "the records of fiscal years do not form series as declared: a series has two records in one fiscal year; records with the same `series.key` are in different series; a series joins records of different keys that no `continues` judgement of the editorial file joins; a judgement's later record is not of a later year, or a `continues` judgement's records are in different series (the later one must carry the earlier one's `series:`)";
    W101 Warning "figures fit the programme's category"
        "a figure for a measure that does not apply to the programme's category (処遇改善事業 counts supported companies; 労働力確保事業 counts jobs and hiring companies)";
    W102 Warning "start date within the fiscal year"
        "the start date lies outside the programme's fiscal year (April–March)";
    W103 Warning "summary within the source's length limit"
        "the summary is longer than the source's own limit (`summary_max_chars`, 300 for the Tokyo plan), counted on the rendered text without white space";
    W104 Warning "base_url set (for embeds, citations, canonical URLs, sitemap.xml, the feed and the 404 page)"
        "no absolute `base_url` in `_site.yaml` (nor `--base-url`): programme pages offer no embed code and no citation (they say what is needed instead), sitemap.xml and absolute canonical/permalink URLs are not written, and 404.html links root-relative (it works only when the site is served from the root of its host); all other links stay relative";
    W105 Warning "declared totals differ, accepted as an error of the source (shown on the site)"
        "a declared total differs from the recomputed one, on a source marked `accept_total_differences: true` (the source document itself is wrong): the site builds and shows the difference on the home page";
    W106 Warning "invisible characters in text (bidi controls, zero-width characters, variation selectors)"
        "a text holds invisible characters: bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), zero-width characters (U+200B, U+200C, U+200D, U+2060), U+FEFF, the soft hyphen, variation selectors, tag characters. The message spells them out (`新宿区<U+200B>`); the help says what each is for (a ZWJ in an emoji sequence and a variation selector in an 異体字 such as 葛󠄀 are meant, hence a warning)";
    W107 Warning "every file in the content folder is read (or named)"
        "a file is not read: in the programme folder, a file whose name does not end exactly in `.yaml` or `.yml` (`.YAML`, `a.yaml ` with a trailing space, `a.yaml.bak`, `memo.txt`; `.gitkeep`, `.gitignore`, `.gitattributes`, `.keep`, `.DS_Store`, `Thumbs.db`, `desktop.ini` and `README`/`README.md`/`README.txt` are housekeeping and not reported); at the top of the content folder, a `_*.YAML` or `_*.yaml ` file; anywhere else in the content folder, a YAML file that looks like a programme (top-level `fiscal_year:` and `name:` or `source:` lines)";
    W108 Warning "sources point to their documents"
        "a source in `_sources.yaml` has neither a `url` (where the document is published) nor a `file` (the table it was taken from): readers cannot find the document a figure comes from";
    E101 Error "import: the table can be read"
        "`mieruka import`: the table cannot be read: the file is missing or unreadable, larger than 256 MiB, neither UTF-8 nor Shift_JIS (at the line and cell of the first byte neither encoding reads), or not valid CSV/TSV";
    E102 Error "import: cells free of control characters and noncharacters"
        "a cell of the table holds a control character (U+0000–U+001F except tab and line breaks, U+007F, U+0080–U+009F) or a noncharacter (U+FFFF…), at its line and cell, named as E016 names it";
    E103 Error "import: the file is a table in its layout"
        "the file is not a table in the layout it is read in (`this is not a table: …`, at a line): most lines a single cell, as text taken from a PDF (a page number `- 363 -` or a unit alone on its line is named), or lines holding the other separator (the wrong `--format`), no line with a header of the layout, a data row before the header row or after the totals row, a second totals row, a header with no data rows, a `header_line` that starts no row";
    E104 Error "import: every column is read"
        "a column of the table is not read: a header that no field, `append` or `ignore` names (its data would be lost, with a did-you-mean), a cell in a column without a header, a header that appears twice, two aliases of one field in one table, a required column that is missing, a column holding a field `_site.yaml` does not declare";
    E105 Error "import: the mapping file is valid"
        "the mapping file is not valid: YAML, unknown keys, a field that is neither a core field nor declared in `_site.yaml`, an `as`, `blank`, `split`, `remarks`, `new_values` or `append` that does not apply to its field, a template that cannot be parsed or names no header; at its line and column in the mapping";
    E106 Error "import: the content folder can be read"
        "a content file the import reads is unreadable or invalid: `_site.yaml`, `_sources.yaml`, a registry, or an existing programme file whose editorial fields must be kept (`mieruka check` reports the details); an editorial field that cannot be kept; a registry written as a flow list that values cannot be added to";
    E107 Error "import: tables and sources match"
        "the tables of the file and the sources do not match: an unknown `--source` (did-you-mean), one given twice, no source for the file, a number of tables different from the number of sources, a source `default` that is not a declared dimension";
    E108 Error "import: cell values can be read"
        "a cell cannot be read as its field: an amount, number, date or fiscal year that is not one (for a number followed by a remark, `347,149 ※`, the help says what to do), a fiscal year that is not the source's, a cell of several lines where one value is expected, a blank cell where a value is needed (names, amounts, required dimensions, 整理番号)";
    E109 Error "import: dimension values are known"
        "a dimension value is not in its registry or `values` (did-you-mean; the help says how to add it, or to list a body under `bodies`), or cannot be added with `new_values: add` (its slug is invalid or taken)";
    E110 Error "import: ids are valid and unique"
        "an id cannot be made from the template, is not a valid id, or is made twice; a 整理番号 appears twice in one table";
    E111 Error "import: the totals row equals the declared totals"
        "a figure of the totals row (合計) differs from the source's `declared_totals`, is not declared, or is missing for a declared total; a totals row when the source declares no totals (the help gives the `declared_totals:` to write)";
    E112 Error "import: merged cells and continuation rows are consistent"
        "a blank figure of a `shared` measure (a merged cell) has no figure above to share, or would join rows that differ in a `same_within_group` dimension; a blank 事業名 (a continuation row) in the first row, or continuing a row of another municipality";
    E113 Error "import: files can be written"
        "a programme or registry file cannot be written";
    E114 Error "import: ids keep their width"
        "the id template zero-pads a number (`{row:03}`) to fewer digits than the table needs, so the ids would change width (`2025-999`, then `2025-1000`): refused before the first import, at the template's position in the mapping file";
    E115 Error "import: one record a series a year"
        "two rows of one fiscal year have the same series key (the `series.key` fields of _site.yaml, folded): they would be one programme twice in a year; the error names both rows";
    W201 Warning "import: tables go to the right sources"
        "a table's title differs from its source's `title`, or a source's `table` is not the table it is given for";
    W202 Warning "import: the rows add up to the totals row"
        "the rows' figures do not add up to the totals row: `mieruka build` will refuse the content (E010) until they agree";
    W203 Warning "import: the declared totals can be compared"
        "the table has no totals row, but its source declares totals that the import therefore cannot compare";
    W204 Warning "import: every file citing the sources is produced"
        "a programme file in the output folder cites an imported source, but no row of the table produces it (left as it is)";
    W205 Warning "import: ids keep their width (existing ids)"
        "as E114, but programme files with these ids exist already (or the layout is built in): the new ids are wider; changing the template now would change every id";
}

impl Code {
    /// Whether the code is one of `mieruka import`'s (E1xx, W2xx) rather
    /// than a rule `check` and `build` run on the content.
    pub fn is_import(self) -> bool {
        let n: u16 = self.as_str()[1..].parse().unwrap_or(0);
        match self.severity() {
            Severity::Error => n >= 100,
            Severity::Warning => n >= 200,
        }
    }

    /// The codes `check` and `build` run on the content (not the importer's).
    pub fn checks() -> impl Iterator<Item = Code> {
        Code::ALL.iter().copied().filter(|c| !c.is_import())
    }

    /// The code of a name (`"E005"`), if it is one.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s)
    }

    /// The table of docs/checks.md: one row per code.
    pub fn docs_table() -> String {
        let mut s = String::from("| code | severity | rule |\n| --- | --- | --- |\n");
        for c in Code::ALL {
            let sev = match c.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            s.push_str(&format!("| {} | {sev} | {} |\n", c.as_str(), c.doc()));
        }
        s
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/checks.md holds exactly the registry's table (codes, severities
    /// and rules); `UPDATE_DOCS=1` rewrites it from the registry.
    #[test]
    fn docs_table_is_the_registry() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/checks.md");
        let doc = std::fs::read_to_string(path).unwrap();
        let start = doc
            .find("| code | severity | rule |")
            .expect("the table's header");
        let end = doc[start..]
            .find("\n\n")
            .map_or(doc.len(), |i| start + i + 1);
        let table = Code::docs_table();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(path, format!("{}{table}{}", &doc[..start], &doc[end..])).unwrap();
        } else {
            assert_eq!(&doc[start..end], table, "docs/checks.md is out of step with src/diag/code.rs: run UPDATE_DOCS=1 cargo test --lib docs_table");
        }
    }

    #[test]
    fn codes_are_named_by_their_severity() {
        for c in Code::ALL {
            let letter = match c.severity() {
                Severity::Error => 'E',
                Severity::Warning => 'W',
            };
            assert!(c.as_str().starts_with(letter), "{c}");
            // The importer's codes: E1xx and W2xx.
            let n: u16 = c.as_str()[1..].parse().unwrap();
            assert_eq!(
                c.is_import(),
                n >= 100 + 100 * u16::from(letter == 'W'),
                "{c}"
            );
            assert_eq!(Code::parse(c.as_str()), Some(*c));
        }
    }
}
