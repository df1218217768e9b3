//! The inverted index, built in parallel.
//!
//! The documents are cut into fixed chunks of consecutive documents; each
//! chunk is indexed on its own (rayon) into maps keyed by a packed n-gram
//! (no string is allocated or compared per occurrence), and the chunks'
//! lists are concatenated in document order, so the result is the same
//! whatever the number of threads. Three steps:
//!
//! 1. every character, bigram and trigram of the runs (see [`token`]):
//!    documents, title documents, and for trigrams the positions;
//! 2. the frequent n-grams of 4 to [`MAX_GRAM`] letters, digits, kana or
//!    kanji (no punctuation), level by level
//!    (an n-gram can only be frequent when both of its (n-1)-grams are; the
//!    trigram counts come from step 1);
//! 3. the occurrences of those frequent n-grams: documents and title
//!    documents.

use super::hash::{FxMap, FxSet};
use super::token::{self, MAX_GRAM};
use rayon::prelude::*;
use std::hash::{Hash, Hasher};

/// The inverted index: keys with their postings.
pub struct Index {
    /// Keys, sorted.
    pub keys: Vec<String>,
    /// Per key: documents that have it.
    pub docs: Vec<Vec<u32>>,
    /// Per key: positions in `docs` of the documents that have it in a
    /// title field.
    pub title: Vec<Vec<u32>>,
    /// Per key: for trigrams, per document in `docs`, the positions of its
    /// occurrences (characters from the start of the document's text, see
    /// `doc_text`); empty for other keys.
    pub positions: Vec<Positions>,
}

/// Occurrence positions of a key, per document of its list, flattened.
#[derive(Debug, Clone, Default)]
pub struct Positions {
    /// Per document: the number of occurrences.
    pub counts: Vec<u32>,
    /// All positions, document after document, each document's ascending.
    pub all: Vec<u32>,
}

impl Positions {
    /// Per document: its positions.
    pub fn per_doc(&self) -> Vec<&[u32]> {
        let mut at = 0usize;
        self.counts
            .iter()
            .map(|&c| {
                let s = &self.all[at..at + c as usize];
                at += c as usize;
                s
            })
            .collect()
    }
}

/// Documents per chunk (fixed, so that the work is split the same way on
/// any machine; the result does not depend on it).
const CHUNK_DOCS: usize = 1024;

/// Up to nine characters, 21 bits each, three per word. Characters of
/// runs are never U+0000 (a control character, a separator), so the length
/// is implied.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Gram([u64; 3]);

impl Hash for Gram {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.0[0]);
        state.write_u64(self.0[1]);
        state.write_u64(self.0[2]);
    }
}

impl Gram {
    fn of(cs: &[char]) -> Gram {
        let mut w = [0u64; 3];
        for (i, &c) in cs.iter().enumerate() {
            w[i / 3] |= u64::from(u32::from(c)) << (21 * (i % 3));
        }
        Gram(w)
    }

    /// Whether every character is a letter, digit, kana or kanji (no
    /// punctuation): only such n-grams seed the frequent long n-grams.
    fn searchable(&self) -> bool {
        self.text()
            .chars()
            .all(|c| token::is_japanese(c) || token::is_word(c))
    }

    fn text(&self) -> String {
        let mut s = String::new();
        for i in 0..9 {
            let c = (self.0[i / 3] >> (21 * (i % 3))) & 0x1f_ffff;
            match char::from_u32(c as u32) {
                Some(ch) if c != 0 => s.push(ch),
                _ => break,
            }
        }
        s
    }
}

/// A key while indexing: an n-gram of a run.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Gram(Gram),
}

impl Key {
    fn text(&self) -> String {
        match self {
            Key::Gram(g) => g.text(),
        }
    }
}

/// Appends `v` as a little-endian base-128 varint.
fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint at `at`, moving it on.
fn get_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        v |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    v
}

