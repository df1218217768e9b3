//! Stage 2, validate: turn loaded files into the immutable [`Site`], or the
//! full list of what is wrong.
//!
//! Every rule reports into [`Diagnostics`] and goes on; nothing stops at the
//! first problem. Programme files are checked against the *declared* model
//! (dimensions and measures from `_site.yaml`), so a dataset with other
//! columns needs no code change. Positions come from `yaml::locate`.

use crate::config::{Dimension, Entry, Measure, Registry, SiteConfig, Source};
use crate::diag::chars::{self, differs};
use crate::diag::{Code, did_you_mean, Diagnostic, Diagnostics};
use crate::load::{Loaded, SourceFile};
use crate::model::rules::{
    is_valid_slug, parse_rate, valid_lg_code, CORE_KEYS, MAX_NAME_CHARS, MAX_SUMMARY_CHARS,
};
use crate::model::{Date, DimModel, MeasureValue, Programme, Site};
use crate::yaml::{self, Seg, Value};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};

struct Ctx<'a> {
    diags: Diagnostics,
    files: Vec<&'a SourceFile>,
    /// Receives the details of problems not reported (file full).
    scratch: Diagnostic,
}

impl<'a> Ctx<'a> {
    fn at(&self, file: usize, path: &[Seg]) -> (usize, usize) {
        yaml::locate(&self.files[file].text, path)
    }
    fn err(
        &mut self,
        code: Code,
        file: usize,
        path: &[Seg],
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        let f = self.files[file];
        if self.diags.is_full(&f.display) {
            // Not reported: skip the cost of locating it.
            self.diags.note_dropped(&f.display);
            self.scratch = Diagnostic::new(code, &f.display, 1, 1, "");
            return &mut self.scratch;
        }
        let (l, c) = self.at(file, path);
        self.diags
            .push(Diagnostic::new(code, &f.display, l, c, msg).with_source(&f.text));
        self.last()
    }
    /// Whether `file` has as many diagnostics as are reported.
    fn full(&self, file: usize) -> bool {
        self.diags.is_full(&self.files[file].display)
    }
    fn last(&mut self) -> &mut Diagnostic {
        // Diagnostics has no last_mut; keep a small shim.
        self.diags.last_mut()
    }
    fn yaml_err(&mut self, file: usize, e: yaml::YamlError) {
        let f = self.files[file];
        let code = error_code(&e.kind);
        let mut d =
            Diagnostic::new(code, &f.display, e.line, e.column, e.message).with_source(&f.text);
        d.help = parse_error_help(code, &f.text, e.line);
        self.diags.push(d);
    }
}

fn k(s: &str) -> Seg {
    Seg::Key(s.to_string())
}

/// The code of a YAML problem: a file that does not parse, or parses but
/// does not fit its type, by what kind of problem it is.
fn error_code(kind: &yaml::ErrorKind) -> Code {
    use yaml::ErrorKind as K;
    match kind {
        K::Syntax | K::UnknownVariant | K::Other => Code::E001,
        K::ControlCharacter => Code::E016,
        K::NumberTooLarge => Code::E008,
        K::UnknownField => Code::E004,
        K::MissingField => Code::E003,
        K::WrongType => Code::E002,
    }
}

/// Help for a parse error: what to do about a raw control character, or
/// (E001, E004) a full-width space or colon in the YAML structure of the
/// error's line or the two lines before it (the parser often stops on the
/// line after the one that broke it).
fn parse_error_help(code: Code, text: &str, line: usize) -> Option<String> {
    match code {
        Code::E016 => Some(REFUSED_HELP.into()),
        Code::E001 => (0..3)
            .filter_map(|back| line.checked_sub(back).filter(|&l| l > 0))
            .find_map(|l| chars::yaml_structure_hint(text, l)),
        Code::E004 => chars::yaml_structure_hint(text, line),
        _ => None,
    }
}

/// Appends `extra` to a diagnostic's help (`; ` between them).
fn add_help(d: &mut Diagnostic, extra: Option<String>) {
    if let Some(x) = extra {
        d.help = Some(match d.help.take() {
            Some(h) => format!("{x}; {h}"),
            None => x,
        });
    }
}

const REFUSED_HELP: &str = "control characters break feeds, pages and data files (a NUL makes feed.xml unreadable for every feed reader): delete it (in a double-quoted string it may be written as an escape: `\\0`, `\\e`, `\\x1b`, `\\u001b`); text may hold tabs and line feeds, but no other character below U+0020, nor U+007F–U+009F";

/// E016 and W106 over every text of a file (keys and values, escapes
/// decoded): refused characters are errors, invisible ones warnings, one
/// diagnostic per text and kind, at the first such character.
pub fn text_diagnostics(display: &str, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for m in yaml::scalars_with(text, &chars::is_suspect) {
        let (refused, invisible): (Vec<_>, Vec<_>) =
            m.at.iter().partition(|(_, _, _, c)| chars::is_refused(*c));
        if let Some(&&(line, column, index, first)) = refused.first() {
            let what = names(&refused);
            let noun = if refused.iter().all(|a| chars::is_noncharacter(a.3)) {
                "noncharacter"
            } else {
                "control character"
            };
            let plural = if distinct(&refused).len() > 1 { "s" } else { "" };
            let help = if distinct(&refused) == ['\r'] {
                "text ends its lines with a line feed only: write `\\n` for `\\r`, or delete it (the file's own CRLF line ends are fine)".to_string()
            } else if chars::is_noncharacter(first) {
                "a noncharacter is not text (XML and HTML refuse it): delete it; it is written as an escape such as `\\uFFFF`".to_string()
            } else {
                REFUSED_HELP.to_string()
            };
            out.push(
                Diagnostic::new(Code::E016,
                    display,
                    line,
                    column,
                    format!("{noun}{plural} {what} in text: `{}`", chars::excerpt(&m.value, index)),
                )
                .with_help(help)
                .with_source(text),
            );
        }
        if let Some(&&(line, column, index, _)) = invisible.first() {
            let what = names(&invisible);
            let plural = if distinct(&invisible).len() > 1 { "s" } else { "" };
            let mut kinds: Vec<chars::Invisible> =
                invisible.iter().filter_map(|a| chars::invisible(a.3)).collect();
            kinds.sort();
            kinds.dedup();
            let help: Vec<&str> = kinds.iter().map(|k| invisible_help(*k)).collect();
            out.push(
                Diagnostic::new(Code::W106,
                    display,
                    line,
                    column,
                    format!(
                        "invisible character{plural} {what} in text: `{}`",
                        chars::excerpt(&m.value, index)
                    ),
                )
                .with_help(help.join("; "))
                .with_source(text),
            );
        }
    }
    out
}

