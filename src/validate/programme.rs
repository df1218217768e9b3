//! The per-file pass: one programme file parsed into its raw form — what
//! the file says, before references to other files are resolved — with
//! every problem of the file itself (E001–E004, E007, E008, E016, W106).
//! Runs on every core; files are independent.

use super::context::k;
use super::context::{add_help, error_code, parse_error_help};
use super::measures::{non_decimal, parse_measures};
use super::raw::{FileCx, RawMeasure, RawProgramme};
use super::text::text_diagnostics;
use crate::config::SiteConfig;
use crate::diag::chars::{self, differs};
use crate::diag::{did_you_mean, Code, Diagnostic, Diagnostics};
use crate::load::SourceFile;
use crate::model::rules::{is_valid_slug, CORE_KEYS, MAX_NAME_CHARS, MAX_SUMMARY_CHARS};
use crate::model::Date;
use crate::yaml::{self, Value};
use std::collections::BTreeSet;

/// Parses one programme file into its raw form (no cross-file checks).
pub(super) fn parse_programme(
    fi: usize,
    f: &SourceFile,
    config: &SiteConfig,
    measure_tops: &BTreeSet<String>,
) -> (Option<RawProgramme>, Diagnostics) {
    let mut fx = FileCx {
        f,
        diags: Diagnostics::new(),
    };
    let stem = f
        .rel
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml")
        .to_string();
    if !is_valid_slug(&stem) {
        fx.diags.push(Diagnostic::new(Code::E007, &f.display, 1, 1, format!(
            "file name `{stem}` is not a valid programme id: use lowercase letters, digits and single hyphens"))
            .with_help("the file stem is the programme's id and URL, e.g. 2024-general-08.yaml"));
    }
    let value = match yaml::parse(&f.text) {
        Ok(v) => v,
        Err(e) => {
            let code = error_code(&e.kind);
            let mut d =
                Diagnostic::new(code, &f.display, e.line, e.column, e.message).with_source(&f.text);
            d.help = parse_error_help(code, &f.text, e.line);
            fx.diags.push(d);
            return (None, fx.diags);
        }
    };
    for d in text_diagnostics(&f.display, &f.text) {
        if fx.full() {
            break;
        }
        fx.diags.push(d);
    }
    let Value::Mapping(map) = value else {
        fx.err(
            Code::E002,
            &[],
            format!(
                "a programme file must be a mapping of fields, found {}",
                yaml::type_name(&value)
            ),
        );
        return (None, fx.diags);
    };
    let mut r = RawProgramme {
        file: fi,
        id: stem,
        dims: vec![Vec::new(); config.dimensions.len()],
        measures: vec![RawMeasure::Missing; config.measures.len()],
        ..Default::default()
    };
    let mut present = BTreeSet::new();
    for (key, val) in &map {
        if fx.full() {
            break;
        }
        let Value::String(key) = key else {
            fx.err(Code::E002, &[], "field names must be text".into());
            continue;
        };
        present.insert(key.clone());
        if !read_core_field(&mut fx, &mut r, key, val) {
            read_declared_field(&mut fx, &mut r, config, measure_tops, key, val);
        }
    }
    check_required(&mut fx, config, &present);
    check_lengths(&mut fx, &r);
    (Some(r), fx.diags)
}

/// Reads one of the core fields every programme file may carry; false when
/// `key` is not one.
fn read_core_field(fx: &mut FileCx, r: &mut RawProgramme, key: &str, val: &Value) -> bool {
    let path = [k(key)];
    match key {
        "fiscal_year" => {
            r.fiscal_year = fx.typed(val, &path);
            if let Some(tok) = r
                .fiscal_year
                .and_then(|y| non_decimal(&fx.f.text, &path, u64::try_from(y).ok()?))
            {
                fx.err(
                    Code::E008,
                    &path,
                    format!("fiscal_year `{tok}` is not written in decimal digits"),
                );
            }
            if let Some(y) = r.fiscal_year {
                if !(1868..=2200).contains(&y) {
                    fx.err(
                        Code::E008,
                        &path,
                        format!("fiscal_year {y} is out of range 1868–2200"),
                    );
                }
            }
        }
        "source" => r.source = fx.typed(val, &path),
        "page" | "number" => {
            let n: Option<u32> = fx.typed(val, &path);
            if let Some(tok) = n.and_then(|n| non_decimal(&fx.f.text, &path, u64::from(n))) {
                fx.err(
                    Code::E008,
                    &path,
                    format!("{key} `{tok}` is not written in decimal digits"),
                );
            }
            if key == "page" {
                r.page = n;
            } else {
                r.number = n;
            }
        }
        "name" => r.name = fx.typed(val, &path),
        "part" => r.part = fx.typed::<Option<String>>(val, &path).flatten(),
        "summary" => {
            r.summary = fx
                .typed::<Option<String>>(val, &path)
                .flatten()
                .unwrap_or_default()
        }
        "implementer" => r.implementer = fx.typed::<Option<String>>(val, &path).flatten(),
        "continues" => r.continues = fx.typed::<Option<String>>(val, &path).flatten(),
        "aliases" => r.aliases = fx.typed(val, &path).unwrap_or_default(),
        "series" => r.series = fx.typed::<Option<String>>(val, &path).flatten(),
        "notes" => r.notes = fx.typed(val, &path).unwrap_or_default(),
        "start" => {
            if let Some(s) = fx.typed::<Option<String>>(val, &path).flatten() {
                match Date::parse_iso(&s) {
                    Some(d) => r.start = Some(d),
                    None => fx.err(
                        Code::E008,
                        &path,
                        format!("`{s}` is not a date in the form YYYY-MM-DD"),
                    ),
                }
            }
        }
        _ => return false,
    }
    true
}

