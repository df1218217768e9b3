//! The series pass: which records are the same programme in other fiscal
//! years, as declared (`series.key` in `_site.yaml`) and as the editor
//! recorded (`_series.yaml`) — never guessed (E017, E005).
//!
//! A record's series is its `series:` field, or else the id minted from its
//! key ([`series::mint_id`]), which is what the importer writes. Then:
//! a series has at most one record per year; records with the same key in
//! different years are one series; records of one series with different
//! keys must be joined by a recorded `continues` judgement; every
//! judgement names known records of earlier and later years.

use super::context::{k, Ctx};
use super::raw::RawProgramme;
use crate::config::{Continuity, SiteConfig};
use crate::diag::chars::differs;
use crate::diag::{did_you_mean, Code};
use crate::load::Loaded;
use crate::model::rules::is_valid_slug;
use crate::model::series::{self as keys, key_of};
use crate::model::{DimModel, Judgement, JudgementKind, Programme, Series};
use crate::yaml::{self, Seg};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Fields a series key may name besides the dimensions.
pub(super) const KEY_FIELDS: &[&str] = &["name", "part", "implementer"];

/// Every programme's series (filling `Programme::series`), the series, and
/// the editor's judgements.
pub(super) fn resolve(
    cx: &mut Ctx,
    loaded: &Loaded,
    raws: &[Arc<RawProgramme>],
    id_index: &HashMap<String, usize>,
    config: &SiteConfig,
    dims: &[DimModel],
    programmes: &mut [Programme],
) -> (Vec<Series>, Vec<Judgement>) {
    let Some(decl) = &config.series else {
        // Every record is its own series, named by its id.
        let series = programmes
            .iter_mut()
            .enumerate()
            .map(|(pi, p)| {
                p.series = pi;
                Series {
                    id: p.id.clone(),
                    records: vec![pi],
                }
            })
            .collect();
        return (series, Vec::new());
    };
    let keys: Vec<String> = programmes
        .iter()
        .map(|p| record_key(p, &decl.key, config, dims))
        .collect();
    let (judgements, entries) = read_judgements(cx, loaded, &decl.editorial, id_index, programmes);
    // Series ids: written, or minted from the key; a record that an
    // editor's `continues` judgement joins to an earlier one takes the
    // earlier one's series (judgements applied in year order, so a chain of
    // renames stays one series).
    let mut ids: Vec<String> = raws
        .iter()
        .enumerate()
        .map(|(pi, r)| match &r.series {
            Some(s) => {
                if !is_valid_slug(s) {
                    cx.err(Code::E007, r.file, &[k("series")], format!(
                        "series `{s}` must be lowercase letters, digits and single hyphens (it is a URL)"));
                }
                s.clone()
            }
            None => keys::mint_id(&keys[pi], 8),
        })
        .collect();
    let mut joins: Vec<(usize, usize)> = judgements
        .iter()
        .filter(|j| j.kind == JudgementKind::Continues)
        .filter_map(|j| Some((*j.from.first()?, *j.to.first()?)))
        .collect();
    joins.sort_by_key(|&(_, to)| programmes[to].fiscal_year);
    for (from, to) in joins {
        if raws[to].series.is_none() {
            let earlier = ids[from].clone();
            // Every record that shared the later one's key follows it.
            let was = std::mem::replace(&mut ids[to], earlier.clone());
            for (pi, id) in ids.iter_mut().enumerate() {
                if *id == was && raws[pi].series.is_none() && keys[pi] == keys[to] {
                    *id = earlier.clone();
                }
            }
        }
    }
    let mut by_id: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (pi, id) in ids.into_iter().enumerate() {
        by_id.entry(id).or_default().push(pi);
    }
    let series: Vec<Series> = by_id
        .into_iter()
        .map(|(id, records)| Series { id, records })
        .collect();
    for (si, s) in series.iter().enumerate() {
        for &p in &s.records {
            programmes[p].series = si;
        }
    }
    ids_apart_from_records(cx, raws, programmes, &series);
    one_record_a_year(cx, raws, programmes, &series);
    same_key_same_series(cx, raws, programmes, &series, &keys);
    joined_by_key_or_judgement(cx, raws, &series, &keys, &judgements);
    if let Some(fi) = editorial_file(cx, loaded, &decl.editorial) {
        check_continues(cx, fi, &entries, programmes, &series, &judgements);
    }
    (series, judgements)
}

