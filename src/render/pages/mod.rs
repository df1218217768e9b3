//! The page builders: each turns the model (and the plan's indexes) into
//! one page's template values and renders it.

pub mod home;
pub mod lists;
pub mod programme;
mod site;
mod year_pages;
pub mod years;

use super::view::{Col, SiteView};
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
    ctx
}

pub(crate) fn summed_measure_labels(site: &Site) -> Vec<Col> {
    site.measures
        .iter()
        .filter(|m| m.sum)
        .map(|m| Col {
            label: m.label.clone(),
            unit: m.unit.clone(),
        })
        .collect()
}