/// A strictly increasing list of numbers, kept as varint gaps (most gaps
/// of a frequent key fit a byte: a quarter of a `Vec<u32>`).
#[derive(Default)]
struct List {
    bytes: Vec<u8>,
    last: u32,
    n: u32,
}

impl List {
    fn push(&mut self, d: u32) {
        let gap = if self.n == 0 { d } else { d - self.last - 1 };
        put_varint(&mut self.bytes, gap);
        self.last = d;
        self.n += 1;
    }

    /// Appends `other`, whose numbers all come after this list's.
    fn append(&mut self, other: List) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            // Keep this list's buffer (it may have been sized for the whole).
            self.bytes.extend_from_slice(&other.bytes);
            self.last = other.last;
            self.n = other.n;
            return;
        }
        let mut at = 0;
        let first = get_varint(&other.bytes, &mut at);
        self.push(first);
        self.bytes.extend_from_slice(&other.bytes[at..]);
        self.last = other.last;
        self.n += other.n - 1;
    }

    fn decode(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.n as usize);
        let mut at = 0;
        let mut prev: i64 = -1;
        for _ in 0..self.n {
            prev += i64::from(get_varint(&self.bytes, &mut at)) + 1;
            out.push(prev as u32);
        }
        out
    }
}

/// A key's lists while indexing.
#[derive(Default)]
struct Post {
    docs: List,
    tdocs: List,
    /// Trigrams: per document of `docs`, its number of occurrences (varints).
    counts: Vec<u8>,
    /// Trigrams: per document, its occurrence positions (varints: the first,
    /// then each gap minus one).
    pos: Vec<u8>,
    /// Occurrences in the current document (not yet in `counts`), and the
    /// last one's position.
    cur: u32,
    cur_pos: u32,
    /// Whether positions are kept (trigrams).
    tri: bool,
}

impl Post {
    /// Ends the current document.
    fn flush(&mut self) {
        if self.cur > 0 {
            put_varint(&mut self.counts, self.cur);
            self.cur = 0;
        }
    }

    fn positions(&self) -> Positions {
        let mut out = Positions::default();
        let (mut c, mut p) = (0, 0);
        while c < self.counts.len() {
            let n = get_varint(&self.counts, &mut c);
            out.counts.push(n);
            let mut prev: i64 = -1;
            for _ in 0..n {
                prev += i64::from(get_varint(&self.pos, &mut p)) + 1;
                out.all.push(prev as u32);
            }
        }
        out
    }

    /// The key's documents, its title documents as positions in that list,
    /// and its positions.
    fn decode(&self) -> (Vec<u32>, Vec<u32>, Positions) {
        let docs = self.docs.decode();
        let t = self.tdocs.decode();
        let mut tp = Vec::with_capacity(t.len());
        let mut j = 0;
        for (i, &x) in docs.iter().enumerate() {
            if j < t.len() && t[j] == x {
                tp.push(i as u32);
                j += 1;
            }
        }
        (docs, tp, self.positions())
    }
}

/// The lists of a run of documents, keys in first-seen order.
#[derive(Default)]
struct Part {
    /// Ids of n-grams of up to three characters (most keys and most
    /// lookups), by their one packed word: cheaper to hash and compare.
    short: FxMap<u64, u32>,
    /// Ids of the other keys.
    ids: FxMap<Key, u32>,
    keys: Vec<Key>,
    posts: Vec<Post>,
}

impl Part {
    fn id(&self, key: &Key) -> Option<u32> {
        match key {
            Key::Gram(Gram([w, 0, 0])) => self.short.get(w).copied(),
            _ => self.ids.get(key).copied(),
        }
    }

    fn set_id(&mut self, key: Key, id: u32) {
        match key {
            Key::Gram(Gram([w, 0, 0])) => self.short.insert(w, id),
            _ => self.ids.insert(key, id),
        };
    }