/// The distinct characters of a list of picked characters, in order.
fn distinct(list: &[&(usize, usize, usize, char)]) -> Vec<char> {
    let mut v: Vec<char> = Vec::new();
    for a in list {
        if !v.contains(&a.3) {
            v.push(a.3);
        }
    }
    v
}

/// `U+001B ESCAPE`, `U+0000 NULL and U+001B ESCAPE`, `… and 3 more`.
fn names(list: &[&(usize, usize, usize, char)]) -> String {
    let d = distinct(list);
    let shown: Vec<String> = d.iter().take(3).map(|&c| chars::name(c)).collect();
    match d.len() {
        1 => shown[0].clone(),
        2 | 3 => format!("{} and {}", shown[..shown.len() - 1].join(", "), shown[shown.len() - 1]),
        n => format!("{} and {} more", shown.join(", "), n - 3),
    }
}

fn invisible_help(k: chars::Invisible) -> &'static str {
    use chars::Invisible::*;
    match k {
        Bidi => "a bidi control reorders the text around it (a right-to-left override can make `2024` read `4202`): delete it unless the text mixes scripts on purpose",
        ZeroWidth => "a zero-width space or word joiner cannot be seen, yet a name holding one does not match, search or sort like the same name without it (it often comes from copying out of a PDF or a web page): delete it",
        Joiner => "a zero-width joiner or non-joiner belongs inside an emoji sequence (👨‍👩‍👧) or some scripts; elsewhere it is invisible noise: delete it",
        VariationSelector => "a variation selector picks a glyph variant (an 異体字 such as 葛󠄀, or an emoji's presentation): keep it if the variant is meant, but the text then differs from the same text without it (references, search)",
        ByteOrderMark => "a byte order mark (U+FEFF) inside text is left over from joining files: delete it",
        SoftHyphen => "a soft hyphen is an invisible hyphenation hint: delete it unless it is meant",
        Tag => "tag characters are invisible (they belong only inside flag emoji, and can hide text): delete them",
    }
}

/// What a programme file says, before references are resolved.
#[derive(Debug, Default, Clone)]
struct RawProgramme {
    file: usize,
    id: String,
    fiscal_year: Option<i32>,
    source: Option<String>,
    page: Option<u32>,
    number: Option<u32>,
    name: Option<String>,
    part: Option<String>,
    summary: String,
    implementer: Option<String>,
    start: Option<Date>,
    continues: Option<String>,
    aliases: Vec<String>,
    notes: Vec<String>,
    /// Per dimension: the written references.
    dims: Vec<Vec<String>>,
    /// Per measure.
    measures: Vec<RawMeasure>,
}

#[derive(Debug, Clone)]
enum RawMeasure {
    Missing,
    NotApplicable,
    Own(u64),
    Lead(u64, Vec<String>),
    Member(String),
}

/// Validates everything loaded and builds the site.
pub fn validate(loaded: &Loaded) -> Result<(Site, Diagnostics), Diagnostics> {
    validate_cached(loaded, None)
}

/// Programme files already parsed, kept between validations of the same
/// content folder (`serve`): a file whose text and site config are unchanged
/// is not parsed again.
#[derive(Default)]
pub struct ParseCache {
    config: String,
    files: HashMap<String, (String, Option<std::sync::Arc<RawProgramme>>, Diagnostics)>,
}

