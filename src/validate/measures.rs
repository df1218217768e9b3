//! Reading the declared measures of a programme file: whole numbers, `~`
//! (not applicable), shared groups (`{amount, covers}` / `{covered_by}`),
//! and every way a figure can be written wrong (E002, E004, E008).

use super::context::add_help;
use super::context::k;
use super::raw::{FileCx, RawMeasure, RawProgramme};
use crate::config::{Measure, SiteConfig};
use crate::diag::chars::{self, differs};
use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::yaml::{self, Seg, Value};

/// Reads the measures found under top-level key `top`.
pub(super) fn parse_measures(
    fx: &mut FileCx,
    r: &mut RawProgramme,
    config: &SiteConfig,
    top: &str,
    val: &Value,
) {
    // Measures whose path starts with `top`.
    let here: Vec<(usize, &Measure)> = config
        .measures
        .iter()
        .enumerate()
        .filter(|(_, m)| m.file_path().split('.').next() == Some(top))
        .collect();
    for (mi, m) in &here {
        let segs: Vec<&str> = m.file_path().split('.').collect();
        if segs.len() == 1 {
            r.measures[*mi] = read_measure(fx, m, &[k(top)], val);
        } else {
            // Nested: walk mappings.
            let mut v = val;
            let mut path = vec![k(top)];
            let mut ok = true;
            for s in &segs[1..] {
                match v {
                    Value::Mapping(mm) => match mm.get(*s) {
                        Some(x) => {
                            v = x;
                            path.push(k(s));
                        }
                        None => {
                            ok = false;
                            break;
                        }
                    },
                    Value::Null => {
                        ok = false;
                        break;
                    }
                    other => {
                        fx.err(
                            Code::E002,
                            &path,
                            format!(
                                "`{}` must be a mapping, found {}",
                                path.iter()
                                    .map(|p| match p {
                                        Seg::Key(s) => s.as_str(),
                                        _ => "",
                                    })
                                    .collect::<Vec<_>>()
                                    .join("."),
                                yaml::type_name(other)
                            ),
                        );
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                r.measures[*mi] = read_measure(fx, m, &path, v);
            }
        }
    }
    unknown_in_group(fx, &here, top, val);
}

/// E004: unknown keys inside a nested measure group (`targets.employd`).
fn unknown_in_group(fx: &mut FileCx, here: &[(usize, &Measure)], top: &str, val: &Value) {
    let f = fx.f;
    if let Value::Mapping(mm) = val {
        if here.iter().any(|(_, m)| m.file_path().contains('.')) {
            let allowed: Vec<String> = here
                .iter()
                .filter_map(|(_, m)| m.file_path().split('.').nth(1).map(str::to_string))
                .collect();
            for key in mm.keys() {
                if fx.full() {
                    break;
                }
                let ks = key.as_str().unwrap_or("");
                if !allowed.iter().any(|a| a == ks) {
                    let sugg = did_you_mean(ks, allowed.iter().map(|s| s.as_str()));
                    let (l, c) = yaml::locate(&f.text, &[k(top), k(ks)]);
                    let mut d = Diagnostic::new(
                        Code::E004,
                        &f.display,
                        l,
                        c,
                        format!("unknown field `{top}.{ks}`"),
                    )
                    .with_source(&f.text);
                    if let Some(src) = &d.source_line {
                        d.column = src.chars().take_while(|c| c.is_whitespace()).count() + 1;
                    }
                    d.help = Some(match sugg {
                        Some(s) => format!("did you mean `{s}`?{}", differs(ks, s)),
                        None => format!("known fields under `{top}`: {}", allowed.join(", ")),
                    });
                    add_help(&mut d, chars::yaml_structure_hint(&f.text, l));
                    fx.diags.push(d);
                }
            }
        }
    }
}

fn read_measure(fx: &mut FileCx, m: &Measure, path: &[Seg], v: &Value) -> RawMeasure {
    let f = fx.f;
    match v {
        Value::Null => RawMeasure::NotApplicable,
        Value::Number(_) | Value::String(_) | Value::Bool(_) => match read_amount(v) {
            Ok(n) => match non_decimal(&f.text, path, n) {
                None => RawMeasure::Own(n),
                Some(tok) => {
                    fx.err(
                        Code::E008,
                        path,
                        format!(
                            "{}: `{tok}` is not written in decimal digits; write {n}",
                            m.key
                        ),
                    );
                    RawMeasure::Missing
                }
            },
            Err(msg) => {
                fx.err(Code::E008, path, format!("{}: {msg}", m.key));
                RawMeasure::Missing
            }
        },
        Value::Mapping(mm) if m.shared => {
            let mut amount = None;
            let mut covers = Vec::new();
            let mut covered_by = None;
            for (key, val) in mm {
                if fx.full() {
                    break;
                }
                let ks = key.as_str().unwrap_or("");
                let mut p = path.to_vec();
                p.push(k(ks));
                match ks {
                    "amount" => match read_amount(val) {
                        Ok(n) => match non_decimal(&f.text, &p, n) {
                            None => amount = Some(n),
                            Some(tok) => fx.err(Code::E008, &p, format!("{}.amount: `{tok}` is not written in decimal digits; write {n}", m.key)),
                        },
                        Err(msg) => fx.err(Code::E008, &p, format!("{}.amount: {msg}", m.key)),
                    },
                    "covers" => covers = fx.typed::<Vec<String>>(val, &p).unwrap_or_default(),
                    "covered_by" => covered_by = fx.typed::<String>(val, &p),
                    other => {
                        let sugg = did_you_mean(other, ["amount", "covers", "covered_by"]);
                        let (l, c) = yaml::locate(&f.text, &p);
                        let mut d = Diagnostic::new(Code::E004, &f.display, l, c, format!("unknown field `{other}` in shared {}", m.key)).with_source(&f.text);
                        d.help = Some(match sugg {
                            Some(s) => format!("did you mean `{s}`?{}", differs(other, s)),
                            None => "a shared figure is `{amount: N, covers: [ids]}` or `{covered_by: id}`".into(),
                        });
                        add_help(&mut d, chars::yaml_structure_hint(&f.text, l));
                        fx.diags.push(d);
                    }
                }
            }
            match (amount, covered_by) {
                (Some(a), None) => {
                    if covers.is_empty() {
                        RawMeasure::Own(a)
                    } else {
                        RawMeasure::Lead(a, covers)
                    }
                }
                (None, Some(l)) if covers.is_empty() => RawMeasure::Member(l),
                _ => {
                    fx.err(Code::E002, path, format!("shared {} must be `{{amount: N, covers: [ids]}}` or `{{covered_by: id}}`", m.key));
                    RawMeasure::Missing
                }
            }
        }
        other => {
            let expected = if m.shared {
                "a whole number, `~` (not applicable), or {amount, covers}/{covered_by}"
            } else {
                "a whole number or `~` (not applicable)"
            };
            fx.err(
                Code::E002,
                path,
                format!(
                    "{} must be {expected}, found {}",
                    m.key,
                    yaml::type_name(other)
                ),
            );
            RawMeasure::Missing
        }
    }
}

/// A non-negative whole number that fits u64.
fn read_amount(v: &Value) -> Result<u64, String> {
    match v {
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Ok(u)
            } else if n.as_i64().is_some() {
                Err(format!(
                    "{n} is negative; amounts and counts are never negative"
                ))
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if f.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&f) {
                    Err(format!("{n} is written as a decimal or exponent; write the whole number in digits ({})", f as u64))
                } else if f.is_finite() && f.fract() == 0.0 && f > 0.0 {
                    Err(format!("{n} is too large (the largest is {})", u64::MAX))
                } else if f.is_finite() && f < 0.0 {
                    Err(format!(
                        "{n} is negative; amounts and counts are never negative"
                    ))
                } else {
                    Err(format!(
                        "{n} is not a whole number (amounts are whole 千円)"
                    ))
                }
            }
        }
        Value::String(s) => {
            let digits: String = s
                .chars()
                .filter(|c| !matches!(c, ',' | '，' | ' '))
                .collect();
            if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
                let plain = digits.trim_start_matches('0');
                let plain = if plain.is_empty() { "0" } else { plain };
                if plain.len() > 20 || plain.parse::<u64>().is_err() {
                    Err(format!(
                        "{} is too large (the largest is {})",
                        clip_digits(plain),
                        u64::MAX
                    ))
                } else if digits.len() > 1 && digits.starts_with('0') {
                    Err(format!(
                        "\"{s}\" is text (a leading zero makes it text); write {plain}"
                    ))
                } else {
                    Err(format!(
                        "\"{s}\" is text; write the number without quotes or commas ({digits})"
                    ))
                }
            } else if s.trim() == "-" {
                Err("\"-\" is text; write `~` for not applicable".into())
            } else {
                Err(format!("\"{s}\" is not a number"))
            }
        }
        Value::Bool(b) => Err(format!("{b} is not a number")),
        _ => Err("not a number".into()),
    }
}

