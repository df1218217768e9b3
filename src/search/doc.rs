//! What the index reads of one programme: its searchable fields, its folded
//! text (with where the title fields end), and the payload a result shows.

use super::fold::normalize;
use super::layout::script_json;
use crate::format::group_digits;
use crate::markdown::plain_text;
use crate::model::{MeasureValue, Site};
use rayon::prelude::*;
use serde_json::json;

/// The searchable fields of programme `p`: (title fields, other fields).
///
/// Title: name and part. Other: the summary (plain text), the implementer,
/// the programme's id (`2024-general-08`), and for each of its dimension
/// values the name, the reading and the code (全国地方公共団体コード of a
/// municipality, `131121`).
pub fn fields(site: &Site, p: usize) -> (Vec<String>, Vec<String>) {
    fields_with(site, p, plain_text(&site.programmes[p].summary))
}

/// [`fields`], given the summary as plain text.
fn fields_with(site: &Site, p: usize, summary: String) -> (Vec<String>, Vec<String>) {
    let pr = &site.programmes[p];
    let mut title = vec![pr.name.clone()];
    if let Some(part) = &pr.part {
        title.push(part.clone());
    }
    let mut other = vec![summary];
    if let Some(i) = &pr.implementer {
        other.push(i.clone());
    }
    other.push(pr.id.clone());
    for (d, dim) in site.dims.iter().enumerate() {
        for &e in &pr.dims[d] {
            let en = &dim.entries[e];
            other.push(en.name.clone());
            if let Some(r) = &en.reading {
                other.push(r.clone());
            }
            if let Some(c) = &en.code {
                other.push(c.clone());
            }
        }
    }
    (title, other)
}

/// The folded searchable text of programme `p`: its fields, each folded,
/// joined by a newline (which no key spans), and how many of them are title
/// fields.
pub fn doc_text(site: &Site, p: usize) -> (String, usize) {
    doc_text_with(site, p, plain_text(&site.programmes[p].summary))
}

/// [`doc_text`], given the summary as plain text.
fn doc_text_with(site: &Site, p: usize, summary: String) -> (String, usize) {
    let (title, other) = fields_with(site, p, summary);
    let n = title.len();
    let text = title
        .iter()
        .chain(other.iter())
        .map(|f| normalize(f))
        .collect::<Vec<_>>()
        .join("\n");
    (text, n)
}

/// Every programme's folded text and the number of characters up to the
/// end of its title fields.
pub(super) fn texts(site: &Site) -> Vec<(String, u32)> {
    (0..site.programmes.len())
        .into_par_iter()
        .map(|p| with_title_end(doc_text(site, p)))
        .collect()
}

/// A document text with the number of characters up to the end of its
/// `ntitle` title fields.
fn with_title_end((text, ntitle): (String, usize)) -> (String, u32) {
    let title_end: u32 = text
        .split('\n')
        .take(ntitle)
        .map(|f| f.chars().count() as u32 + 1)
        .sum();
    (text, title_end)
}

/// Programme `p` as the index sees it, made from one reading of its
/// summary: its text with the end of its title fields (see [`texts`]), and
/// its result payload (see [`payload`]).
pub(super) fn text_and_payload(site: &Site, p: usize) -> ((String, u32), String) {
    let summary = plain_text(&site.programmes[p].summary);
    let payload = payload_with(site, p, &summary);
    let text = with_title_end(doc_text_with(site, p, summary));
    (text, payload)
}

/// The payload of `search/d/…/<p>.js`: what a result shows of programme `p`.
pub(super) fn payload(site: &Site, p: usize) -> String {
    payload_with(site, p, &plain_text(&site.programmes[p].summary))
}

/// [`payload`], given the summary as plain text.
fn payload_with(site: &Site, p: usize, summary: &str) -> String {
    let pr = &site.programmes[p];
    let (a, note) = amount(site, p);
    let v = json!([
        pr.id,
        pr.name,
        pr.part.clone().unwrap_or_default(),
        summary,
        pr.implementer.clone().unwrap_or_default(),
        pr.dims,
        pr.fiscal_year,
        a,
        note
    ]);
    format!("{p},{}", script_json(&v))
}

/// The displayed amount of programme `p` (the first measure): figure and
/// note.
fn amount(site: &Site, p: usize) -> (String, String) {
    if site.measures.is_empty() {
        return (String::new(), String::new());
    }
    match &site.programmes[p].measures[0] {
        MeasureValue::Own(v) => (group_digits(u128::from(*v)), String::new()),
        MeasureValue::NotApplicable => ("―".into(), String::new()),
        MeasureValue::Missing => (String::new(), String::new()),
        MeasureValue::Lead { .. } | MeasureValue::Member { .. } => {
            let (lead, members) = site.group_of(p, 0).unwrap_or((p, vec![p]));
            let a = site.programmes[lead].measures[0].own().unwrap_or(0);
            (
                group_digits(u128::from(a)),
                format!("{}件で共有", members.len()),
            )
        }
    }
}
