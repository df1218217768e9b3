//! The programme files pass: every file parsed on every core, reusing the
//! raw form of files whose text (and the site config) did not change since
//! the last validation (`serve` keeps a [`ParseCache`]).

use super::context::Ctx;
use super::programme::parse_programme;
use super::raw::RawProgramme;
use crate::config::SiteConfig;
use crate::diag::Diagnostics;
use crate::load::{Loaded, SourceFile};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// Programme files already parsed, kept between validations of the same
/// content folder (`serve`): a file whose text and site config are unchanged
/// is not parsed again.
#[derive(Default)]
pub struct ParseCache {
    config: String,
    files: HashMap<String, (String, Option<Arc<RawProgramme>>, Diagnostics)>,
}

/// One file's outcome: its raw form (when it parsed), its problems, and
/// whether it was parsed now (not taken from the cache).
type Parsed = (Option<Arc<RawProgramme>>, Diagnostics, bool);

/// Every programme file's raw form, sorted by id; their problems go into
/// `cx`. Programme files are `cx.files[base..]`.
pub(super) fn parse_all(
    cx: &mut Ctx,
    loaded: &Loaded,
    config: &SiteConfig,
    base: usize,
    cache: Option<&mut ParseCache>,
) -> Vec<Arc<RawProgramme>> {
    let site_text = loaded.site.as_ref().map(|f| f.text.as_str()).unwrap_or("");
    let measure_tops: BTreeSet<String> = config
        .measures
        .iter()
        .map(|m| m.file_path().split('.').next().unwrap_or("").to_string())
        .collect();
    let prog_files: Vec<(usize, &SourceFile)> = loaded
        .programmes
        .iter()
        .enumerate()
        .map(|(i, f)| (base + i, f))
        .collect();
    let usable = cache.as_deref().filter(|c| c.config == site_text);
    // Unchanged files come from the cache, shared (their file index is
    // corrected when files were added or removed before them).
    let parsed: Vec<Parsed> = prog_files
        .par_iter()
        .map(|(fi, f)| {
            match usable
                .and_then(|c| c.files.get(&f.rel))
                .filter(|(text, _, _)| *text == f.text)
            {
                Some((_, r, d)) => {
                    let r = r.clone().map(|mut r| {
                        if r.file != *fi {
                            Arc::make_mut(&mut r).file = *fi;
                        }
                        r
                    });
                    (r, d.clone(), false)
                }
                None => {
                    let (r, d) = parse_programme(*fi, f, config, &measure_tops);
                    (r.map(Arc::new), d, true)
                }
            }
        })
        .collect();
    if let Some(c) = cache {
        refresh(c, site_text, &prog_files, &parsed);
    }
    let mut raws: Vec<Arc<RawProgramme>> = Vec::new();
    for (r, d, _) in parsed {
        cx.diags.extend(d);
        if let Some(r) = r {
            raws.push(r);
        }
    }
    raws.sort_by(|a, b| a.id.cmp(&b.id));
    raws
}

/// Puts this validation's files into the cache.
fn refresh(
    c: &mut ParseCache,
    site_text: &str,
    prog_files: &[(usize, &SourceFile)],
    parsed: &[Parsed],
) {
    if c.config != site_text || c.files.len() != prog_files.len() {
        c.config = site_text.to_string();
        c.files = prog_files
            .iter()
            .zip(parsed)
            .map(|((_, f), (r, d, _))| (f.rel.clone(), (f.text.clone(), r.clone(), d.clone())))
            .collect();
    } else {
        for ((_, f), (r, d, fresh)) in prog_files.iter().zip(parsed) {
            if *fresh {
                c.files
                    .insert(f.rel.clone(), (f.text.clone(), r.clone(), d.clone()));
            }
        }
    }
}
