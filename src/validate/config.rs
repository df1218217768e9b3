//! The site config pass: `_site.yaml` parsed into the declared data model
//! and its rules checked (E015: reserved keys, folders, rule parts).

use super::context::Ctx;
use super::context::{k, refused};
use crate::config::SiteConfig;
use crate::diag::{Code, Diagnostic};
use crate::load::Loaded;
use crate::model::rules::{is_valid_slug, CORE_KEYS};
use crate::model::Date;
use crate::yaml::{self, Seg};
use std::collections::BTreeSet;

/// Parses `_site.yaml` (file 0) and checks it; `None` when it is missing or
/// does not parse (nothing else can be checked then).
pub(super) fn parse(cx: &mut Ctx, loaded: &Loaded) -> Option<SiteConfig> {
    let Some(site_file) = loaded.site.as_ref() else {
        if !refused(loaded, "_site.yaml") && !loaded.folder_missing {
            cx.diags.push(Diagnostic::new(Code::E003, "content/_site.yaml", 1, 1, "missing site config `_site.yaml`")
                .with_help("every content folder needs a _site.yaml declaring dimensions and measures; see docs/format.md"));
        }
        return None;
    };
    match yaml::parse(&site_file.text).and_then(|v| yaml::deserialize(v, &site_file.text)) {
        Ok(c) => {
            check_config(cx, &c);
            Some(c)
        }
        Err(e) => {
            cx.yaml_err(0, e);
            None
        }
    }
}

fn check_config(cx: &mut Ctx, config: &SiteConfig) {
    // Both name folders: a slug cannot leave themes/ or content/.
    if !is_valid_slug(&config.theme) {
        cx.err(Code::E015, 0, &[k("theme")], format!("theme `{}` must be a folder name under themes/ (lowercase letters, digits, hyphens)", config.theme));
    }
    if let Some(d) = &config.as_of {
        if Date::parse_iso(d).is_none() {
            cx.err(
                Code::E015,
                0,
                &[k("as_of")],
                format!("as_of `{d}` is not a date in the form YYYY-MM-DD"),
            );
        }
    }
    if let Some(url) = config.license.as_ref().and_then(|l| l.url.as_ref()) {
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || !crate::markdown::is_safe_url(url)
        {
            cx.err(
                Code::E015,
                0,
                &[k("license"), k("url")],
                format!("license url `{url}` is not an http(s) URL"),
            );
        }
    }
    if let Some(img) = &config.og_image {
        let absolute = img.starts_with("https://") || img.starts_with("http://");
        if (absolute && !crate::markdown::is_safe_url(img))
            || (!absolute && (img.contains(':') || !crate::output::is_safe_path(img)))
        {
            cx.err(
                Code::E015,
                0,
                &[k("og_image")],
                format!("og_image `{img}` is neither an http(s) URL nor a path inside the site (`assets/share.png`)"),
            );
        }
    }
    if !is_valid_slug(&config.programme_dir) {
        cx.err(Code::E015, 0, &[k("programme_dir")], format!("programme_dir `{}` must be a folder name inside content/ (lowercase letters, digits, hyphens)", config.programme_dir));
    }
    let mut keys = BTreeSet::new();
    check_dimensions(cx, config, &mut keys);
    check_measures(cx, config, &mut keys);
    // A dimension's codes are the data files' `<key>_code` column.
    for (i, d) in config.dimensions.iter().enumerate() {
        let code = format!("{}_code", d.key);
        if keys.contains(&code) {
            cx.err(
                Code::E015,
                0,
                &[k("dimensions"), Seg::Index(i), k("key")],
                format!(
                    "key `{code}` is taken by the code column of dimension `{}` in the data files",
                    d.key
                ),
            );
        }
    }
    check_rules(cx, config);
    check_series(cx, config);
}

