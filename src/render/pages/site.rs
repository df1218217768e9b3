//! The site's own pages: the open-data page, each dimension's list page,
//! the search page, the accessibility statement and the 404 page.

use super::base_ctx;
use crate::output::OutputFile;
use crate::render::data;
use crate::render::jobs::{value_page_starts, Renderer, PAGE_ROWS};
use crate::render::view;
use crate::urls;
use anyhow::Result;

/// A dimension of at most this many values lists them in the glossary.
const GLOSSARY_VALUES: usize = 30;

impl Renderer<'_> {
    /// data/index.html: the downloads and what each column means.
    pub(crate) fn data_page(&self) -> Result<OutputFile> {
        let (site, sv) = (self.site, &self.sv);
        let mut ctx = base_ctx(sv, urls::DATA_PAGE, "オープンデータ");
        ctx.insert("columns", &data::column_docs(site));
        // The code columns: (key, the dimension's label, whether the codes
        // are 全国地方公共団体コード, whether a value may be several).
        let code_columns: Vec<(String, &str, bool, bool)> = site
            .dims
            .iter()
            .filter(|d| data::has_codes(d))
            .map(|d| {
                (
                    data::code_key(d),
                    d.decl.label.as_str(),
                    d.decl.local_government_codes,
                    d.decl.multiple,
                )
            })
            .collect();
        ctx.insert("code_columns", &code_columns);
        ctx.insert("downloads", self.dl(urls::HOME));
        let (whole, per_value) = (&self.whole_formats, &self.value_formats);
        let dim_data: Vec<(String, String)> = if per_value.is_empty() {
            Vec::new()
        } else {
            site.dims
                .iter()
                .filter_map(|d| d.decl.path.clone().map(|p| (d.decl.label.clone(), p)))
                .collect()
        };
        ctx.insert("dim_data", &dim_data);
        ctx.insert("data_formats", &whole);
        ctx.insert(
            "json_offered",
            &whole
                .iter()
                .chain(per_value.iter())
                .any(|f| *f == crate::config::DataFormat::Json),
        );
        // Each value's files: their first name, whether there are
        // more, and how their formats compare with the whole list's.
        ctx.insert(
            "value_suffix",
            per_value.first().map(|f| f.suffix()).unwrap_or_default(),
        );
        ctx.insert("value_more", &(per_value.len() > 1));
        let kinds = if per_value == whole {
            "同じ形式の".to_string()
        } else {
            per_value
                .iter()
                .map(|f| f.label())
                .collect::<Vec<_>>()
                .join("・")
                + "の"
        };
        ctx.insert("value_kinds", &kinds);
        self.insert_open_data_files(&mut ctx);
        if site.multi_year() {
            let labels: Vec<String> = site
                .years
                .iter()
                .map(|&y| super::years::label(site, y))
                .collect();
            ctx.insert("years", &labels);
            let changes: Vec<serde_json::Value> = if site.compares_years() {
                site.years
                    .windows(2)
                    .map(|w| {
                        serde_json::json!({
                            "label": format!("{} → {}", super::years::label(site, w[0]), super::years::label(site, w[1])),
                            "files": data::set_downloads(&urls::Urls::changes_base(w[0], w[1]), whole),
                        })
                    })
                    .collect()
            } else {
                Vec::new()
            };
            ctx.insert("changes", &changes);
        }
        Ok(OutputFile::new(
            urls::DATA_PAGE,
            self.theme.render("data.html", &ctx)?,
        ))
    }

    /// The data page's lists of the files besides the programme lists: the
    /// sources files and tables, the per-programme documents, the schema
    /// and the feeds.
    fn insert_open_data_files(&self, ctx: &mut tera::Context) {
        let (site, whole) = (self.site, &self.whole_formats);
        ctx.insert(
            "sources_files",
            &data::set_downloads(urls::DATA_SOURCES, whole),
        );
        let mut tables: Vec<(String, String)> = site
            .source_tables
            .iter()
            .flatten()
            .map(|t| (t.name.clone(), urls::Urls::source_table(&t.name)))
            .collect();
        tables.sort();
        tables.dedup();
        ctx.insert("source_tables", &tables);
        ctx.insert("programme_data", &site.config.outputs.programme_data);
        ctx.insert("schema", urls::SCHEMA);
        let feeds: Vec<(String, String)> = if site.config.outputs.value_feeds {
            site.dims
                .iter()
                .filter_map(|d| d.decl.path.clone().map(|p| (d.decl.label.clone(), p)))
                .collect()
        } else {
            Vec::new()
        };
        ctx.insert("value_feeds", &feeds);
    }

    /// Page `page` of the list of dimension `d`: its values (in their
    /// declared order, at most `PAGE_ROWS` a page) with counts and totals.
    pub(crate) fn dimension_index(&self, d: usize, page: usize) -> Result<OutputFile> {
        let dim = &self.site.dims[d];
        let path = self.urls().dimension_page(d, page).unwrap_or_default();
        let all = &self.entries[d];
        let starts = value_page_starts(all.len());
        let dir = dim.decl.path.as_deref().unwrap_or_default();
        let pager = super::lists::pager(dir, &starts, all.len(), page);
        let title = match &pager {
            Some(p) => format!("{}（{}/{}ページ）", dim.decl.label, p.current, p.total),
            None => dim.decl.label.clone(),
        };
        let mut ctx = base_ctx(&self.sv, &path, &title);
        if let Some(p) = &pager {
            ctx.insert("pager", p);
        }
        let start = starts.get(page).copied().unwrap_or(0).min(all.len());
        let end = (start + PAGE_ROWS).min(all.len());
        ctx.insert("dim_label", &dim.decl.label);
        ctx.insert("dim_term", &view::dim_term(&dim.decl));
        ctx.insert("dim_reading", &dim.decl.reading.clone().unwrap_or_default());
        ctx.insert("dim_ruby", &dim.decl.ruby);
        ctx.insert("entries", &all[start..end]);
        ctx.insert("measures", &super::summed_measure_labels(self.site));
        if self.site.multi_year() {
            ctx.insert(
                "year_label",
                &super::years::label(self.site, self.site.latest_year()),
            );
        }
        Ok(OutputFile::new(
            path,
            self.theme.render("dimension_index.html", &ctx)?,
        ))
    }

    /// search/index.html, with the facets of the declared dimensions.
    pub(crate) fn search_page(&self) -> Result<OutputFile> {
        let mut ctx = base_ctx(&self.sv, urls::SEARCH, "検索");
        let facets: Vec<view::NavItem> = self
            .site
            .dims
            .iter()
            .filter(|d| d.decl.facet)
            .map(|d| view::NavItem {
                label: d.decl.label.clone(),
                href: d.decl.key.clone(),
            })
            .collect();
        ctx.insert("facets", &facets);
        Ok(OutputFile::new(
            urls::SEARCH,
            self.theme.render("search.html", &ctx)?,
        ))
    }

    /// glossary/index.html: each declared dimension and measure that
    /// explains itself (`description`), with its reading, and under a
    /// dimension of a few values the values that explain themselves.
    pub(crate) fn glossary_page(&self) -> Result<OutputFile> {
        let site = self.site;
        let mut ctx = base_ctx(&self.sv, urls::GLOSSARY, "用語の説明");
        let u = urls::Urls::new(site);
        let dims: Vec<serde_json::Value> = site
            .dims
            .iter()
            .enumerate()
            .filter(|(_, d)| d.decl.description.is_some())
            .map(|(d, dim)| {
                // The values of a short list are explained here too (事業分類:
                // 労働力確保事業 and 処遇改善事業); a long one on its pages.
                let values: Vec<serde_json::Value> = if dim.entries.len() <= GLOSSARY_VALUES {
                    dim.entries
                        .iter()
                        .enumerate()
                        .filter_map(|(e, entry)| {
                            let text = entry.description.as_deref()?;
                            Some(serde_json::json!({
                                "name": entry.name,
                                "reading": entry.reading,
                                "href": u.value(d, e).unwrap_or_default(),
                                "description_html": crate::markdown::to_html(text),
                            }))
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                serde_json::json!({
                    "id": view::dim_term_id(&dim.decl),
                    "label": dim.decl.label,
                    "reading": dim.decl.reading,
                    "href": u.dimension(d).unwrap_or_default(),
                    "description": dim.decl.description,
                    "values": values,
                })
            })
            .collect();
        let measures: Vec<serde_json::Value> = site
            .measures
            .iter()
            .filter(|m| m.description.is_some())
            .map(|m| {
                serde_json::json!({
                    "id": view::measure_term_id(m),
                    "label": m.label,
                    "reading": m.reading,
                    "unit": m.unit,
                    "description": m.description,
                })
            })
            .collect();
        ctx.insert("dims", &dims);
        ctx.insert("measures", &measures);
        Ok(OutputFile::new(
            urls::GLOSSARY,
            self.theme.render("glossary.html", &ctx)?,
        ))
    }

    /// accessibility/index.html.
    pub(crate) fn accessibility_page(&self) -> Result<OutputFile> {
        let site = self.site;
        let mut ctx = base_ctx(&self.sv, urls::ACCESSIBILITY, "アクセシビリティについて");
        // Only what is true of this site: its page kinds, its readings,
        // whether it has 該当なし figures; and that the tests named were run
        // on the tool's example sites, not on this build.
        let item = &site.config.item_label;
        let mut kinds = vec![
            "トップ".to_string(),
            format!("{item}一覧"),
            format!("各{item}"),
        ];
        kinds.extend(
            site.dims
                .iter()
                .filter(|d| d.decl.path.is_some())
                .map(|d| d.decl.label.clone()),
        );
        if site.multi_year() {
            kinds.push("年度".into());
        }
        if site.config.outputs.has_data() {
            kinds.push("オープンデータ".into());
        }
        if site.config.outputs.search {
            kinds.push("検索".into());
        }
        if site.config.outputs.embed {
            kinds.push("埋め込み表示".into());
        }
        ctx.insert("page_kinds", &kinds.join("、"));
        let ruby: Vec<&str> = site
            .dims
            .iter()
            .filter(|d| d.decl.ruby && d.entries.iter().any(|e| e.reading.is_some()))
            .map(|d| d.decl.label.as_str())
            .collect();
        ctx.insert("ruby_dims", &ruby.join("・"));
        ctx.insert(
            "has_na",
            &site.programmes.iter().any(|p| {
                p.measures
                    .iter()
                    .any(|m| matches!(m, crate::model::MeasureValue::NotApplicable))
            }),
        );
        ctx.insert("version", env!("CARGO_PKG_VERSION"));
        Ok(OutputFile::new(
            urls::ACCESSIBILITY,
            self.theme.render("accessibility.html", &ctx)?,
        ))
    }

    /// 404.html. A server shows it for a missing address at any depth, so
    /// no link of it may be relative: with a base URL every link is
    /// absolute; without one, root-relative (`/assets/style.css`), which
    /// works wherever the site is served from the root of its host
    /// (Netlify, Cloudflare Pages, GitHub Pages on a user site or its own
    /// domain, nginx at `/`, `mieruka serve`). A site in a subfolder needs
    /// its base URL (W104 says so; docs/limits.md).
    pub(crate) fn not_found_page(&self) -> Result<OutputFile> {
        let mut ctx = base_ctx(&self.sv, urls::NOT_FOUND, "ページが見つかりません");
        ctx.insert("root", &self.urls().base().unwrap_or_else(|| "/".into()));
        Ok(OutputFile::new(
            urls::NOT_FOUND,
            self.theme.render("404.html", &ctx)?,
        ))
    }
}
