//! A theme's templates, compiled once into one tera instance (which is
//! `Sync`, so pages render in parallel), and the default theme compiled into
//! the binary.

use crate::output::OutputFile;
use crate::urls;
use anyhow::{Context as _, Result};
use std::path::Path;
use tera::{Context, Tera};

/// Compiled templates of a theme.
pub struct Theme {
    tera: Tera,
}

impl Theme {
    /// Loads and compiles every `*.html` template under `dir`.
    pub fn load(dir: &Path) -> Result<Theme> {
        let mut tera = Tera::new();
        let mut files: Vec<(std::path::PathBuf, String)> = Vec::new();
        for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let e = e.with_context(|| format!("reading templates in {}", dir.display()))?;
            if e.file_type().is_file()
                && e.path()
                    .extension()
                    .is_some_and(|x| x == "html" || x == "xml")
            {
                let name = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(e.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((e.path().to_path_buf(), name));
            }
        }
        if files.is_empty() {
            anyhow::bail!("no templates found in {}", dir.display());
        }
        register_filters(&mut tera);
        tera.add_template_files(files.iter().map(|(p, n)| (p.clone(), Some(n.clone()))))
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("compiling templates in {}", dir.display()))?;
        Ok(Theme { tera })
    }

    /// The default theme compiled into the binary (used when no
    /// `themes/default/` folder is found beside the content).
    pub fn builtin() -> Result<Theme> {
        let mut tera = Tera::new();
        register_filters(&mut tera);
        tera.add_raw_templates(BUILTIN_TEMPLATES.iter().copied())
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(Theme { tera })
    }

    /// Renders template `name` into bytes (UTF-8: Tera writes only strings;
    /// not re-validated as a `String`, which costs a pass over every page).
    pub(crate) fn render(&self, name: &str, ctx: &Context) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(name, ctx, &mut out)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("rendering template {name}"))?;
        Ok(out)
    }
}

/// The filters themes may use besides tera's own: `digits` writes a count
/// with thousands separators (`{{ entry.count | digits }}件` → 1,720件),
/// from the same formatting module as every figure.
fn register_filters(tera: &mut Tera) {
    tera.register_filter("digits", |n: i64, _: tera::Kwargs, _: &tera::State| {
        crate::format::count(n)
    });
}

macro_rules! theme_file {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../themes/default/templates/", $name)),
        )
    };
}

/// The default theme's templates, embedded.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    theme_file!("404.html"),
    theme_file!("accessibility.html"),
    theme_file!("glossary.html"),
    theme_file!("base.html"),
    theme_file!("change_table.html"),
    theme_file!("charts.html"),
    theme_file!("data.html"),
    theme_file!("dimension.html"),
    theme_file!("diff.html"),
    theme_file!("dim_totals.html"),
    theme_file!("dimension_index.html"),
    theme_file!("downloads.html"),
    theme_file!("embed.html"),
    theme_file!("entry_change.html"),
    theme_file!("index.html"),
    theme_file!("macros_table.html"),
    theme_file!("programme.html"),
    theme_file!("pager.html"),
    theme_file!("programmes.html"),
    theme_file!("redirect.html"),
    theme_file!("search.html"),
    theme_file!("series.html"),
    theme_file!("source.html"),
    theme_file!("year.html"),
    theme_file!("years.html"),
];

/// The default theme's static files, embedded (written under assets/).
pub fn builtin_static() -> Vec<OutputFile> {
    vec![
        OutputFile::new(
            format!("{}/style.css", urls::ASSETS),
            include_str!("../../themes/default/static/style.css"),
        ),
        OutputFile::new(
            format!("{}/embed.css", urls::ASSETS),
            include_str!("../../themes/default/static/embed.css"),
        ),
        OutputFile::new(
            format!("{}/favicon.svg", urls::ASSETS),
            include_str!("../../themes/default/static/favicon.svg"),
        ),
        OutputFile::new(
            format!("{}/search.js", urls::ASSETS),
            include_str!("../../themes/default/static/search.js"),
        ),
        OutputFile::new(
            format!("{}/copy.js", urls::ASSETS),
            include_str!("../../themes/default/static/copy.js"),
        ),
        OutputFile::new(
            format!("{}/sort.js", urls::ASSETS),
            include_str!("../../themes/default/static/sort.js"),
        ),
        OutputFile::new(
            format!("{}/embed.js", urls::ASSETS),
            include_str!("../../themes/default/static/embed.js"),
        ),
        OutputFile::new(
            format!("{}/embed-host.js", urls::ASSETS),
            include_str!("../../themes/default/static/embed-host.js"),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_in_templates_have_thousands_separators() {
        let mut tera = Tera::new();
        register_filters(&mut tera);
        tera.add_raw_template("t", "{{ n | digits }}件、{{ (a - b) | digits }}件")
            .unwrap();
        let mut ctx = Context::new();
        ctx.insert("n", &1720);
        ctx.insert("a", &12345);
        ctx.insert("b", &45);
        assert_eq!(tera.render("t", &ctx).unwrap(), "1,720件、12,300件");
    }
}
