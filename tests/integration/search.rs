//! Search: the shared vectors (fold, terms, keys, hash, postings), and the
//! index written for the Tokyo site read back by a reference reader that
//! follows the same steps as search.js (bucket → own file → intersect →
//! facet counts), checked against a plain substring search.

use mieruka::model::Site;
use mieruka::search::{self, codec, fold, token};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn vectors() -> Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search-vectors.json"),
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn fold_vectors() {
    for v in vectors()["fold"].as_array().unwrap() {
        let (input, want) = (v[0].as_str().unwrap(), v[1].as_str().unwrap());
        assert_eq!(fold::normalize(input), want, "fold({input:?})");
    }
}

#[test]
fn run_vectors() {
    for v in vectors()["runs"].as_array().unwrap() {
        let got: Vec<Value> = token::runs(v[0].as_str().unwrap())
            .into_iter()
            .map(|(p, r)| serde_json::json!([p, r]))
            .collect();
        assert_eq!(Value::Array(got), v[1], "runs({})", v[0]);
    }
}

#[test]
fn term_vectors() {
    for v in vectors()["terms"].as_array().unwrap() {
        let got: Vec<Value> = token::query_terms(v[0].as_str().unwrap())
            .into_iter()
            .map(|t| {
                serde_json::json!([
                    t.text,
                    t.keys,
                    t.phrases
                        .iter()
                        .map(|p| serde_json::json!([p.run, p.cover]))
                        .collect::<Vec<_>>()
                ])
            })
            .collect();
        assert_eq!(Value::Array(got), v[1], "terms({})", v[0]);
    }
}

#[test]
fn doc_key_vectors() {
    for v in vectors()["doc_keys"].as_array().unwrap() {
        let got = token::doc_keys(&fold::normalize(v[0].as_str().unwrap()));
        assert_eq!(serde_json::json!(got), v[1], "doc_keys({})", v[0]);
    }
}

#[test]
fn hash_and_codec_vectors() {
    let v = vectors();
    for h in v["hash"].as_array().unwrap() {
        assert_eq!(
            u64::from(search::hash(h[0].as_str().unwrap())),
            h[1].as_u64().unwrap(),
            "hash({})",
            h[0]
        );
    }
    for p in v["postings"].as_array().unwrap() {
        let list: Vec<u32> = serde_json::from_value(p[0].clone()).unwrap();
        assert_eq!(codec::encode_posting(&list), p[1].as_str().unwrap());
        assert_eq!(codec::decode_posting(p[1].as_str().unwrap()).unwrap(), list);
    }
    let nums: Vec<u64> = serde_json::from_value(v["nums"][0].clone()).unwrap();
    assert_eq!(codec::nums(nums), v["nums"][1].as_str().unwrap());
}

#[test]
fn tokens_runs_and_terms() {
    // A one-character query is a unigram key, so 区 finds every ward.
    assert_eq!(token::query_terms("区")[0].keys, vec!["区"]);
    // Trigrams inside 東京都 do not include 京都府.
    let keys = token::doc_keys(&fold::normalize("東京都の事業"));
    assert!(keys.contains(&"京都".to_string()) && !keys.contains(&"京都府".to_string()));
    // Runs never span a space or a field boundary.
    assert!(!token::doc_keys("東京 大阪").contains(&"京大".to_string()));
    assert!(!token::doc_keys("東京\n大阪").contains(&"京大".to_string()));
    // Punctuation, digits and Latin letters are in runs like kanji.
    let keys = token::doc_keys(&fold::normalize("Web3.0 東京・大阪"));
    assert!(["3.0", "b3.", "京・大"]
        .iter()
        .all(|k| keys.contains(&k.to_string())));
    // A long word is a phrase like any long term.
    let long = "a".repeat(40);
    assert!(token::query_terms(&long)[0].keys.is_empty());
    assert_eq!(token::query_terms(&long)[0].phrases[0].run, long);
}

fn tokyo() -> Site {
    match mieruka::check(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content")) {
        mieruka::Checked::Valid(site, _) => *site,
        mieruka::Checked::Invalid(d) => panic!("content does not validate: {:?}", d.sorted()),
    }
}

