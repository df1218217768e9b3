//! The page builders: each turns the model (and the plan's indexes) into
//! one page's template values and renders it.

pub mod home;
pub mod lists;
pub mod programme;
mod site;
mod year_pages;
pub mod years;

use super::view::{self, Col, SiteView};
use crate::model::Site;
use crate::urls;
use tera::Context;

/// A page's common context.
pub(crate) fn base_ctx(sv: &SiteView, path: &str, title: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert_value("site", sv.value());
    ctx.insert("root", &urls::root_of(path));
    ctx.insert("path", path);
    ctx.insert("page_title", title);
    // What a shared link previews, and the feed the page offers; pages of
    // one programme or one value say their own.
    ctx.insert("description", &sv.description);
    ctx.insert("feed_href", urls::FEED);
    ctx.insert("feed_title", &sv.title);
    ctx
}

/// The longest page description (meta description, `og:description`):
/// link previews cut at about this many characters.
const DESCRIPTION_CHARS: usize = 160;

/// `text` with runs of white space made one space, cut at
/// [`DESCRIPTION_CHARS`] with an ellipsis.
pub(crate) fn description(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= DESCRIPTION_CHARS {
        return one_line;
    }
    let mut s: String = one_line.chars().take(DESCRIPTION_CHARS - 1).collect();
    s.push('…');
    s
}

/// A dimension value page's description: its count and totals, as its
/// page states them (「世田谷区（区市町村）の事業 3件。事業費 39,431千円、…」).
pub(crate) fn describe_value(site: &Site, dim_label: &str, ev: &view::EntryView) -> String {
    let figures: Vec<String> = ev
        .totals
        .iter()
        .filter(|t| !t.na && t.partial.is_empty())
        .map(|t| format!("{} {}{}", t.label, t.text, t.unit))
        .collect();
    let mut s = format!(
        "{}（{}）の{} {}件。",
        ev.name,
        dim_label,
        site.config.item_label,
        crate::format::group_digits(ev.count as u128)
    );
    if !figures.is_empty() {
        s.push_str(&format!("{}。", figures.join("、")));
    }
    description(&s)
}

pub(crate) fn summed_measure_labels(site: &Site) -> Vec<Col> {
    site.measures
        .iter()
        .filter(|m| m.sum)
        .map(|m| Col {
            label: m.label.clone(),
            unit: m.unit.clone(),
            term: view::measure_term(m),
        })
        .collect()
}