/// The key of a record: its key fields' values (a dimension's by the
/// value's name), folded.
fn record_key(p: &Programme, fields: &[String], config: &SiteConfig, dims: &[DimModel]) -> String {
    let mut values: Vec<String> = Vec::new();
    for f in fields {
        match f.as_str() {
            "name" => values.push(p.name.clone()),
            "part" => values.push(p.part.clone().unwrap_or_default()),
            "implementer" => values.push(p.implementer.clone().unwrap_or_default()),
            other => {
                if let Some(d) = config.dimensions.iter().position(|d| d.key == other) {
                    let names: Vec<&str> = p.dims[d]
                        .iter()
                        .map(|&e| dims[d].entries[e].name.as_str())
                        .collect();
                    values.push(names.join("\u{1e}"));
                }
            }
        }
    }
    key_of(values.iter().map(String::as_str))
}

/// E017: a series' permalink (`programmes/<series>/`) is not the address of
/// a record's id or alias (which redirect to the record's page).
fn ids_apart_from_records(
    cx: &mut Ctx,
    raws: &[Arc<RawProgramme>],
    programmes: &[Programme],
    series: &[Series],
) {
    let taken: HashMap<&str, usize> = programmes
        .iter()
        .enumerate()
        .flat_map(|(pi, p)| {
            std::iter::once(p.id.as_str())
                .chain(p.aliases.iter().map(String::as_str))
                .map(move |id| (id, pi))
        })
        .collect();
    for s in series {
        if let Some(&pi) = taken.get(s.id.as_str()) {
            let r = &raws[s.records[0]];
            cx.err(
                Code::E017,
                r.file,
                &series_path(r),
                format!(
                    "series `{}` has the address of the record {} (`programmes/{}/`)",
                    s.id, programmes[pi].id, s.id
                ),
            )
            .help = Some(
                "a series id must differ from every record id and alias: choose another `series:`"
                    .into(),
            );
        }
    }
}

/// E017: a series has at most one record per fiscal year.
fn one_record_a_year(
    cx: &mut Ctx,
    raws: &[Arc<RawProgramme>],
    programmes: &[Programme],
    series: &[Series],
) {
    for s in series {
        let mut seen: BTreeMap<i32, usize> = BTreeMap::new();
        for &p in &s.records {
            let y = programmes[p].fiscal_year;
            if let Some(&other) = seen.get(&y) {
                let of = cx.files[raws[other].file].display.clone();
                cx.err(Code::E017, raws[p].file, &series_path(&raws[p]), format!(
                    "series `{}` has two records in fiscal year {y}: this one and {of}", s.id))
                    .help = Some("a series is one programme across years, with one record a year: give one of them another `series:` (or, when both share the key, add a field to `series.key` in _site.yaml that tells them apart)".into());
            } else {
                seen.insert(y, p);
            }
        }
    }
}

/// Where a record's series is written (its `series:`, else the file).
fn series_path(r: &RawProgramme) -> Vec<Seg> {
    if r.series.is_some() {
        vec![k("series")]
    } else {
        Vec::new()
    }
}

/// E017: records with the same key are the same programme: one series.
fn same_key_same_series(
    cx: &mut Ctx,
    raws: &[Arc<RawProgramme>],
    programmes: &[Programme],
    series: &[Series],
    keys: &[String],
) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (pi, key) in keys.iter().enumerate() {
        match first.get(key.as_str()) {
            None => {
                first.insert(key, pi);
            }
            Some(&other) if programmes[other].series != programmes[pi].series => {
                let (a, b) = (
                    &series[programmes[other].series].id,
                    &series[programmes[pi].series].id,
                );
                let of = cx.files[raws[other].file].display.clone();
                cx.err(Code::E017, raws[pi].file, &series_path(&raws[pi]), format!(
                    "has the same series key as {of} (series `{a}`), but is in series `{b}`"))
                    .help = Some(format!("records with the same key are one programme: write `series: {a}`; if they are different programmes, add a field to `series.key` in _site.yaml that tells them apart"));
            }
            Some(_) => {}
        }
    }
}