/// The series key names dimensions or the core fields a key may use; the
/// editorial file is a top-level `_*.yaml`.
fn check_series(cx: &mut Ctx, config: &SiteConfig) {
    let Some(decl) = &config.series else { return };
    if decl.key.is_empty() {
        cx.err(
            Code::E015,
            0,
            &[k("series"), k("key")],
            "`series.key` lists no field".to_string(),
        );
    }
    let known: Vec<&str> = config
        .dimensions
        .iter()
        .map(|d| d.key.as_str())
        .chain(super::series::KEY_FIELDS.iter().copied())
        .collect();
    for (i, f) in decl.key.iter().enumerate() {
        if !known.contains(&f.as_str()) {
            let d = cx.err(Code::E015, 0, &[k("series"), k("key"), Seg::Index(i)], format!(
                "`{f}` cannot be part of a series key: name a dimension or one of name, part, implementer"));
            if let Some(s) = crate::diag::did_you_mean(f, known.iter().copied()) {
                d.help = Some(format!("did you mean `{s}`?"));
            }
        }
    }
    if !(decl.editorial.starts_with('_')
        && decl.editorial.ends_with(".yaml")
        && !decl.editorial.contains('/'))
    {
        cx.err(
            Code::E015,
            0,
            &[k("series"), k("editorial")],
            format!(
                "`{}`: the editorial file is a `_<name>.yaml` at the top of the content folder",
                decl.editorial
            ),
        );
    }
}

/// Dimension keys unique and not reserved; each with values; page folders
/// that are slugs and not the site's own folders.
fn check_dimensions(cx: &mut Ctx, config: &SiteConfig, keys: &mut BTreeSet<String>) {
    for (i, d) in config.dimensions.iter().enumerate() {
        let p = [k("dimensions"), Seg::Index(i), k("key")];
        if CORE_KEYS.contains(&d.key.as_str()) {
            cx.err(
                Code::E015,
                0,
                &p,
                format!("dimension key `{}` is a reserved programme field", d.key),
            );
        }
        if !keys.insert(d.key.clone()) {
            cx.err(
                Code::E015,
                0,
                &p,
                format!("key `{}` is declared twice", d.key),
            );
        }
        if d.registry.is_none() && d.values.is_empty() {
            cx.err(
                Code::E015,
                0,
                &[k("dimensions"), Seg::Index(i)],
                format!(
                    "dimension `{}` declares neither `registry` nor `values`",
                    d.key
                ),
            );
        }
        if let Some(path) = &d.path {
            if !is_valid_slug(path)
                || [
                    "programmes",
                    "embed",
                    "data",
                    "search",
                    "assets",
                    "years",
                    "sources",
                    "accessibility",
                ]
                .contains(&path.as_str())
            {
                cx.err(
                    Code::E015,
                    0,
                    &[k("dimensions"), Seg::Index(i), k("path")],
                    format!("`{path}` cannot be a page folder (reserved or not a slug)"),
                );
            }
        }
    }
}

/// Measure keys unique, their paths not in reserved fields.
fn check_measures(cx: &mut Ctx, config: &SiteConfig, keys: &mut BTreeSet<String>) {
    for (i, m) in config.measures.iter().enumerate() {
        let p = [k("measures"), Seg::Index(i), k("key")];
        if !keys.insert(m.key.clone()) {
            cx.err(
                Code::E015,
                0,
                &p,
                format!("key `{}` is declared twice", m.key),
            );
        }
        let top = m.file_path().split('.').next().unwrap_or("");
        if CORE_KEYS.contains(&top) {
            cx.err(
                Code::E015,
                0,
                &p,
                format!(
                    "measure path `{}` uses a reserved programme field",
                    m.file_path()
                ),
            );
        }
    }
}

/// Rules of a known kind, naming declared measures and dimensions.
fn check_rules(cx: &mut Ctx, config: &SiteConfig) {
    for (i, r) in config.rules.iter().enumerate() {
        let base = [k("rules"), Seg::Index(i)];
        if r.kind != "max_ratio" {
            cx.err(
                Code::E015,
                0,
                &base,
                format!("unknown rule kind `{}` (known: max_ratio)", r.kind),
            );
        }
        for (field, key) in [("measure", &r.measure), ("of", &r.of)] {
            if !config.measures.iter().any(|m| &m.key == key) {
                let mut p = base.to_vec();
                p.push(k(field));
                cx.err(
                    Code::E015,
                    0,
                    &p,
                    format!("rule names unknown measure `{key}`"),
                );
            }
        }
        if !config.dimensions.iter().any(|d| d.key == r.rate_from) {
            let mut p = base.to_vec();
            p.push(k("rate_from"));
            cx.err(
                Code::E015,
                0,
                &p,
                format!("rule names unknown dimension `{}`", r.rate_from),
            );
        }
    }
}