/// A site with the Tokyo programmes repeated `times` times (new ids), to
/// get own files, facet counts and several facet chunks.
fn repeated(site: &Site, times: usize) -> Site {
    let mut s = site.clone();
    let base = site.programmes.clone();
    s.programmes.clear();
    for r in 0..times {
        for p in &base {
            let mut q = p.clone();
            q.id = format!("{}-r{r:04}", p.id);
            if r % 3 == 1 {
                q.fiscal_year -= 1;
            }
            // Only the first measure is read by the search; keep it own.
            for m in &mut q.measures {
                if !matches!(m, mieruka::model::MeasureValue::Own(_)) {
                    *m = mieruka::model::MeasureValue::Missing;
                }
            }
            s.programmes.push(q);
        }
    }
    s
}

/// Reads the files of `search::build` the way search.js does.
struct Reader {
    files: BTreeMap<String, String>,
    meta: Value,
    v: String,
}

/// (function, arguments) of one index file.
fn call(text: &str) -> (String, Vec<Value>) {
    let rest = text
        .strip_prefix("mierukaSearch.")
        .expect("calls mierukaSearch");
    let open = rest.find('(').unwrap();
    let inner = rest[open + 1..].strip_suffix(");\n").expect("ends with );");
    (
        rest[..open].to_string(),
        serde_json::from_str(&format!("[{inner}]")).expect("arguments are JSON"),
    )
}

struct KeyData {
    docs: Vec<u32>,
    title: Vec<u32>,
    counts: Option<Vec<Vec<u64>>>,
    /// Positions per document (trigrams), read from the bucket or the q file.
    positions: Option<Vec<Vec<u32>>>,
}

fn nums(s: &str) -> Vec<u64> {
    let mut r = codec::Reader::new(s);
    let mut out = Vec::new();
    while let Some(v) = r.num() {
        out.push(v);
    }
    out
}

/// Decodes one facet's counts (dense or sparse, see search::encode_counts).
fn counts(s: &str, n: usize) -> Vec<u64> {
    let v = nums(s);
    let mut c = vec![0u64; n];
    if v[0] == 0 {
        c.copy_from_slice(&v[1..=n]);
    } else {
        let mut at: i64 = -1;
        for pair in v[1..].chunks(2) {
            at += pair[0] as i64 + 1;
            c[at as usize] = pair[1];
        }
    }
    c
}