    /// Records an occurrence of `key` at character `at` of document `d`
    /// (documents in increasing order; positions increasing per key).
    fn add(&mut self, key: Key, tri: bool, d: u32, at: u32, title: bool) {
        let id = match self.id(&key) {
            Some(id) => id as usize,
            None => {
                self.set_id(key, self.posts.len() as u32);
                self.new_key(key, tri)
            }
        };
        self.add_at(id, d, at, title);
    }

    /// A new key (not in `ids`: only for a part appended to another).
    fn new_key(&mut self, key: Key, tri: bool) -> usize {
        self.keys.push(key);
        self.posts.push(Post {
            tri,
            ..Post::default()
        });
        self.posts.len() - 1
    }

    /// [`Part::add`] for the key of `posts[id]`.
    fn add_at(&mut self, id: usize, d: u32, at: u32, title: bool) {
        let p = &mut self.posts[id];
        if p.docs.n == 0 || p.docs.last != d {
            p.flush();
            p.docs.push(d);
        }
        if p.tri {
            put_varint(&mut p.pos, if p.cur == 0 { at } else { at - p.cur_pos - 1 });
            p.cur += 1;
            p.cur_pos = at;
        }
        if title && (p.tdocs.n == 0 || p.tdocs.last != d) {
            p.tdocs.push(d);
        }
    }

    /// Ends the last document (after which the part can be merged).
    fn finish(mut self) -> Self {
        self.posts.iter_mut().for_each(Post::flush);
        self
    }
}

impl Part {
    /// Appends `other`, whose documents all come after this part's.
    fn append(&mut self, other: Part) {
        for (key, post) in other.keys.into_iter().zip(other.posts) {
            match self.id(&key) {
                Some(id) => {
                    let p = &mut self.posts[id as usize];
                    p.docs.append(post.docs);
                    p.tdocs.append(post.tdocs);
                    p.counts.extend_from_slice(&post.counts);
                    p.pos.extend_from_slice(&post.pos);
                }
                None => {
                    self.set_id(key, self.posts.len() as u32);
                    self.keys.push(key);
                    self.posts.push(post);
                }
            }
        }
    }

    /// Gives back the lists' spare capacity.
    fn shrink(&mut self) {
        for p in &mut self.posts {
            p.docs.bytes.shrink_to_fit();
            p.tdocs.bytes.shrink_to_fit();
            p.counts.shrink_to_fit();
            p.pos.shrink_to_fit();
        }
    }
}

/// A document's text as characters (positions are indices here).
struct Doc {
    chars: Vec<char>,
}

impl Doc {
    fn new(text: &str) -> Self {
        Doc {
            chars: text.chars().collect(),
        }
    }

