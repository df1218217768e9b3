//! The sources pass: `_sources.yaml` (file 1) parsed, ids checked, declared
//! totals naming declared measures.

use super::context::Ctx;
use super::context::{k, refused};
use crate::config::{SiteConfig, Source};
use crate::diag::chars::differs;
use crate::diag::{did_you_mean, Code, Diagnostic};
use crate::load::Loaded;
use crate::model::rules::is_valid_slug;
use crate::yaml::{self, Seg};
use std::collections::BTreeSet;

/// The source documents, in file order (empty when the file is missing or
/// does not parse: the problem is reported).
pub(super) fn parse(cx: &mut Ctx, loaded: &Loaded, config: &SiteConfig) -> Vec<Source> {
    let Some(f) = &loaded.sources else {
        if !refused(loaded, "_sources.yaml") {
            let display = loaded
                .site
                .as_ref()
                .map(|s| s.display.replace("_site.yaml", "_sources.yaml"))
                .unwrap_or_else(|| "content/_sources.yaml".into());
            cx.diags.push(Diagnostic::new(
                Code::E003,
                &display,
                1,
                1,
                "missing `_sources.yaml`: every programme cites a source document",
            ));
        }
        return Vec::new();
    };
    let fi = 1;
    let sources =
        match yaml::parse(&f.text).and_then(|v| yaml::deserialize::<Vec<Source>>(v, &f.text)) {
            Ok(s) => s,
            Err(e) => {
                cx.yaml_err(fi, e);
                return Vec::new();
            }
        };
    let mut seen = BTreeSet::new();
    for (i, s) in sources.iter().enumerate() {
        if cx.full(fi) {
            break;
        }
        if !is_valid_slug(&s.id) {
            cx.err(
                Code::E007,
                fi,
                &[Seg::Index(i), k("id")],
                format!(
                    "source id `{}` must be lowercase letters, digits and hyphens",
                    s.id
                ),
            );
        }
        if !seen.insert(s.id.clone()) {
            cx.err(
                Code::E006,
                fi,
                &[Seg::Index(i), k("id")],
                format!("duplicate source id `{}`", s.id),
            );
        }
        if s.url.is_none() && s.file.is_none() {
            cx.err(
                Code::W108,
                fi,
                &[Seg::Index(i), k("id")],
                format!(
                    "source `{}` has neither a `url` nor a `file`: readers cannot find the document",
                    s.id
                ),
            )
            .help = Some(
                "add `url:` (where the document is published) or `file:` (the table it was taken from, kept beside the content)".into(),
            );
        }
        for key in s.declared_totals.keys() {
            if !config.measures.iter().any(|m| &m.key == key) {
                let keys: Vec<&str> = config.measures.iter().map(|m| m.key.as_str()).collect();
                let d = cx.err(
                    Code::E004,
                    fi,
                    &[Seg::Index(i), k("declared_totals"), k(key)],
                    format!("declared total for unknown measure `{key}`"),
                );
                if let Some(s) = did_you_mean(key, keys) {
                    d.help = Some(format!("did you mean `{s}`?{}", differs(key, s)));
                }
            }
        }
    }
    sources
}