impl Reader {
    /// Number of values of facet `fi`.
    fn values(&self, fi: usize) -> usize {
        let f = &self.meta["facets"][fi];
        if f["dim"].as_i64().unwrap() < 0 {
            self.meta["years"].as_array().unwrap().len()
        } else {
            self.meta["dims"][f["dim"].as_u64().unwrap() as usize]["values"]
                .as_array()
                .unwrap()
                .len()
        }
    }
    fn new(site: &Site) -> Reader {
        let files: BTreeMap<String, String> = search::build(site)
            .into_iter()
            .map(|f| (f.path, String::from_utf8(f.bytes).unwrap()))
            .collect();
        let (f, a) = call(&files["search/meta.js"]);
        assert_eq!(f, "m");
        Reader {
            v: a[0].as_str().unwrap().to_string(),
            meta: a[1].clone(),
            files,
        }
    }
    fn args(&self, path: &str, func: &str) -> Option<Vec<Value>> {
        let (f, a) = call(self.files.get(path)?);
        assert_eq!(f, func, "{path}");
        assert_eq!(
            a[0].as_str().unwrap(),
            self.v,
            "{path} has the build's version"
        );
        Some(a)
    }
    fn key(&self, k: &str) -> Option<KeyData> {
        let b = search::bucket_of(k, self.meta["buckets"].as_u64().unwrap() as usize);
        let a = self.args(&format!("search/k/{b}.js"), "k")?;
        assert_eq!(a[1].as_u64().unwrap() as usize, b);
        match a[2].get(k)? {
            Value::String(s) => {
                let parts: Vec<&str> = s.split('.').collect();
                let docs = codec::decode_posting(parts[0]).unwrap();
                let title = codec::decode_posting(
                    parts
                        .get(1)
                        .copied()
                        .filter(|t| !t.is_empty())
                        .unwrap_or("A"),
                )
                .unwrap();
                let positions = parts
                    .get(2)
                    .map(|p| codec::decode_positions(p, docs.len()).unwrap());
                Some(KeyData {
                    docs,
                    title,
                    counts: None,
                    positions,
                })
            }
            Value::Number(j) => {
                let own = self
                    .args(&format!("search/p/{b}-{j}.js"), "p")
                    .expect("own file exists");
                assert_eq!(own[1].as_str().unwrap(), format!("{b}-{j}"));
                let d = &own[2];
                let docs = codec::decode_posting(d[1].as_str().unwrap()).unwrap();
                assert_eq!(d[0].as_u64().unwrap() as usize, docs.len());
                let counts = d[3]
                    .as_array()
                    .unwrap()
                    .iter()
                    .enumerate()
                    .map(|(fi, c)| counts(c.as_str().unwrap(), self.values(fi)))
                    .collect();
                let positions = self
                    .args(&format!("search/q/{b}-{j}.js"), "q")
                    .map(|q| codec::decode_positions(q[2].as_str().unwrap(), docs.len()).unwrap());
                Some(KeyData {
                    docs,
                    title: codec::decode_posting(d[2].as_str().unwrap()).unwrap(),
                    counts: Some(counts),
                    positions,
                })
            }
            other => panic!("bad key entry {other}"),
        }
    }
    /// Documents matching every term, in site order, the way search.js
    /// finds them: direct keys (and phrases that are keys of their own),
    /// else a phrase's covering trigrams with their positions.
    fn query(&self, q: &str) -> Vec<u32> {
        self.query_how(q).0
    }
    /// The result, and how many phrases needed positions.
    fn query_how(&self, q: &str) -> (Vec<u32>, usize) {
        let terms = token::query_terms(q);
        if terms.is_empty() {
            return (vec![], 0);
        }
        let max_gram = self.meta["maxGram"].as_u64().unwrap() as usize;
        let mut lists: Vec<String> = Vec::new();
        let mut checks: Vec<&Vec<(String, u32)>> = Vec::new();
        for t in &terms {
            lists.extend(t.keys.iter().cloned());
            for ph in &t.phrases {
                // Only terms without punctuation can be keys of their own.
                let letters = ph
                    .run
                    .chars()
                    .all(|c| token::is_japanese(c) || token::is_word(c));
                if ph.run.chars().count() <= max_gram && letters && self.key(&ph.run).is_some() {
                    lists.push(ph.run.clone());
                } else {
                    lists.extend(ph.cover.iter().map(|(k, _)| k.clone()));
                    checks.push(&ph.cover);
                }
            }
        }
        let mut cand: Option<BTreeSet<u32>> = None;
        for k in &lists {
            let Some(d) = self.key(k) else {
                return (vec![], checks.len());
            };
            let set: BTreeSet<u32> = d.docs.into_iter().collect();
            cand = Some(match cand {
                None => set,
                Some(c) => c.intersection(&set).copied().collect(),
            });
        }
        let mut cand = cand.unwrap_or_default();
        // Phrases: one position with every trigram at its offset.
        for ph in &checks {
            let at: Vec<BTreeMap<u32, Vec<u32>>> = ph
                .iter()
                .map(|(k, _)| {
                    let d = self.key(k).unwrap();
                    let pos = d.positions.expect("trigrams have positions");
                    d.docs.into_iter().zip(pos).collect()
                })
                .collect();
            cand.retain(|doc| {
                at[0][doc].iter().any(|&p| {
                    ph.iter()
                        .zip(&at)
                        .all(|((_, o), m)| m.get(doc).is_some_and(|ps| ps.contains(&(p + o))))
                })
            });
        }
        (cand.into_iter().collect(), checks.len())
    }
    /// Facet counts of a result set, from the facet chunk files.
    fn chunk_counts(&self, docs: &[u32]) -> Vec<Vec<u64>> {
        let chunk = self.meta["chunk"].as_u64().unwrap() as u32;
        let facets = self.meta["facets"].as_array().unwrap();
        let mut counts: Vec<Vec<u64>> = Vec::new();
        for fi in 0..facets.len() {
            let n = self.values(fi);
            let mut c = vec![0u64; n];
            let chunks: BTreeSet<u32> = docs.iter().map(|d| d / chunk).collect();
            for ch in chunks {
                let a = self.args(&format!("search/f/{ch}.js"), "f").unwrap();
                for (v, enc) in a[2][fi].as_array().unwrap().iter().enumerate() {
                    for x in codec::decode_posting(enc.as_str().unwrap()).unwrap() {
                        if docs.binary_search(&(x + ch * chunk)).is_ok() {
                            c[v] += 1;
                        }
                    }
                }
            }
            counts.push(c);
        }
        counts
    }
}