    /// Calls `f(start, end)` with each run (see [`token::runs`]), in
    /// characters, in order.
    fn runs(&self, mut f: impl FnMut(usize, usize)) {
        let cs = &self.chars;
        let mut i = 0;
        while i < cs.len() {
            if token::is_separator(cs[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < cs.len() && !token::is_separator(cs[i]) {
                i += 1;
            }
            f(start, i);
        }
    }
}

/// Step 1 for documents `first..` of `texts`.
fn short_keys(texts: &[(String, u32)], first: usize) -> Part {
    let mut part = Part::default();
    for (k, (text, title_end)) in texts.iter().enumerate() {
        let d = (first + k) as u32;
        let doc = Doc::new(text);
        let cs = &doc.chars;
        // Keys are added in position order, so each key's positions in a
        // document are increasing.
        doc.runs(|s, e| {
            for a in s..e {
                for len in 1..=3 {
                    if a + len <= e {
                        part.add(
                            Key::Gram(Gram::of(&cs[a..a + len])),
                            len == 3,
                            d,
                            a as u32,
                            (a as u32) < *title_end,
                        );
                    }
                }
            }
        });
    }
    part
}

/// Step 2: per document, per character, the length of the longest frequent
/// n-gram starting there (0 when not even its trigram is; frequency is
/// closed under prefixes, so every shorter one is frequent too). Starts at
/// the trigrams, raised level by level by [`raise`].
fn trigram_lens(text: &str, frequent: &FxSet<Gram>) -> Vec<u8> {
    let doc = Doc::new(text);
    let cs = &doc.chars;
    let mut lens = vec![0u8; cs.len()];
    doc.runs(|s, e| {
        for a in s..e.saturating_sub(2) {
            if frequent.contains(&Gram::of(&cs[a..a + 3])) {
                lens[a] = 3;
            }
        }
    });
    lens
}

/// Calls `f(a, gram)` for every position `a` of `text` whose (n-1)-gram
/// and the next position's are frequent (`lens[a]`, `lens[a + 1]` at least
/// n-1, and `lens[a] == n - 1` when `exact`), with the n-gram starting
/// there. Those two (n-1)-grams lie in one run, so the n-gram does
/// too: no run has to be found. `chars` is scratch space; the text is
/// decoded into it only when it has a candidate.
fn candidates(
    text: &str,
    lens: &[u8],
    n: usize,
    exact: bool,
    chars: &mut Vec<char>,
    mut f: impl FnMut(usize, Gram),
) {
    let below = (n - 1) as u8;
    let is = |c: usize| {
        let l = lens[c];
        l >= below && (!exact || l == below) && lens[c + 1] >= below
    };
    let end = lens.len().saturating_sub(1);
    let Some(first) = (0..end).find(|&c| is(c)) else {
        return;
    };
    chars.clear();
    chars.extend(text.chars());
    for c in first..end {
        if is(c) {
            f(c, Gram::of(&chars[c..c + n]));
        }
    }
}

/// Step 2, after level `n` is known (`frequent`: its frequent n-grams): a
/// position whose (n-1)-gram and the next position's are frequent has its
/// n-gram checked (no other n-gram can be frequent).
fn raise(text: &str, lens: &mut [u8], n: usize, frequent: &FxSet<Gram>, chars: &mut Vec<char>) {
    let mut up = Vec::new();
    candidates(text, lens, n, true, chars, |a, g| {
        if frequent.contains(&g) {
            up.push(a);
        }
    });
    for a in up {
        lens[a] = n as u8;
    }
}

/// [`raise`] for every document, in parallel.
fn raise_all(texts: &[(String, u32)], lens: &mut [Vec<u8>], n: usize, frequent: &FxSet<Gram>) {
    texts
        .par_chunks(CHUNK_DOCS)
        .zip(lens.par_chunks_mut(CHUNK_DOCS))
        .for_each(|(ch, ls)| {
            let mut chars = Vec::new();
            for ((t, _), l) in ch.iter().zip(ls) {
                raise(t, l, n, frequent, &mut chars);
            }
        });
}

/// Step 2, one level: document frequencies of the `n`-grams of documents
/// `texts` whose two (n-1)-grams are frequent (read from `lens`).
fn count_level(texts: &[(String, u32)], lens: &[Vec<u8>], n: usize) -> FxMap<Gram, u32> {
    let mut cnt: FxMap<Gram, (u32, u32)> = FxMap::default();
    let mut chars = Vec::new();
    for (d, ((text, _), lens)) in texts.iter().zip(lens).enumerate() {
        candidates(text, lens, n, false, &mut chars, |_, g| {
            let e = cnt.entry(g).or_insert((0, u32::MAX));
            if e.1 != d as u32 {
                e.0 += 1;
                e.1 = d as u32;
            }
        });
    }
    cnt.into_iter().map(|(g, (df, _))| (g, df)).collect()
}

/// Step 3 for documents `first..` of `texts`: at each position, the
/// frequent n-grams from 4 characters up to the longest (from `lens`).
fn long_keys(
    texts: &[(String, u32)],
    lens: &[Vec<u8>],
    first: usize,
    long: &FxMap<Gram, u32>,
) -> Part {
    let mut part = Part::default();
    // Per frequent n-gram, its list in this part (u32::MAX: none yet).
    let mut slot: Vec<u32> = vec![u32::MAX; long.len()];
    let mut cs: Vec<char> = Vec::new();
    for (k, ((text, title_end), lens)) in texts.iter().zip(lens).enumerate() {
        if !lens.iter().any(|&l| l >= 4) {
            continue;
        }
        let d = (first + k) as u32;
        cs.clear();
        cs.extend(text.chars());
        for (a, &l) in lens.iter().enumerate() {
            if l < 4 {
                continue;
            }
            // The 4-gram here, then one character more per length.
            let mut g = Gram::of(&cs[a..a + 3]);
            for len in 4..=l as usize {
                let i = len - 1;
                g.0[i / 3] |= u64::from(u32::from(cs[a + i])) << (21 * (i % 3));
                let Some(&id) = long.get(&g) else { break };
                if slot[id as usize] == u32::MAX {
                    slot[id as usize] = part.new_key(Key::Gram(g), false) as u32;
                }
                part.add_at(
                    slot[id as usize] as usize,
                    d,
                    a as u32,
                    (a as u32) < *title_end,
                );
            }
        }
    }
    part
}

/// Indexes `texts` (folded text, characters up to the end of the title
/// fields) with n-grams of 4 to MAX_GRAM characters kept when in at least
/// `min_df` documents.
pub(super) fn invert(texts: &[(String, u32)], min_df: usize) -> Compact {
    let mut all = index_chunks(texts, &|ch, first| short_keys(ch, first));
    let (long, lens) = frequent_long(texts, &all, min_df);
    if !long.is_empty() {
        let lens = &lens;
        let l = index_chunks(texts, &|ch, first| {
            long_keys(ch, &lens[first..first + ch.len()], first, &long)
        });
        all.append(l);
    }
    drop(lens);
    sorted(all)
}

/// Indexes `texts` chunk by chunk with `f` (given a chunk and the number of
/// its first document) and appends the parts in document order.
///
/// Chunks are indexed a few at a time (in parallel) and each batch is
/// appended to the whole at once, so that memory holds the whole and one
/// batch, not every chunk's lists besides the whole.
fn index_chunks<'a>(
    texts: &'a [(String, u32)],
    f: &(dyn Fn(&'a [(String, u32)], usize) -> Part + Sync),
) -> Part {
    let batch = CHUNK_DOCS * 2 * rayon::current_num_threads().max(1);
    let mut all = Part::default();
    let mut done: Vec<Part> = Vec::new();
    for (b, group) in texts.chunks(batch).enumerate() {
        // The previous batch is appended while this one is indexed.
        let (parts, ()) = rayon::join(
            || {
                group
                    .par_chunks(CHUNK_DOCS)
                    .enumerate()
                    .map(|(c, ch)| f(ch, b * batch + c * CHUNK_DOCS).finish())
                    .collect::<Vec<_>>()
            },
            || done.drain(..).for_each(|p| all.append(p)),
        );
        done = parts;
    }
    done.into_iter().for_each(|p| all.append(p));
    all.shrink();
    all
}

/// Step 2: the frequent n-grams of 4 to MAX_GRAM characters (numbered), and
/// per document, per character, the length of the longest frequent n-gram
/// starting there. Level by level from the trigrams of `all` (step 1) made
/// only of letters, digits, kana and kanji: an n-gram with punctuation
/// (frequent in recombined sentences: `す。この`) is never a key of its own;
/// a term with one is found through its trigrams, exactly all the same.
fn frequent_long(
    texts: &[(String, u32)],
    all: &Part,
    min_df: usize,
) -> (FxMap<Gram, u32>, Vec<Vec<u8>>) {
    let mut prev: FxSet<Gram> = all
        .keys
        .iter()
        .zip(&all.posts)
        .filter_map(|(k, p)| match k {
            Key::Gram(g) if p.tri && p.docs.n as usize >= min_df && g.searchable() => Some(*g),
            _ => None,
        })
        .collect();
    let mut lens: Vec<Vec<u8>> = texts
        .par_iter()
        .map(|(t, _)| trigram_lens(t, &prev))
        .collect();
    let mut long: FxMap<Gram, u32> = FxMap::default();
    for n in 4..=MAX_GRAM {
        if prev.is_empty() {
            break;
        }
        if n > 4 {
            raise_all(texts, &mut lens, n - 1, &prev);
        }
        prev = frequent_level(texts, &lens, n, min_df);
        for g in &prev {
            long.insert(*g, long.len() as u32);
        }
        if prev.is_empty() {
            break;
        }
        if n == MAX_GRAM {
            raise_all(texts, &mut lens, n, &prev);
        }
    }
    (long, lens)
}

/// Step 2, one level: the `n`-grams in at least `min_df` documents (only
/// those whose two (n-1)-grams are frequent can be, read from `lens`).
fn frequent_level(
    texts: &[(String, u32)],
    lens: &[Vec<u8>],
    n: usize,
    min_df: usize,
) -> FxSet<Gram> {
    let counts = texts
        .par_chunks(CHUNK_DOCS)
        .zip(lens.par_chunks(CHUNK_DOCS))
        .map(|(ch, ls)| count_level(ch, ls, n))
        .reduce(FxMap::default, |mut a, b| {
            for (g, df) in b {
                *a.entry(g).or_insert(0) += df;
            }
            a
        });
    counts
        .into_iter()
        .filter(|&(_, df)| df as usize >= min_df)
        .map(|(g, _)| g)
        .collect()
}

/// The lists of `all` with their keys as text, in sorted order.
fn sorted(all: Part) -> Compact {
    let mut order: Vec<(String, usize)> = all
        .keys
        .par_iter()
        .enumerate()
        .map(|(i, k)| (k.text(), i))
        .collect();
    order.par_sort_unstable();
    let mut posts: Vec<Option<Post>> = all.posts.into_iter().map(Some).collect();
    let mut out = Compact {
        keys: Vec::with_capacity(order.len()),
        posts: Vec::with_capacity(order.len()),
    };
    for (k, i) in order {
        if let Some(p) = posts[i].take() {
            out.keys.push(k);
            out.posts.push(p);
        }
    }
    out
}

/// The inverted index as built: keys sorted, lists compact (decoded one key
/// at a time when its files are made).
pub(super) struct Compact {
    pub keys: Vec<String>,
    posts: Vec<Post>,
}

impl Compact {
    /// Number of documents that have key `i`.
    pub fn df(&self, i: usize) -> usize {
        self.posts[i].docs.n as usize
    }

    /// Key `i`'s documents, its title documents as positions in that list,
    /// and (for trigrams) the positions of its occurrences.
    pub fn get(&self, i: usize) -> (Vec<u32>, Vec<u32>, Positions) {
        self.posts[i].decode()
    }

    /// Decoded, for tests and small sites.
    pub fn decode(self) -> Index {
        let (docs, (title, positions)): (Vec<_>, (Vec<_>, Vec<_>)) = self
            .posts
            .par_iter()
            .map(|p| {
                let (d, t, ps) = p.decode();
                (d, (t, ps))
            })
            .unzip();
        Index {
            keys: self.keys,
            docs,
            title,
            positions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every n-gram of 4 to MAX_GRAM characters in at least `min_df`
    /// documents is a key, with exactly the documents that have it: the
    /// level-by-level search finds what counting every n-gram finds.
    #[test]
    fn long_keys_are_every_frequent_ngram() {
        let phrases = [
            "就職氷河期世代",
            "合同企業説明会",
            "外国人材",
            "若年者の就職",
            "介護人材の確保",
            "女性の再就職",
            "インターンシップ",
        ];
        let texts: Vec<(String, u32)> = (0..3000u32)
            .map(|i| {
                let a = phrases[(i * 7 % 11) as usize % phrases.len()];
                let b = phrases[(i * 3 % 5) as usize % phrases.len()];
                let c = phrases[(i / 13) as usize % phrases.len()];
                (format!("{a}{b}\n{c}と{a}、{b} it{}", i % 4), 4)
            })
            .collect();
        let min_df = 40;
        let idx = invert(&texts, min_df).decode();
        let mut truth: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
        for (d, (t, _)) in texts.iter().enumerate() {
            let mut seen = std::collections::BTreeSet::new();
            token::for_each_ngram(t, 4, MAX_GRAM, |g, _| {
                if g.chars()
                    .all(|c| token::is_japanese(c) || token::is_word(c))
                {
                    seen.insert(g.to_string());
                }
            });
            for g in seen {
                truth.entry(g).or_default().push(d as u32);
            }
        }
        truth.retain(|_, docs| docs.len() >= min_df);
        assert!(truth.len() > 50, "the test text has frequent long n-grams");
        let got: std::collections::BTreeMap<String, Vec<u32>> = idx
            .keys
            .iter()
            .zip(&idx.docs)
            .filter(|(k, _)| k.chars().count() > 3)
            .map(|(k, d)| (k.clone(), d.clone()))
            .collect();
        assert_eq!(got, truth);
    }

    #[test]
    fn lists_append_and_decode() {
        let mut a = List::default();
        let mut b = List::default();
        for d in [0, 1, 5, 300, 70_000] {
            a.push(d);
        }
        for d in [70_001, 70_200, u32::MAX] {
            b.push(d);
        }
        a.append(b);
        a.append(List::default());
        assert_eq!(
            a.decode(),
            vec![0, 1, 5, 300, 70_000, 70_001, 70_200, u32::MAX]
        );
        let mut e = List::default();
        let mut c = List::default();
        c.push(7);
        e.append(c);
        assert_eq!(e.decode(), vec![7]);
    }

    #[test]
    fn grams_pack_and_unpack() {
        for s in ["東", "東京", "東京都", "就職氷河期世代支援", "𠮷野家"] {
            let cs: Vec<char> = s.chars().collect();
            assert_eq!(Gram::of(&cs).text(), s);
        }
        let a: Vec<char> = "京都".chars().collect();
        let b: Vec<char> = "京都府".chars().collect();
        assert!(Gram::of(&a) != Gram::of(&b));
    }

    #[test]
    fn chunking_does_not_change_the_index() {
        let texts: Vec<(String, u32)> = (0..2500)
            .map(|i| {
                let t = match i % 3 {
                    0 => "若年者就職支援事業\n就職氷河期世代の若年者 dx 2024",
                    1 => "介護人材確保\n外国人介護人材の就職支援",
                    _ => "合同企業説明会\n若年者と女性の再就職",
                };
                let title_end = t.split('\n').next().unwrap().chars().count() as u32 + 1;
                (t.to_string(), title_end)
            })
            .collect();
        let a = invert(&texts, 32).decode();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let b = one.install(|| invert(&texts, 32).decode());
        assert_eq!(a.positions.len(), b.positions.len());
        assert_eq!(a.keys, b.keys);
        assert_eq!(a.docs, b.docs);
        assert_eq!(a.title, b.title);
        assert!(
            a.keys.iter().any(|k| k == "就職氷河期"),
            "a frequent 5-gram is a key"
        );
        let i = a.keys.iter().position(|k| k == "若年者").unwrap();
        assert_eq!(a.docs[i].len(), 1667);
        // 若年者 is in the title of the first kind only.
        assert_eq!(a.title[i].len(), 834);
        let j = a.keys.iter().position(|k| k == "介護").unwrap();
        let pd = a.positions[j].per_doc();
        assert!(pd.is_empty(), "bigrams keep no positions");
        let t = a.keys.iter().position(|k| k == "就職支").unwrap();
        assert_eq!(a.positions[t].per_doc()[0], &[3][..]);
    }
}