/// E017: records of one series with different keys must be joined by
/// recorded `continues` judgements (a rename is the editor's call).
fn joined_by_key_or_judgement(
    cx: &mut Ctx,
    raws: &[Arc<RawProgramme>],
    series: &[Series],
    keys: &[String],
    judgements: &[Judgement],
) {
    for s in series {
        // Union the records by key and by judgement; all must end as one.
        let mut group: HashMap<usize, usize> = s.records.iter().map(|&p| (p, p)).collect();
        fn find(g: &mut HashMap<usize, usize>, p: usize) -> usize {
            let up = g[&p];
            if up == p {
                return p;
            }
            let root = find(g, up);
            g.insert(p, root);
            root
        }
        let join = |g: &mut HashMap<usize, usize>, a: usize, b: usize| {
            let (ra, rb) = (find(g, a), find(g, b));
            g.insert(ra, rb);
        };
        for (i, &a) in s.records.iter().enumerate() {
            for &b in &s.records[i + 1..] {
                if keys[a] == keys[b] {
                    join(&mut group, a, b);
                }
            }
        }
        for j in judgements
            .iter()
            .filter(|j| j.kind == JudgementKind::Continues)
        {
            if let (Some(&a), Some(&b)) = (j.from.first(), j.to.first()) {
                if group.contains_key(&a) && group.contains_key(&b) {
                    join(&mut group, a, b);
                }
            }
        }
        let first = s.records[0];
        let root = find(&mut group, first);
        for &p in &s.records[1..] {
            if find(&mut group, p) != root {
                let of = cx.files[raws[first].file].display.clone();
                cx.err(Code::E017, raws[p].file, &series_path(&raws[p]), format!(
                    "is in series `{}` with {of}, but its series key differs and no judgement joins them",
                    s.id))
                    .help = Some("a series joins records with the same key; a rename is an editor's judgement: record it in the editorial file (`continues: <earlier id>`, `as: <this id>`, `note: …`), or give this record its own series".into());
            }
        }
    }
}

/// The index of the editorial file among the files read, when it exists.
fn editorial_file(cx: &Ctx, loaded: &Loaded, file: &str) -> Option<usize> {
    let f = loaded.registries.iter().find(|f| f.rel == file)?;
    cx.files.iter().position(|x| std::ptr::eq(*x, f))
}

/// The editorial file's judgements, each checked: one form, known records,
/// earlier before later (a `continues` whose records share a series is
/// checked once series are known, in [`check_continues`]); with each, the
/// index of its entry in the file.
fn read_judgements(
    cx: &mut Ctx,
    loaded: &Loaded,
    file: &str,
    id_index: &HashMap<String, usize>,
    programmes: &[Programme],
) -> (Vec<Judgement>, Vec<usize>) {
    let Some(fi) = editorial_file(cx, loaded, file) else {
        return (Vec::new(), Vec::new());
    };
    let text = &cx.files[fi].text;
    let entries =
        match yaml::parse(text).and_then(|v| yaml::deserialize::<Vec<Continuity>>(v, text)) {
            Ok(e) => e,
            Err(e) => {
                cx.yaml_err(fi, e);
                return (Vec::new(), Vec::new());
            }
        };
    let (mut out, mut at) = (Vec::new(), Vec::new());
    for (i, c) in entries.iter().enumerate() {
        if let Some(j) = judgement(cx, fi, i, c, id_index, programmes) {
            out.push(j);
            at.push(i);
        }
    }
    (out, at)
}