/// Plain substring search over the folded fields.
struct Substring(Vec<Vec<String>>);

impl Substring {
    fn new(site: &Site) -> Self {
        Substring(
            (0..site.programmes.len())
                .map(|p| {
                    let (t, o) = search::fields(site, p);
                    t.iter()
                        .chain(o.iter())
                        .map(|f| fold::normalize(f))
                        .collect()
                })
                .collect(),
        )
    }
    fn find(&self, q: &str) -> Vec<u32> {
        let terms = token::query_terms(q);
        (0..self.0.len())
            .filter(|&p| {
                !terms.is_empty()
                    && terms
                        .iter()
                        .all(|t| self.0[p].iter().any(|f| f.contains(&t.text)))
            })
            .map(|p| p as u32)
            .collect()
    }
}

fn dim_value(site: &Site, p: u32, key: &str) -> String {
    let d = site.dim_index(key).unwrap();
    site.programmes[p as usize].dims[d]
        .iter()
        .map(|&e| site.dims[d].entries[e].name.clone())
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn tokyo_queries() {
    let site = tokyo();
    let r = Reader::new(&site);
    let truth = Substring::new(&site);
    // 分身ロボット finds 江東区's モデル事業.
    let hits = r.query("分身ロボット");
    assert!(
        hits.iter()
            .any(|&p| dim_value(&site, p, "municipality") == "江東区"
                && dim_value(&site, p, "scheme") == "モデル事業"),
        "分身ロボット: {hits:?}"
    );
    // Half-width katakana finds exactly what full-width finds.
    let a = r.query("ｲﾝﾀｰﾝｼｯﾌﾟ");
    assert!(!a.is_empty());
    assert_eq!(a, r.query("インターンシップ"));
    assert_eq!(a, r.query("いんたーんしっぷ"));
    // 世田谷 finds its three rows.
    let s = r.query("世田谷");
    assert_eq!(s.len(), 3, "{s:?}");
    assert!(s
        .iter()
        .all(|&p| dim_value(&site, p, "municipality") == "世田谷区"));
    assert_eq!(r.query("せたがや"), s, "the reading finds the same rows");
    // Case does not matter.
    assert!(!r.query("TikTok").is_empty());
    assert_eq!(r.query("TikTok"), r.query("tiktok"));
    assert_eq!(r.query("ＴＩＫＴＯＫ"), r.query("tiktok"));
    // No hit.
    assert!(r.query("存在しない語句ですよ").is_empty());
    assert!(
        r.query("京都府").is_empty(),
        "京都 inside 東京都 is not 京都府"
    );
    // One character.
    assert_eq!(r.query("区"), truth.find("区"));
}

#[test]
fn tokyo_recall_equals_substring_search() {
    let site = tokyo();
    let r = Reader::new(&site);
    let truth = Substring::new(&site);
    // Every 1–6 character window of every title, and the benchmark queries.
    let mut queries: BTreeSet<String> = [
        "外国人",
        "介護",
        "若年者",
        "就職氷河期",
        "合同企業説明会",
        "インターンシップ",
        "女性 再就職",
        "モンゴル",
        "障害者",
        "デジタル",
        "DX",
        "ＤＸ",
        "it",
        "ﾏｯﾁﾝｸﾞ",
        "人材確保",
        "八王子",
        "10/10",
        "1/2",
        "10分の10",
        "ICT",
        "ict化",
        "dx推進",
        "ＩＣＴ、ＩｏＴ",
        "2024",
        "131121",
        "2024-general-08",
        "general",
        "(1)",
        "e-らーにんぐ",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for p in &site.programmes {
        let cs: Vec<char> = fold::normalize(&p.name).chars().collect();
        for len in 1..=6 {
            for w in cs.windows(len).step_by(3) {
                let s: String = w.iter().collect();
                if !s.contains(' ') {
                    queries.insert(s);
                }
            }
        }
    }
    let mut checked = 0;
    for q in &queries {
        let got = r.query(q);
        let want = truth.find(q);
        // Recall: everything containing the query is found.
        assert!(
            want.iter().all(|d| got.contains(d)),
            "{q}: missed {:?}",
            want.iter().filter(|d| !got.contains(d)).collect::<Vec<_>>()
        );
        // And nothing else: keys are exact up to three characters, longer
        // terms are checked with trigram positions (also across scripts and
        // punctuation: 10/10, dx推進).
        assert_eq!(got, want, "{q}");
        checked += 1;
    }
    assert!(checked > 100, "{checked}");
}

/// Digits, Latin letters and punctuation are matched as one phrase; an
/// enclosed digit (① → 1) does not hide the word after it; a programme is
/// found by its id and by its municipality's code.
#[test]
fn phrases_ids_and_codes() {
    let mut site = tokyo();
    let texts = [
        "補助率は10/10です。①ICT化の推進",
        "10分の10を補助、1/2ではない",
        "10月10日に実施。1月2日も。DX推進室",
        "110/101 の案件、ＩＣＴ化",
    ];
    for (i, t) in texts.iter().enumerate() {
        site.programmes[i].summary = t.to_string();
    }
    let r = Reader::new(&site);
    let truth = Substring::new(&site);
    for q in [
        "10/10",
        "1/2",
        "10分の10",
        "ICT",
        "ict化",
        "①ICT化",
        "1ict",
        "dx推進",
        "10/10 ict",
        "10月10日",
    ] {
        let got = r.query(q);
        assert_eq!(got, truth.find(q), "{q}");
        assert!(!got.is_empty(), "{q}");
    }
    assert!(r.query("ICT").contains(&0), "①ICT化 is found by ICT");
    assert!(r.query("10/10").contains(&0) && r.query("10/10").contains(&3));
    assert!(!r.query("10/10").contains(&2), "10月10日 is not 10/10");
    assert_eq!(r.query("10分の10"), vec![1]);
    // Ids.
    for (i, p) in site.programmes.iter().enumerate() {
        assert!(r.query(&p.id).contains(&(i as u32)), "{}", p.id);
    }
    let id = &site.programmes[5].id;
    assert_eq!(r.query(id), truth.find(id));
    // Codes of dimension values: 131121 is 世田谷区.
    let setagaya = r.query("世田谷区");
    assert_eq!(setagaya.len(), 3);
    assert_eq!(r.query("131121"), setagaya);
    assert_eq!(r.query("131121 世田谷"), setagaya);
}

#[test]
fn sharded_index_files() {
    let site = repeated(&tokyo(), 130);
    let n = site.programmes.len() as u32;
    let r = Reader::new(&site);
    let truth = Substring::new(&site);
    let buckets = r.meta["buckets"].as_u64().unwrap() as usize;
    assert!(buckets.is_power_of_two());
    assert!(
        r.files
            .iter()
            .filter(|(p, _)| p.starts_with("search/k/"))
            .all(|(_, t)| t.len() < 4 * search::BUCKET_TARGET),
        "buckets stay small"
    );
    assert!(
        r.files.keys().any(|p| p.starts_with("search/p/")),
        "frequent keys get own files"
    );
    assert_eq!(
        r.meta["chunks"].as_u64().unwrap(),
        u64::from(n.div_ceil(search::CHUNK as u32))
    );
    for (path, text) in &r.files {
        // Data, not markup: nothing that could end a script or a line.
        assert!(
            !text.contains('<') && !text.contains('\u{2028}') && !text.contains('\u{2029}'),
            "{path}"
        );
        let (_, a) = call(text);
        assert_eq!(a[0].as_str().unwrap(), r.v);
        if let Some(b) = path
            .strip_prefix("search/k/")
            .and_then(|s| s.strip_suffix(".js"))
        {
            // Every key sits in the bucket of its hash.
            for k in a[2].as_object().unwrap().keys() {
                assert_eq!(search::bucket_of(k, buckets).to_string(), b, "{k}");
            }
        }
    }
    // Own-file counts equal counts from the facet chunks.
    let own: Vec<String> = r
        .files
        .iter()
        .filter(|(p, _)| p.starts_with("search/k/"))
        .flat_map(|(_, t)| {
            call(t).1[2]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(_, v)| v.is_number())
                .map(|(k, _)| k.clone())
                .collect::<Vec<_>>()
        })
        .filter(|k| k.chars().all(token::is_japanese))
        .step_by(97)
        .take(6)
        .collect();
    assert!(own.len() >= 3, "{own:?}");
    for q in &own {
        let d = r.key(q).unwrap();
        assert_eq!(d.docs, r.query(q));
        assert_eq!(d.docs, truth.find(q), "{q}");
        let c = d.counts.expect("a frequent key has counts");
        assert_eq!(c, r.chunk_counts(&d.docs), "{q}");
        // And the title postings point into the list.
        assert!(d.title.iter().all(|&i| (i as usize) < d.docs.len()));
    }
    // Frequent phrases are keys of their own; longer ones use positions.
    let (hits, checks) = r.query_how("分身ロボット");
    assert_eq!(checks, 0);
    assert_eq!(hits, truth.find("分身ロボット"));
    let text = fold::normalize(&mieruka::markdown::plain_text(&site.programmes[0].summary));
    let run = token::runs(&text)
        .into_iter()
        .find_map(|(_, r)| {
            (r.chars().count() >= 11).then(|| r.chars().take(11).collect::<String>())
        })
        .expect("a long run");
    let (hits, checks) = r.query_how(&run);
    assert_eq!(checks, 1, "{run}");
    assert!(!hits.is_empty());
    assert_eq!(hits, truth.find(&run), "{run}");
    // Recall on the bigger site too.
    for q in [
        "外国人",
        "介護",
        "就職氷河期",
        "インターンシップ",
        "女性 再就職",
        "分身ロボット",
    ] {
        assert_eq!(r.query(q), truth.find(q), "{q}");
    }
    // Documents: one file each, in its folder.
    let dd = search::DOC_DIR as u32;
    for p in [0, n / 2, n - 1] {
        let a = r.args(&format!("search/d/{}/{p}.js", p / dd), "d").unwrap();
        assert_eq!(a[2][0].as_str().unwrap(), site.programmes[p as usize].id);
    }
}

#[test]
fn index_is_deterministic() {
    let site = tokyo();
    let a = search::build(&site);
    let b = search::build(&site);
    assert_eq!(a, b);
    let paths: Vec<&String> = a.iter().map(|f| &f.path).collect();
    assert!(paths
        .iter()
        .all(|p| p.starts_with("search/") && p.ends_with(".js")));
}

/// Times the index of a big content folder:
/// `MIERUKA_SEARCH_TIME=/path/content cargo test --release --test integration search::time_index -- --ignored --nocapture`
#[test]
#[ignore]
fn time_index() {
    let Ok(dir) = std::env::var("MIERUKA_SEARCH_TIME") else {
        return;
    };
    let t = std::time::Instant::now();
    let site = match mieruka::check(Path::new(&dir)) {
        mieruka::Checked::Valid(s, _) => *s,
        mieruka::Checked::Invalid(_) => panic!("invalid"),
    };
    eprintln!("load+validate {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let idx = search::index(&site);
    eprintln!("index {:?}: {} keys", t.elapsed(), idx.keys.len());
    drop(idx);
    let t = std::time::Instant::now();
    let files = search::build(&site);
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    eprintln!(
        "build {:?}: {} files, {} bytes",
        t.elapsed(),
        files.len(),
        bytes
    );
}