/// [`validate`], reusing and refreshing `cache` when given.
pub fn validate_cached(
    loaded: &Loaded,
    cache: Option<&mut ParseCache>,
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

    // --- every text of the site config, sources and registries (E016, W106)
    for fi in 0..prog_file_base {
        let f = cx.files[fi];
        for d in text_diagnostics(&f.display, &f.text) {
            if cx.diags.is_full(&f.display) {
                cx.diags.note_dropped(&f.display);
                break;
            }
            cx.diags.push(d);
        }
    }

    // --- site config
    let Some(site_file) = loaded.site.as_ref() else {
        if refused(loaded, "_site.yaml") {
            return Err(cx.diags);
        }
        cx.diags.push(Diagnostic::new(Code::E003, "content/_site.yaml", 1, 1, "missing site config `_site.yaml`")
            .with_help("every content folder needs a _site.yaml declaring dimensions and measures; see docs/format.md"));
        return Err(cx.diags);
    };
    let config: SiteConfig =
        match yaml::parse(&site_file.text).and_then(|v| yaml::deserialize(v, &site_file.text)) {
            Ok(c) => c,
            Err(e) => {
                cx.yaml_err(0, e);
                return Err(cx.diags);
            }
        };
    check_config(&mut cx, &config);

    // --- sources
    let mut sources: Vec<Source> = Vec::new();
    let sources_file = if loaded.sources.is_some() {
        Some(1)
    } else {
        None
    };
    match (&loaded.sources, sources_file) {
        (Some(f), Some(fi)) => {
            match yaml::parse(&f.text).and_then(|v| yaml::deserialize::<Vec<Source>>(v, &f.text)) {
                Ok(s) => sources = s,
                Err(e) => cx.yaml_err(fi, e),
            }
        }
        _ if refused(loaded, "_sources.yaml") => {}
        _ => {
            let display = site_file.display.replace("_site.yaml", "_sources.yaml");
            cx.diags.push(Diagnostic::new(Code::E003,
                &display,
                1,
                1,
                "missing `_sources.yaml`: every programme cites a source document",
            ));
        }
    }
    if let Some(fi) = sources_file {
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
    }

    // --- dimensions and their registries
    let mut dims: Vec<DimModel> = Vec::new();
    for (di, decl) in config.dimensions.iter().enumerate() {
        let entries = load_entries(&mut cx, loaded, decl, di);
        dims.push(DimModel {
            decl: decl.clone(),
            entries,
            programmes: Vec::new(),
        });
    }
    let mut lookups: Vec<HashMap<String, usize>> = Vec::new();
    for d in &dims {
        let mut m = HashMap::new();
        for (i, e) in d.entries.iter().enumerate() {
            m.insert(e.slug.clone(), i);
            m.insert(e.name.clone(), i);
        }
        lookups.push(m);
    }

    // --- programme files, in parallel; each yields its raw form and problems
    let measure_tops: BTreeSet<String> = config
        .measures
        .iter()
        .map(|m| m.file_path().split('.').next().unwrap_or("").to_string())
        .collect();
    let prog_files: Vec<(usize, &SourceFile)> = loaded
        .programmes
        .iter()
        .enumerate()
        .map(|(i, f)| (prog_file_base + i, f))
        .collect();
    let usable = cache.as_deref().filter(|c| c.config == site_file.text);
    // Unchanged files come from the cache, shared (their file index is
    // corrected when files were added or removed before them).
    let parsed: Vec<(Option<std::sync::Arc<RawProgramme>>, Diagnostics, bool)> = prog_files
        .par_iter()
        .map(|(fi, f)| {
            match usable
                .and_then(|c| c.files.get(&f.rel))
                .filter(|(text, _, _)| *text == f.text)
            {
                Some((_, r, d)) => {
                    let r = r.clone().map(|mut r| {
                        if r.file != *fi {
                            std::sync::Arc::make_mut(&mut r).file = *fi;
                        }
                        r
                    });
                    (r, d.clone(), false)
                }
                None => {
                    let (r, d) = parse_programme(*fi, f, &config, &measure_tops);
                    (r.map(std::sync::Arc::new), d, true)
                }
            }
        })
        .collect();
    if let Some(c) = cache {
        if c.config != site_file.text || c.files.len() != prog_files.len() {
            c.config = site_file.text.clone();
            c.files = prog_files
                .iter()
                .zip(&parsed)
                .map(|((_, f), (r, d, _))| (f.rel.clone(), (f.text.clone(), r.clone(), d.clone())))
                .collect();
        } else {
            for ((_, f), (r, d, fresh)) in prog_files.iter().zip(&parsed) {
                if *fresh {
                    c.files
                        .insert(f.rel.clone(), (f.text.clone(), r.clone(), d.clone()));
                }
            }
        }
    }
    let parsed = parsed.into_iter().map(|(r, d, _)| (r, d));
    let mut raws: Vec<std::sync::Arc<RawProgramme>> = Vec::new();
    for (r, d) in parsed {
        cx.diags.extend(d);
        if let Some(r) = r {
            raws.push(r);
        }
    }
    raws.sort_by(|a, b| a.id.cmp(&b.id));

    // --- ids and aliases are unique
    let mut id_index: HashMap<String, usize> = HashMap::new();
    let mut keep: Vec<std::sync::Arc<RawProgramme>> = Vec::new();
    for r in raws {
        if let Some(&other) = id_index.get(&r.id) {
            let other_file = cx.files[keep[other].file].display.clone();
            cx.err(
                Code::E006,
                r.file,
                &[],
                format!("duplicate programme id `{}` (also {})", r.id, other_file),
            )
            .help = Some("ids are file stems and must be unique across content/".into());
            continue;
        }
        id_index.insert(r.id.clone(), keep.len());
        keep.push(r);
    }
    let raws = keep;
    let mut alias_owner: HashMap<String, usize> = HashMap::new();
    for (pi, r) in raws.iter().enumerate() {
        for (ai, a) in r.aliases.iter().enumerate() {
            if cx.full(r.file) {
                break;
            }
            if !is_valid_slug(a) {
                cx.err(
                    Code::E007,
                    r.file,
                    &[k("aliases"), Seg::Index(ai)],
                    format!("alias `{a}` is not a valid id"),
                );
            } else if id_index.contains_key(a) {
                cx.err(
                    Code::E014,
                    r.file,
                    &[k("aliases"), Seg::Index(ai)],
                    format!("alias `{a}` is the id of another programme"),
                );
            } else if let Some(&o) = alias_owner.get(a) {
                let of = cx.files[raws[o].file].display.clone();
                cx.err(
                    Code::E014,
                    r.file,
                    &[k("aliases"), Seg::Index(ai)],
                    format!("alias `{a}` is also claimed by {of}"),
                );
            } else {
                alias_owner.insert(a.clone(), pi);
            }
        }
    }

    // --- resolve references
    let source_index: HashMap<&str, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut programmes: Vec<Programme> = Vec::with_capacity(raws.len());
    for r in &raws {
        let source = match &r.source {
            Some(s) => {
                match source_index.get(s.as_str()) {
                    Some(&i) => {
                        if let Some(fy) = r.fiscal_year {
                            if sources[i].fiscal_year != fy {
                                cx.err(Code::E012, r.file, &[k("fiscal_year")], format!(
                                "fiscal_year {fy} differs from source `{s}`'s fiscal year {}", sources[i].fiscal_year));
                            }
                        }
                        i
                    }
                    None => {
                        let ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
                        let sugg = did_you_mean(s, ids.iter().copied());
                        let d = cx.err(
                            Code::E005,
                            r.file,
                            &[k("source")],
                            format!("unknown source `{s}`"),
                        );
                        d.help = Some(match sugg {
                            Some(x) => format!("did you mean `{x}`?{}", differs(s, x)),
                            None => {
                                format!("sources are declared in _sources.yaml: {}", ids.join(", "))
                            }
                        });
                        usize::MAX
                    }
                }
            }
            None => usize::MAX,
        };
        let mut pdims: Vec<Vec<usize>> = Vec::new();
        for (di, refs) in r.dims.iter().enumerate() {
            let mut v = Vec::new();
            for (ri, name) in refs.iter().enumerate() {
                if cx.full(r.file) {
                    break;
                }
                match lookups[di].get(name) {
                    Some(&e) => {
                        if v.contains(&e) {
                            cx.err(
                                Code::E008,
                                r.file,
                                &ref_path(&dims[di].decl, ri),
                                format!("`{name}` is listed twice"),
                            );
                        } else {
                            v.push(e);
                        }
                    }
                    None => {
                        let decl = &dims[di].decl;
                        let cands: Vec<&str> = dims[di]
                            .entries
                            .iter()
                            .flat_map(|e| [e.name.as_str(), e.slug.as_str()])
                            .collect();
                        let sugg = did_you_mean(name, cands.iter().copied());
                        let where_ = decl.registry.clone().unwrap_or_else(|| "_site.yaml".into());
                        let d = cx.err(
                            Code::E005,
                            r.file,
                            &ref_path(decl, ri),
                            format!("unknown {} `{name}`", decl.label),
                        );
                        d.help = Some(match sugg {
                            Some(x) => format!("did you mean {x}?{}", differs(name, x)),
                            None => format!("add it to {where_}, or correct the spelling"),
                        });
                    }
                }
            }
            pdims.push(v);
        }
        programmes.push(Programme {
            id: r.id.clone(),
            file: cx.files[r.file].rel.clone(),
            fiscal_year: r.fiscal_year.unwrap_or(0),
            source,
            number: r.number,
            page: r.page,
            name: r.name.clone().unwrap_or_default(),
            part: r.part.clone(),
            summary: r.summary.clone(),
            implementer: r.implementer.clone(),
            start: r.start,
            continues: None,
            aliases: r.aliases.clone(),
            notes: r.notes.clone(),
            dims: pdims,
            measures: vec![MeasureValue::Missing; config.measures.len()],
        });
    }

    // continues
    for (pi, r) in raws.iter().enumerate() {
        if let Some(c) = &r.continues {
            match id_index.get(c) {
                Some(&t) if t != pi => programmes[pi].continues = Some(t),
                Some(_) => {
                    cx.err(
                        Code::E009,
                        r.file,
                        &[k("continues")],
                        "a programme cannot continue itself",
                    );
                }
                None => {
                    let sugg = did_you_mean(c, raws.iter().map(|r| r.id.as_str()));
                    let d = cx.err(
                        Code::E005,
                        r.file,
                        &[k("continues")],
                        format!("`continues` names unknown programme `{c}`"),
                    );
                    if let Some(s) = sugg {
                        d.help = Some(format!("did you mean `{s}`?{}", differs(c, s)));
                    }
                }
            }
        }
    }

    // measures and shared groups
    let consistent_dims: Vec<usize> = config
        .dimensions
        .iter()
        .enumerate()
        .filter(|(_, d)| d.same_within_group)
        .map(|(i, _)| i)
        .collect();
    for (mi, m) in config.measures.iter().enumerate() {
        let mpath = measure_path(m);
        for (pi, r) in raws.iter().enumerate() {
            programmes[pi].measures[mi] = match &r.measures[mi] {
                RawMeasure::Missing => MeasureValue::Missing,
                RawMeasure::NotApplicable => MeasureValue::NotApplicable,
                RawMeasure::Own(v) => MeasureValue::Own(*v),
                RawMeasure::Lead(amount, covers) => {
                    let mut idx = Vec::new();
                    for (ci, c) in covers.iter().enumerate() {
                        if cx.full(r.file) {
                            break;
                        }
                        let mut p = mpath.clone();
                        p.extend([k("covers"), Seg::Index(ci)]);
                        match id_index.get(c) {
                            Some(&t) if t != pi => match &raws[t].measures[mi] {
                                RawMeasure::Member(l) if l == &r.id => idx.push(t),
                                _ => {
                                    let tf = cx.files[raws[t].file].display.clone();
                                    cx.err(Code::E009, r.file, &p, format!(
                                            "`{c}` is listed in `covers`, but its {} does not say `covered_by: {}`", m.key, r.id))
                                            .help = Some(format!("in {tf}, write `{}: {{covered_by: {}}}`", m.file_path(), r.id));
                                }
                            },
                            Some(_) => {
                                cx.err(Code::E009, r.file, &p, "a programme cannot cover itself");
                            }
                            None => {
                                let sugg = did_you_mean(c, raws.iter().map(|r| r.id.as_str()));
                                let d = cx.err(
                                    Code::E005,
                                    r.file,
                                    &p,
                                    format!("`covers` names unknown programme `{c}`"),
                                );
                                if let Some(s) = sugg {
                                    d.help = Some(format!("did you mean `{s}`?{}", differs(c, s)));
                                }
                            }
                        }
                    }
                    idx.sort();
                    idx.dedup();
                    MeasureValue::Lead {
                        amount: *amount,
                        covers: idx,
                    }
                }
                RawMeasure::Member(lead) => match id_index.get(lead) {
                    Some(&t) if t != pi => {
                        let listed = matches!(&raws[t].measures[mi], RawMeasure::Lead(_, cov) if cov.contains(&r.id));
                        if !listed {
                            let mut p = mpath.clone();
                            p.push(k("covered_by"));
                            cx.err(Code::E009, r.file, &p, format!(
                                "covered by `{lead}`, but `{lead}`'s {} does not list `{}` in `covers`", m.key, r.id));
                        }
                        MeasureValue::Member { lead: t }
                    }
                    _ => {
                        let mut p = mpath.clone();
                        p.push(k("covered_by"));
                        let sugg = did_you_mean(lead, raws.iter().map(|r| r.id.as_str()));
                        let d = cx.err(
                            Code::E005,
                            r.file,
                            &p,
                            format!("`covered_by` names unknown programme `{lead}`"),
                        );
                        if let Some(s) = sugg {
                            d.help = Some(format!("did you mean `{s}`?{}", differs(lead, s)));
                        }
                        MeasureValue::Missing
                    }
                },
            };
        }
        // Group members agree on source and the declared dimensions.
        for pi in 0..programmes.len() {
            if let MeasureValue::Lead { covers, .. } = programmes[pi].measures[mi].clone() {
                for &c in &covers {
                    let mut diffs = Vec::new();
                    if programmes[c].source != programmes[pi].source {
                        diffs.push("source".to_string());
                    }
                    for &d in &consistent_dims {
                        if programmes[c].dims[d] != programmes[pi].dims[d] {
                            diffs.push(config.dimensions[d].key.clone());
                        }
                    }
                    if !diffs.is_empty() {
                        cx.err(Code::E012, raws[c].file, &[], format!(
                            "shares its {} with `{}` but differs in {}", m.key, programmes[pi].id, diffs.join(", ")))
                            .help = Some("members of a shared group must have the same source and the same values of dimensions marked same_within_group".into());
                    }
                }
            }
        }
    }

    if cx.diags.has_errors() {
        return Err(cx.diags);
    }

    // --- indexes
    for d in dims.iter_mut() {
        d.programmes = vec![Vec::new(); d.entries.len()];
    }
    for (pi, p) in programmes.iter().enumerate() {
        for (di, es) in p.dims.iter().enumerate() {
            for &e in es {
                dims[di].programmes[e].push(pi);
            }
        }
    }
    let mut by_source: Vec<Vec<usize>> = vec![Vec::new(); sources.len()];
    for (pi, p) in programmes.iter().enumerate() {
        by_source[p.source].push(pi);
    }
    for v in by_source.iter_mut() {
        v.sort_by(|&a, &b| {
            (programmes[a].number, &programmes[a].id)
                .cmp(&(programmes[b].number, &programmes[b].id))
        });
    }

    let site = Site {
        measures: config.measures.clone(),
        config,
        sources,
        dims,
        programmes,
        by_source,
        grand_totals: Default::default(),
    };
    let mut diags = cx.diags;
    let by_rel: HashMap<&str, &SourceFile> = loaded
        .programmes
        .iter()
        .chain(loaded.sources.iter())
        .chain(loaded.site.iter())
        .map(|f| (f.rel.as_str(), f))
        .collect();
    crate::checks::run(&site, &mut diags, &|file: &str| {
        by_rel
            .get(file)
            .map(|f| (f.display.clone(), f.text.clone()))
    });
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((site, diags))
}