/// A judgement's form: its kind, its earlier ids and their key, its later
/// ids and their key — or E002/E003 when it has no known form.
#[allow(clippy::type_complexity)]
fn form<'c>(
    cx: &mut Ctx,
    fi: usize,
    i: usize,
    c: &'c Continuity,
) -> Option<(
    JudgementKind,
    Vec<&'c str>,
    &'static str,
    Vec<&'c str>,
    &'static str,
)> {
    Some(match (&c.continues, &c.merged, &c.split) {
        (Some(a), None, None) if c.into.is_none() => match &c.as_ {
            Some(b) => (
                JudgementKind::Continues,
                vec![a],
                "continues",
                vec![b],
                "as",
            ),
            None => {
                cx.err(
                    Code::E003,
                    fi,
                    &[Seg::Index(i)],
                    "`continues` needs `as`: the record of a later year that continues it"
                        .to_string(),
                );
                return None;
            }
        },
        (None, Some(m), None) if c.as_.is_none() => match &c.into {
            Some(into) => (
                JudgementKind::Merged,
                m.iter().map(String::as_str).collect(),
                "merged",
                into.ids(),
                "into",
            ),
            None => {
                cx.err(
                    Code::E003,
                    fi,
                    &[Seg::Index(i)],
                    "`merged` needs `into`: the record they were merged into".to_string(),
                );
                return None;
            }
        },
        (None, None, Some(s)) if c.as_.is_none() => match &c.into {
            Some(into) => (JudgementKind::Split, vec![s], "split", into.ids(), "into"),
            None => {
                cx.err(
                    Code::E003,
                    fi,
                    &[Seg::Index(i)],
                    "`split` needs `into`: the records it was split into".to_string(),
                );
                return None;
            }
        },
        _ => {
            cx.err(Code::E002, fi, &[Seg::Index(i)], "a judgement is one of `{continues, as}`, `{merged, into}` or `{split, into}`, with a `note`".to_string());
            return None;
        }
    })
}

/// One entry of the editorial file as a judgement, or its problems.
fn judgement(
    cx: &mut Ctx,
    fi: usize,
    i: usize,
    c: &Continuity,
    id_index: &HashMap<String, usize>,
    programmes: &[Programme],
) -> Option<Judgement> {
    let at = |f: &str| vec![Seg::Index(i), k(f)];
    let (kind, from, from_key, to, to_key) = form(cx, fi, i, c)?;
    let mut resolve = |ids: &[&str], field: &str| -> Option<Vec<usize>> {
        let mut out = Vec::new();
        for (n, id) in ids.iter().enumerate() {
            match id_index.get(*id) {
                Some(&p) => out.push(p),
                None => {
                    let mut path = at(field);
                    if ids.len() > 1 {
                        path.push(Seg::Index(n));
                    }
                    let sugg = did_you_mean(id, programmes.iter().map(|p| p.id.as_str()));
                    cx.err(
                        Code::E005,
                        fi,
                        &path,
                        format!("`{id}` is not the id of a programme"),
                    )
                    .help = sugg.map(|s| format!("did you mean `{s}`?{}", differs(id, s)));
                }
            }
        }
        (out.len() == ids.len()).then_some(out)
    };
    let (from, to) = (resolve(&from, from_key)?, resolve(&to, to_key)?);
    let latest_from = from.iter().map(|&p| programmes[p].fiscal_year).max()?;
    let earliest_to = to.iter().map(|&p| programmes[p].fiscal_year).min()?;
    if latest_from >= earliest_to {
        cx.err(Code::E017, fi, &at(to_key), format!(
            "`{to_key}` must be of a later fiscal year than `{from_key}` ({earliest_to} is not after {latest_from})"));
        return None;
    }
    if c.note.trim().is_empty() {
        cx.err(
            Code::E008,
            fi,
            &at("note"),
            "a judgement needs its reasoning in `note` (shown on the pages)".to_string(),
        );
    }
    Some(Judgement {
        kind,
        from,
        to,
        note: c.note.clone(),
    })
}

/// E017: a `continues` judgement's two records share a series (the judgement
/// joins them unless the later record's file names another `series:`).
fn check_continues(
    cx: &mut Ctx,
    fi: usize,
    entries: &[usize],
    programmes: &[Programme],
    series: &[Series],
    judgements: &[Judgement],
) {
    for (&i, j) in entries.iter().zip(judgements) {
        let (Some(&a), Some(&b)) = (j.from.first(), j.to.first()) else {
            continue;
        };
        if j.kind == JudgementKind::Continues && programmes[a].series != programmes[b].series {
            let (sa, sb) = (
                &series[programmes[a].series].id,
                &series[programmes[b].series].id,
            );
            cx.err(Code::E017, fi, &[Seg::Index(i), k("as")], format!(
                "`{}` continues `{}`, but is in series `{sb}`, not `{sa}`",
                programmes[b].id, programmes[a].id))
                .help = Some(format!("{}'s file says `series: {sb}`: remove it (the judgement joins it to `{sa}`) or write `series: {sa}`", programmes[b].id));
        }
    }
}