/// Reads a declared dimension or measure, or reports an unknown field
/// (E004, at the key, with a did-you-mean).
fn read_declared_field(
    fx: &mut FileCx,
    r: &mut RawProgramme,
    config: &SiteConfig,
    measure_tops: &BTreeSet<String>,
    key: &str,
    val: &Value,
) {
    let path = [k(key)];
    if let Some(di) = config.dimensions.iter().position(|d| d.key == key) {
        if config.dimensions[di].multiple {
            r.dims[di] = fx.typed(val, &path).unwrap_or_default();
        } else if let Some(s) = fx.typed::<Option<String>>(val, &path).flatten() {
            r.dims[di] = vec![s];
        }
        return;
    }
    if measure_tops.contains(key) {
        parse_measures(fx, r, config, key, val);
        return;
    }
    let f = fx.f;
    let mut known: Vec<&str> = CORE_KEYS.to_vec();
    known.extend(config.dimensions.iter().map(|d| d.key.as_str()));
    known.extend(measure_tops.iter().map(|s| s.as_str()));
    let (l, c) = yaml::locate(&f.text, &path);
    let mut d = Diagnostic::new(
        Code::E004,
        &f.display,
        l,
        c,
        format!("unknown field `{key}`"),
    )
    .with_source(&f.text);
    // Point at the key, not the value.
    if let Some(src) = &d.source_line {
        d.column = src.chars().take_while(|c| c.is_whitespace()).count() + 1;
    }
    d.help = Some(match did_you_mean(key, known.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?{}", differs(key, s)),
        None => format!("known fields: {}", known.join(", ")),
    });
    add_help(&mut d, chars::yaml_structure_hint(&f.text, l));
    fx.diags.push(d);
}

/// E003: the core fields every programme needs, and required dimensions.
fn check_required(fx: &mut FileCx, config: &SiteConfig, present: &BTreeSet<String>) {
    let f = fx.f;
    for req in ["fiscal_year", "source", "name"] {
        if !present.contains(req) {
            fx.diags.push(
                Diagnostic::new(
                    Code::E003,
                    &f.display,
                    1,
                    1,
                    format!("missing field `{req}`"),
                )
                .with_source(&f.text),
            );
        }
    }
    for d in &config.dimensions {
        if d.required && !present.contains(&d.key) {
            fx.diags.push(
                Diagnostic::new(
                    Code::E003,
                    &f.display,
                    1,
                    1,
                    format!("missing field `{}` ({})", d.key, d.label),
                )
                .with_source(&f.text),
            );
        }
    }
}

/// E008: an empty or over-long name, an over-long summary.
fn check_lengths(fx: &mut FileCx, r: &RawProgramme) {
    if let Some(n) = &r.name {
        if n.trim().is_empty() {
            fx.err(Code::E008, &[k("name")], "name is empty".into());
        }
        if n.chars().count() > MAX_NAME_CHARS {
            fx.err(
                Code::E008,
                &[k("name")],
                format!("name is longer than {MAX_NAME_CHARS} characters"),
            );
        }
    }
    if r.summary.chars().count() > MAX_SUMMARY_CHARS {
        fx.err(
            Code::E008,
            &[k("summary")],
            format!(
                "summary is {} characters; the limit is {MAX_SUMMARY_CHARS}",
                r.summary.chars().count()
            ),
        );
    }
}