/// Whether the loader refused the top-level file `name` (and said why).
fn refused(loaded: &Loaded, name: &str) -> bool {
    loaded
        .diagnostics
        .iter()
        .any(|d| d.file.rsplit('/').next() == Some(name))
}

fn ref_path(decl: &Dimension, i: usize) -> Vec<Seg> {
    if decl.multiple {
        vec![k(&decl.key), Seg::Index(i)]
    } else {
        vec![k(&decl.key)]
    }
}

fn measure_path(m: &Measure) -> Vec<Seg> {
    m.file_path().split('.').map(k).collect()
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
    if !is_valid_slug(&config.programme_dir) {
        cx.err(Code::E015, 0, &[k("programme_dir")], format!("programme_dir `{}` must be a folder name inside content/ (lowercase letters, digits, hyphens)", config.programme_dir));
    }
    let mut keys = BTreeSet::new();
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
            cx.err(Code::E015, 0, &p, format!("key `{}` is declared twice", d.key));
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
    for (i, m) in config.measures.iter().enumerate() {
        let p = [k("measures"), Seg::Index(i), k("key")];
        if !keys.insert(m.key.clone()) {
            cx.err(Code::E015, 0, &p, format!("key `{}` is declared twice", m.key));
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
                cx.err(Code::E015, 0, &p, format!("rule names unknown measure `{key}`"));
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

fn load_entries(cx: &mut Ctx, loaded: &Loaded, decl: &Dimension, di: usize) -> Vec<Entry> {
    let (entries, file, base): (Vec<Entry>, usize, Vec<Seg>) = match &decl.registry {
        Some(reg) => {
            let pos = loaded.registries.iter().position(|f| f.rel == *reg);
            let Some(pos) = pos else {
                if refused(loaded, reg) {
                    // The loader said why (too large, not UTF-8, a link…).
                    return Vec::new();
                }
                cx.err(
                    Code::E005,
                    0,
                    &[k("dimensions"), Seg::Index(di), k("registry")],
                    format!("registry file `{reg}` not found in content/"),
                )
                .help = Some("registry files sit at the top of content/ and start with `_`".into());
                return Vec::new();
            };
            let fi = cx
                .files
                .iter()
                .position(|f| std::ptr::eq(*f, &loaded.registries[pos]))
                .unwrap_or(0);
            let text = &loaded.registries[pos].text;
            match yaml::parse(text).and_then(|v| yaml::deserialize::<Registry>(v, text)) {
                Ok(e) => (e, fi, vec![]),
                Err(e) => {
                    cx.yaml_err(fi, e);
                    return Vec::new();
                }
            }
        }
        None => (
            decl.values.clone(),
            0,
            vec![k("dimensions"), Seg::Index(di), k("values")],
        ),
    };
    let mut slugs = BTreeSet::new();
    let mut names = BTreeSet::new();
    for (i, e) in entries.iter().enumerate() {
        if cx.full(file) {
            break;
        }
        let mut p = base.clone();
        p.push(Seg::Index(i));
        let at = |f: &str| {
            let mut q = p.clone();
            q.push(k(f));
            q
        };
        if !is_valid_slug(&e.slug) {
            cx.err(
                Code::E007,
                file,
                &at("slug"),
                format!(
                    "slug `{}` must be lowercase letters, digits and hyphens",
                    e.slug
                ),
            );
        }
        if !slugs.insert(e.slug.clone()) {
            cx.err(
                Code::E006,
                file,
                &at("slug"),
                format!("duplicate slug `{}` in {}", e.slug, decl.label),
            );
        }
        if !names.insert(e.name.clone()) {
            cx.err(
                Code::E006,
                file,
                &at("name"),
                format!("duplicate name `{}` in {}", e.name, decl.label),
            );
        }
        if decl.local_government_codes {
            match &e.code {
                Some(c) if valid_lg_code(c) => {}
                Some(c) => {
                    cx.err(Code::E015, file, &at("code"), format!("`{c}` is not a 6-digit 全国地方公共団体コード with a valid check digit"));
                }
                None => {
                    cx.err(
                        Code::E003,
                        file,
                        &p,
                        format!("{} `{}` has no `code`", decl.label, e.name),
                    );
                }
            }
        }
        if let Some(r) = &e.rate {
            if parse_rate(r).is_none() {
                cx.err(
                    Code::E015,
                    file,
                    &at("rate"),
                    format!("rate `{r}` is not a fraction such as 1/2 or 10/10"),
                );
            }
        }
    }
    entries
}

/// Parses one programme file into its raw form (no cross-file checks).
fn parse_programme(
    fi: usize,
    f: &SourceFile,
    config: &SiteConfig,
    measure_tops: &BTreeSet<String>,
) -> (Option<RawProgramme>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let err = |diags: &mut Diagnostics, code: Code, path: &[Seg], msg: String| {
        if diags.is_full(&f.display) {
            diags.note_dropped(&f.display);
            return;
        }
        let (l, c) = yaml::locate(&f.text, path);
        diags.push(Diagnostic::new(code, &f.display, l, c, msg).with_source(&f.text));
    };
    let stem = f
        .rel
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml")
        .to_string();
    if !is_valid_slug(&stem) {
        diags.push(Diagnostic::new(Code::E007, &f.display, 1, 1, format!(
            "file name `{stem}` is not a valid programme id: use lowercase letters, digits and single hyphens"))
            .with_help("the file stem is the programme's id and URL, e.g. 2024-general-08.yaml"));
    }
    let value = match yaml::parse(&f.text) {
        Ok(v) => v,
        Err(e) => {
            let code = error_code(&e.kind);
            let mut d = Diagnostic::new(code, &f.display, e.line, e.column, e.message)
                .with_source(&f.text);
            d.help = parse_error_help(code, &f.text, e.line);
            diags.push(d);
            return (None, diags);
        }
    };
    for d in text_diagnostics(&f.display, &f.text) {
        if diags.is_full(&f.display) {
            diags.note_dropped(&f.display);
            break;
        }
        diags.push(d);
    }
    let Value::Mapping(map) = value else {
        err(
            &mut diags,
            Code::E002,
            &[],
            format!(
                "a programme file must be a mapping of fields, found {}",
                yaml::type_name(&value)
            ),
        );
        return (None, diags);
    };
    let mut r = RawProgramme {
        file: fi,
        id: stem,
        dims: vec![Vec::new(); config.dimensions.len()],
        measures: vec![RawMeasure::Missing; config.measures.len()],
        ..Default::default()
    };
    let mut known: Vec<&str> = CORE_KEYS.to_vec();
    known.extend(config.dimensions.iter().map(|d| d.key.as_str()));
    known.extend(measure_tops.iter().map(|s| s.as_str()));
    let mut present = BTreeSet::new();

    for (key, val) in &map {
        if diags.is_full(&f.display) {
            diags.note_dropped(&f.display);
            break;
        }
        let Value::String(key) = key else {
            err(&mut diags, Code::E002, &[], "field names must be text".into());
            continue;
        };
        let path = [k(key)];
        present.insert(key.clone());
        macro_rules! typed {
            ($t:ty) => {
                match yaml::deserialize_at::<$t>(val.clone(), &f.text, &path) {
                    Ok(v) => Some(v),
                    Err(e) => {
                        diags.push(
                            Diagnostic::new(Code::E002, &f.display, e.line, e.column, e.message)
                                .with_source(&f.text),
                        );
                        None
                    }
                }
            };
        }
        match key.as_str() {
            "fiscal_year" => {
                r.fiscal_year = typed!(i32);
                if let Some(tok) = r
                    .fiscal_year
                    .and_then(|y| non_decimal(&f.text, &path, u64::try_from(y).ok()?))
                {
                    err(
                        &mut diags,
                        Code::E008,
                        &path,
                        format!("fiscal_year `{tok}` is not written in decimal digits"),
                    );
                }
                if let Some(y) = r.fiscal_year {
                    if !(1868..=2200).contains(&y) {
                        err(
                            &mut diags,
                            Code::E008,
                            &path,
                            format!("fiscal_year {y} is out of range 1868–2200"),
                        );
                    }
                }
            }
            "source" => r.source = typed!(String),
            "page" | "number" => {
                let n = typed!(u32);
                if let Some(tok) = n.and_then(|n| non_decimal(&f.text, &path, u64::from(n))) {
                    err(
                        &mut diags,
                        Code::E008,
                        &path,
                        format!("{key} `{tok}` is not written in decimal digits"),
                    );
                }
                if key == "page" {
                    r.page = n;
                } else {
                    r.number = n;
                }
            }
            "name" => r.name = typed!(String),
            "part" => r.part = typed!(Option<String>).flatten(),
            "summary" => r.summary = typed!(Option<String>).flatten().unwrap_or_default(),
            "implementer" => r.implementer = typed!(Option<String>).flatten(),
            "continues" => r.continues = typed!(Option<String>).flatten(),
            "aliases" => r.aliases = typed!(Vec<String>).unwrap_or_default(),
            "notes" => r.notes = typed!(Vec<String>).unwrap_or_default(),
            "start" => {
                if let Some(s) = typed!(Option<String>).flatten() {
                    match Date::parse_iso(&s) {
                        Some(d) => r.start = Some(d),
                        None => err(
                            &mut diags,
                            Code::E008,
                            &path,
                            format!("`{s}` is not a date in the form YYYY-MM-DD"),
                        ),
                    }
                }
            }
            other => {
                if let Some(di) = config.dimensions.iter().position(|d| d.key == other) {
                    let decl = &config.dimensions[di];
                    if decl.multiple {
                        r.dims[di] = typed!(Vec<String>).unwrap_or_default();
                    } else if let Some(s) = typed!(Option<String>).flatten() {
                        r.dims[di] = vec![s];
                    }
                } else if measure_tops.contains(other) {
                    parse_measures(&mut r, &mut diags, f, config, other, val);
                } else {
                    let d = Diagnostic::new(Code::E004,
                        &f.display,
                        0,
                        0,
                        format!("unknown field `{other}`"),
                    );
                    let (l, c) = yaml::locate(&f.text, &[k(other)]);
                    let mut d = Diagnostic {
                        line: l,
                        column: c,
                        ..d
                    }
                    .with_source(&f.text);
                    // Point at the key, not the value.
                    if let Some(src) = &d.source_line {
                        d.column = src.chars().take_while(|c| c.is_whitespace()).count() + 1;
                    }
                    d.help = Some(match did_you_mean(other, known.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?{}", differs(other, s)),
                        None => format!("known fields: {}", known.join(", ")),
                    });
                    add_help(&mut d, chars::yaml_structure_hint(&f.text, l));
                    diags.push(d);
                }
            }
        }
    }
    for req in ["fiscal_year", "source", "name"] {
        if !present.contains(req) {
            diags.push(
                Diagnostic::new(Code::E003, &f.display, 1, 1, format!("missing field `{req}`"))
                    .with_source(&f.text),
            );
        }
    }
    for d in &config.dimensions {
        if d.required && !present.contains(&d.key) {
            diags.push(
                Diagnostic::new(Code::E003,
                    &f.display,
                    1,
                    1,
                    format!("missing field `{}` ({})", d.key, d.label),
                )
                .with_source(&f.text),
            );
        }
    }
    if let Some(n) = &r.name {
        if n.trim().is_empty() {
            err(&mut diags, Code::E008, &[k("name")], "name is empty".into());
        }
        if n.chars().count() > MAX_NAME_CHARS {
            err(
                &mut diags,
                Code::E008,
                &[k("name")],
                format!("name is longer than {MAX_NAME_CHARS} characters"),
            );
        }
    }
    if r.summary.chars().count() > MAX_SUMMARY_CHARS {
        err(
            &mut diags,
            Code::E008,
            &[k("summary")],
            format!(
                "summary is {} characters; the limit is {MAX_SUMMARY_CHARS}",
                r.summary.chars().count()
            ),
        );
    }
    (Some(r), diags)
}

/// Reads the measures found under top-level key `top`.
fn parse_measures(
    r: &mut RawProgramme,
    diags: &mut Diagnostics,
    f: &SourceFile,
    config: &SiteConfig,
    top: &str,
    val: &Value,
) {
    let err = |diags: &mut Diagnostics, code: Code, path: &[Seg], msg: String| {
        if diags.is_full(&f.display) {
            diags.note_dropped(&f.display);
            return;
        }
        let (l, c) = yaml::locate(&f.text, path);
        diags.push(Diagnostic::new(code, &f.display, l, c, msg).with_source(&f.text));
    };
    // Measures whose path starts with `top`.
    let here: Vec<(usize, &Measure)> = config
        .measures
        .iter()
        .enumerate()
        .filter(|(_, m)| m.file_path().split('.').next() == Some(top))
        .collect();
    for (mi, m) in &here {
        let segs: Vec<&str> = m.file_path().split('.').collect();
        if segs.len() == 1 {
            r.measures[*mi] = read_measure(diags, f, m, &[k(top)], val, &err);
        } else {
            // Nested: walk mappings.
            let mut v = val;
            let mut path = vec![k(top)];
            let mut ok = true;
            for s in &segs[1..] {
                match v {
                    Value::Mapping(mm) => match mm.get(*s) {
                        Some(x) => {
                            v = x;
                            path.push(k(s));
                        }
                        None => {
                            ok = false;
                            break;
                        }
                    },
                    Value::Null => {
                        ok = false;
                        break;
                    }
                    other => {
                        err(
                            diags,
                            Code::E002,
                            &path,
                            format!(
                                "`{}` must be a mapping, found {}",
                                path.iter()
                                    .map(|p| match p {
                                        Seg::Key(s) => s.as_str(),
                                        _ => "",
                                    })
                                    .collect::<Vec<_>>()
                                    .join("."),
                                yaml::type_name(other)
                            ),
                        );
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                r.measures[*mi] = read_measure(diags, f, m, &path, v, &err);
            }
        }
    }
    // Unknown keys inside a nested measure group.
    if let Value::Mapping(mm) = val {
        if here.iter().any(|(_, m)| m.file_path().contains('.')) {
            let allowed: Vec<String> = here
                .iter()
                .filter_map(|(_, m)| m.file_path().split('.').nth(1).map(str::to_string))
                .collect();
            for key in mm.keys() {
                if diags.is_full(&f.display) {
                    diags.note_dropped(&f.display);
                    break;
                }
                let ks = key.as_str().unwrap_or("");
                if !allowed.iter().any(|a| a == ks) {
                    let sugg = did_you_mean(ks, allowed.iter().map(|s| s.as_str()));
                    let (l, c) = yaml::locate(&f.text, &[k(top), k(ks)]);
                    let mut d = Diagnostic::new(Code::E004,
                        &f.display,
                        l,
                        c,
                        format!("unknown field `{top}.{ks}`"),
                    )
                    .with_source(&f.text);
                    if let Some(src) = &d.source_line {
                        d.column = src.chars().take_while(|c| c.is_whitespace()).count() + 1;
                    }
                    d.help = Some(match sugg {
                        Some(s) => format!("did you mean `{s}`?{}", differs(ks, s)),
                        None => format!("known fields under `{top}`: {}", allowed.join(", ")),
                    });
                    add_help(&mut d, chars::yaml_structure_hint(&f.text, l));
                    diags.push(d);
                }
            }
        }
    }
}

type ErrFn<'a> = dyn Fn(&mut Diagnostics, Code, &[Seg], String) + 'a;

fn read_measure(
    diags: &mut Diagnostics,
    f: &SourceFile,
    m: &Measure,
    path: &[Seg],
    v: &Value,
    err: &ErrFn,
) -> RawMeasure {
    match v {
        Value::Null => RawMeasure::NotApplicable,
        Value::Number(_) | Value::String(_) | Value::Bool(_) => match read_amount(v) {
            Ok(n) => match non_decimal(&f.text, path, n) {
                None => RawMeasure::Own(n),
                Some(tok) => {
                    err(
                        diags,
                        Code::E008,
                        path,
                        format!(
                            "{}: `{tok}` is not written in decimal digits; write {n}",
                            m.key
                        ),
                    );
                    RawMeasure::Missing
                }
            },
            Err(msg) => {
                err(diags, Code::E008, path, format!("{}: {msg}", m.key));
                RawMeasure::Missing
            }
        },
        Value::Mapping(mm) if m.shared => {
            let mut amount = None;
            let mut covers = Vec::new();
            let mut covered_by = None;
            for (key, val) in mm {
                if diags.is_full(&f.display) {
                    diags.note_dropped(&f.display);
                    break;
                }
                let ks = key.as_str().unwrap_or("");
                let mut p = path.to_vec();
                p.push(k(ks));
                match ks {
                    "amount" => match read_amount(val) {
                        Ok(n) => match non_decimal(&f.text, &p, n) {
                            None => amount = Some(n),
                            Some(tok) => err(diags, Code::E008, &p, format!("{}.amount: `{tok}` is not written in decimal digits; write {n}", m.key)),
                        },
                        Err(msg) => err(diags, Code::E008, &p, format!("{}.amount: {msg}", m.key)),
                    },
                    "covers" => match yaml::deserialize_at::<Vec<String>>(val.clone(), &f.text, &p) {
                        Ok(c) => covers = c,
                        Err(e) => diags.push(Diagnostic::new(Code::E002, &f.display, e.line, e.column, e.message).with_source(&f.text)),
                    },
                    "covered_by" => match yaml::deserialize_at::<String>(val.clone(), &f.text, &p) {
                        Ok(c) => covered_by = Some(c),
                        Err(e) => diags.push(Diagnostic::new(Code::E002, &f.display, e.line, e.column, e.message).with_source(&f.text)),
                    },
                    other => {
                        let sugg = did_you_mean(other, ["amount", "covers", "covered_by"]);
                        let (l, c) = yaml::locate(&f.text, &p);
                        let mut d = Diagnostic::new(Code::E004, &f.display, l, c, format!("unknown field `{other}` in shared {}", m.key)).with_source(&f.text);
                        d.help = Some(match sugg {
                            Some(s) => format!("did you mean `{s}`?{}", differs(other, s)),
                            None => "a shared figure is `{amount: N, covers: [ids]}` or `{covered_by: id}`".into(),
                        });
                        add_help(&mut d, chars::yaml_structure_hint(&f.text, l));
                        diags.push(d);
                    }
                }
            }
            match (amount, covered_by) {
                (Some(a), None) => {
                    if covers.is_empty() {
                        RawMeasure::Own(a)
                    } else {
                        RawMeasure::Lead(a, covers)
                    }
                }
                (None, Some(l)) if covers.is_empty() => RawMeasure::Member(l),
                _ => {
                    err(diags, Code::E002, path, format!("shared {} must be `{{amount: N, covers: [ids]}}` or `{{covered_by: id}}`", m.key));
                    RawMeasure::Missing
                }
            }
        }
        other => {
            let expected = if m.shared {
                "a whole number, `~` (not applicable), or {amount, covers}/{covered_by}"
            } else {
                "a whole number or `~` (not applicable)"
            };
            err(
                diags,
                Code::E002,
                path,
                format!(
                    "{} must be {expected}, found {}",
                    m.key,
                    yaml::type_name(other)
                ),
            );
            RawMeasure::Missing
        }
    }
}

/// A non-negative whole number that fits u64.
fn read_amount(v: &Value) -> Result<u64, String> {
    match v {
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Ok(u)
            } else if n.as_i64().is_some() {
                Err(format!(
                    "{n} is negative; amounts and counts are never negative"
                ))
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if f.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&f) {
                    Err(format!("{n} is written as a decimal or exponent; write the whole number in digits ({})", f as u64))
                } else if f.is_finite() && f.fract() == 0.0 && f > 0.0 {
                    Err(format!("{n} is too large (the largest is {})", u64::MAX))
                } else if f.is_finite() && f < 0.0 {
                    Err(format!(
                        "{n} is negative; amounts and counts are never negative"
                    ))
                } else {
                    Err(format!(
                        "{n} is not a whole number (amounts are whole 千円)"
                    ))
                }
            }
        }
        Value::String(s) => {
            let digits: String = s
                .chars()
                .filter(|c| !matches!(c, ',' | '，' | ' '))
                .collect();
            if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
                let plain = digits.trim_start_matches('0');
                let plain = if plain.is_empty() { "0" } else { plain };
                if plain.len() > 20 || plain.parse::<u64>().is_err() {
                    Err(format!(
                        "{} is too large (the largest is {})",
                        clip_digits(plain),
                        u64::MAX
                    ))
                } else if digits.len() > 1 && digits.starts_with('0') {
                    Err(format!(
                        "\"{s}\" is text (a leading zero makes it text); write {plain}"
                    ))
                } else {
                    Err(format!(
                        "\"{s}\" is text; write the number without quotes or commas ({digits})"
                    ))
                }
            } else if s.trim() == "-" {
                Err("\"-\" is text; write `~` for not applicable".into())
            } else {
                Err(format!("\"{s}\" is not a number"))
            }
        }
        Value::Bool(b) => Err(format!("{b} is not a number")),
        _ => Err("not a number".into()),
    }
}

fn clip_digits(d: &str) -> String {
    if d.len() > 30 {
        format!("{}… ({} digits)", &d[..30], d.len())
    } else {
        d.to_string()
    }
}

/// YAML reads `0x10`, `0o17`, `0b11` and `+5` as numbers. A public figure
/// must read the same to people as to the program, so these are refused:
/// returns the text as written when the number `n` at `path` is written so.
fn non_decimal(text: &str, path: &[Seg], n: u64) -> Option<String> {
    if !(text.contains("0x") || text.contains("0o") || text.contains("0b") || text.contains('+')) {
        return None;
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (l, c) = yaml::locate(text, path);
    let line = text.lines().nth(l.checked_sub(1)?)?;
    let tok: String = line
        .chars()
        .skip(c - 1)
        .take_while(|ch| !ch.is_whitespace() && !matches!(ch, ',' | ']' | '}' | '#'))
        .collect();
    let body = tok.strip_prefix('+').unwrap_or(&tok);
    let value = if let Some(h) = body.strip_prefix("0x") {
        u64::from_str_radix(h, 16).ok()
    } else if let Some(o) = body.strip_prefix("0o") {
        u64::from_str_radix(o, 8).ok()
    } else if let Some(b) = body.strip_prefix("0b") {
        u64::from_str_radix(b, 2).ok()
    } else {
        body.parse().ok()
    };
    (value == Some(n) && tok != n.to_string()).then_some(tok)
}