fn clip_digits(d: &str) -> String {
    if d.len() > 30 {
        format!("{}… ({} digits)", &d[..30], d.len())
    } else {
        d.to_string()
    }
}

/// YAML reads `0x10`, `0o17`, `0b11` and `+5` as numbers. A public figure
/// must read the same to people as to the program, so these are refused:
/// returns the text as written when the number `n` at `path` is written so.
pub(super) fn non_decimal(text: &str, path: &[Seg], n: u64) -> Option<String> {
    if !(text.contains("0x") || text.contains("0o") || text.contains("0b") || text.contains('+')) {
        return None;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (l, c) = yaml::locate(text, path);
    let line = text.lines().nth(l.checked_sub(1)?)?;
    let tok: String = line
        .chars()
        .skip(c - 1)
        .take_while(|ch| !ch.is_whitespace() && !matches!(ch, ',' | ']' | '}' | '#'))
        .collect();
    let body = tok.strip_prefix('+').unwrap_or(&tok);
    let value = if let Some(h) = body.strip_prefix("0x") {
        u64::from_str_radix(h, 16).ok()
    } else if let Some(o) = body.strip_prefix("0o") {
        u64::from_str_radix(o, 8).ok()
    } else if let Some(b) = body.strip_prefix("0b") {
        u64::from_str_radix(b, 2).ok()
    } else {
        body.parse().ok()
    };
    (value == Some(n) && tok != n.to_string()).then_some(tok)
}
