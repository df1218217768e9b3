//! Stage 2, validate: turn loaded files into the immutable [`Site`], or the
//! full list of what is wrong.
//!
//! Validation is a list of named passes (below, in [`validate_cached`]);
//! each reports into the shared [`Diagnostics`] and goes on, so nothing
//! stops at the first problem. Programme files are checked against the
//! *declared* model (dimensions and measures from `_site.yaml`), so a
//! dataset with other columns needs no code change. Positions come from
//! `yaml::locate`.
//!
//! | pass | file | what |
//! | --- | --- | --- |
//! | text | `text.rs` | control and invisible characters in the config, sources, registries (E016, W106) |
//! | config | `config.rs` | `_site.yaml` into the declared model (E001–E004, E015) |
//! | sources | `sources.rs` | `_sources.yaml` (E006, E007, E004) |
//! | registries | `registries.rs` | each dimension's values (E005–E007, E015) |
//! | programme files | `cache.rs`, `programme.rs`, `measures.rs` | each file alone, in parallel (E001–E004, E007, E008, E016, W106) |
//! | ids | `ids.rs` | unique ids, aliases (E006, E007, E014) |
//! | references | `refs.rs` | sources, dimension values, `continues` (E005, E008, E009, E012) |
//! | groups | `groups.rs` | measures and shared groups (E005, E009, E012) |
//! | series | `series.rs` | records of fiscal years as series, by key and the editor's judgements (E005, E017) |
//! | model | `model/build.rs` | the indexed [`Site`] (no problems: only what passed) |
//! | rules | `rules.rs`, `arith.rs`, `plausibility.rs` | totals, rates, plausibility, base URL (E010, E011, W101–W105) |

mod arith;
mod cache;
mod config;
mod context;
mod groups;
mod ids;
mod measures;
mod plausibility;
mod programme;
mod raw;
mod refs;
mod registries;
mod rules;
mod series;
mod sources;
mod text;

pub use cache::ParseCache;
pub use text::text_diagnostics;

use crate::config::Overrides;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::load::{Loaded, SourceFile};
use crate::model::Site;
use context::Ctx;
use std::collections::HashMap;

/// Validates everything loaded and builds the site.
pub fn validate(loaded: &Loaded) -> Result<(Site, Diagnostics), Diagnostics> {
    validate_cached(loaded, None, &Overrides::default())
}

/// [`validate`], reusing and refreshing `cache` when given, with the
/// settings of the command line (`overrides`) in place of the config's.
pub fn validate_cached(
    loaded: &Loaded,
    cache: Option<&mut ParseCache>,
    overrides: &Overrides,
) -> Result<(Site, Diagnostics), Diagnostics> {
    let mut files: Vec<&SourceFile> = Vec::new();
    files.extend(loaded.site.iter());
    files.extend(loaded.sources.iter());
    files.extend(loaded.registries.iter());
    let prog_file_base = files.len();
    files.extend(loaded.programmes.iter());
    let mut cx = Ctx {
        diags: loaded.diagnostics.clone(),
        files,
        scratch: Diagnostic::new(Code::E001, "", 1, 1, ""),
    };

    text::scan_top_files(&mut cx, prog_file_base);
    let Some(mut config) = config::parse(&mut cx, loaded) else {
        return Err(cx.diags);
    };
    overrides.apply(&mut config);
    let sources = sources::parse(&mut cx, loaded, &config);
    let (dims, lookups) = registries::load(&mut cx, loaded, &config);
    let raws = cache::parse_all(&mut cx, loaded, &config, prog_file_base, cache);
    let (raws, id_index) = ids::check(&mut cx, raws);
    let mut programmes = refs::resolve(
        &mut cx, &raws, &id_index, &config, &sources, &dims, &lookups,
    );
    groups::resolve(&mut cx, &raws, &id_index, &config, &mut programmes);
    let (series, judgements) = series::resolve(
        &mut cx,
        loaded,
        &raws,
        &id_index,
        &config,
        &dims,
        &mut programmes,
    );
    if cx.diags.has_errors() {
        return Err(cx.diags);
    }

    let mut site = Site::build(config, sources, dims, programmes, series, judgements);
    let files: Vec<Option<&str>> = site.sources.iter().map(|s| s.file.as_deref()).collect();
    site.source_tables = crate::load::source_tables(&loaded.dir, &files);
    let mut diags = cx.diags;
    let by_rel: HashMap<&str, &SourceFile> = loaded
        .programmes
        .iter()
        .chain(loaded.sources.iter())
        .chain(loaded.site.iter())
        .map(|f| (f.rel.as_str(), f))
        .collect();
    rules::run(&site, &mut diags, &|file: &str| {
        by_rel
            .get(file)
            .map(|f| (f.display.clone(), f.text.clone()))
    });
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((site, diags))
}
