//! Compact text encodings for the index (decoded by search.js).
//!
//! Everything is written with the URL-safe base64 alphabet, so it sits in a
//! JSON string without escaping. A *number* is a little-endian varint of
//! 5-bit groups (a character ≥ 32 means "more follows"). A *posting list*
//! (strictly increasing document numbers) is `n`, then, if `n > 0`, a mode:
//!
//! * mode 0, gaps: `k`, then a bit stream of `n` Rice codes (parameter `k`) of
//!   the first number and of each later gap minus one;
//! * mode 1, runs of consecutive numbers: `r` (runs), `k1`, `k2`, then a bit
//!   stream of, per run, the Rice code (k1) of the distance from the end of
//!   the previous run (minus one after the first run) and the Rice code (k2)
//!   of its length minus one.
//!
//! A Rice code of `x` with parameter `k` is `x >> k` one-bits, a zero-bit, and
//! the low `k` bits of `x`. Bit streams are packed six bits per character,
//! most significant first, and start on a fresh character. The encoder picks
//! the mode and parameters that give the shortest string.

/// The alphabet (URL-safe base64).
pub const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn val(c: u8) -> Option<u64> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u64)
}

/// Characters [`put_num`] writes for `v`.
pub fn num_len(v: u64) -> usize {
    // One per started group of five bits; zero takes one.
    (64 - v.leading_zeros()).div_ceil(5).max(1) as usize
}

/// Appends number `v`.
pub fn put_num(out: &mut String, mut v: u64) {
    loop {
        let d = v & 31;
        v >>= 5;
        if v > 0 {
            out.push(ALPHABET[(d | 32) as usize] as char);
        } else {
            out.push(ALPHABET[d as usize] as char);
            return;
        }
    }
}

/// A sequence of numbers.
pub fn nums(vs: impl IntoIterator<Item = u64>) -> String {
    let mut s = String::new();
    for v in vs {
        put_num(&mut s, v);
    }
    s
}

/// A bit stream packed six bits per character, most significant first,
/// appended to a string as it is made.
struct Bits<'a> {
    out: &'a mut String,
    /// Bits not yet written (the low `n`, fewer than six between calls).
    acc: u64,
    n: u32,
}

impl<'a> Bits<'a> {
    /// Writes onto the end of `out`, reserving room for `bits` bits.
    fn new(out: &'a mut String, bits: u64) -> Self {
        out.reserve(bits.div_ceil(6) as usize);
        Bits { out, acc: 0, n: 0 }
    }
    /// Appends the low `bits` (at most 58) of `v`.
    fn put(&mut self, v: u64, bits: u32) {
        debug_assert!(bits <= 58);
        self.acc = (self.acc << bits) | (v & ((1u64 << bits) - 1));
        self.n += bits;
        while self.n >= 6 {
            self.n -= 6;
            self.out
                .push(char::from(ALPHABET[((self.acc >> self.n) & 63) as usize]));
        }
        self.acc &= (1u64 << self.n) - 1;
    }
    fn rice(&mut self, x: u64, k: u32) {
        let mut q = x >> k;
        // Usually the whole code (q ones, a zero, k bits) fits one put.
        if q + 1 + u64::from(k) <= 58 {
            let ones = ((1u64 << q) - 1) << (k + 1);
            self.put(ones | (x & ((1u64 << k) - 1)), q as u32 + 1 + k);
            return;
        }
        while q > 0 {
            let t = q.min(32) as u32;
            self.put(u64::MAX, t);
            q -= u64::from(t);
        }
        self.put(0, 1);
        if k > 32 {
            self.put(x >> 32, k - 32);
            self.put(x, 32);
        } else {
            self.put(x, k);
        }
    }
    /// Pads the last character with zero bits.
    fn finish(mut self) {
        if self.n != 0 {
            self.put(0, 6 - self.n);
        }
    }
}

fn rice_bits(xs: &[u64], k: u32) -> u64 {
    xs.iter().map(|&x| (x >> k) + 1 + u64::from(k)).sum()
}

/// The parameter giving the fewest bits, the smallest on a tie. The cost
/// is convex in `k`: from `k` to `k + 1` it changes by
/// `n - Σ(⌊x/2^k⌋ - ⌊x/2^(k+1)⌋)`, and that sum does not grow with `k`; so
/// the first `k` whose successor is no cheaper is the answer.
fn best_k(xs: &[u64]) -> (u32, u64) {
    // Start near the optimum (log2 of the mean), then walk downhill.
    let mean = xs.iter().sum::<u64>() / (xs.len() as u64).max(1);
    let mut k = (64 - mean.leading_zeros()).saturating_sub(1).min(39);
    let mut bits = rice_bits(xs, k);
    while k > 0 {
        let lower = rice_bits(xs, k - 1);
        if lower > bits {
            break;
        }
        k -= 1;
        bits = lower;
    }
    while k < 39 {
        let next = rice_bits(xs, k + 1);
        if next >= bits {
            break;
        }
        k += 1;
        bits = next;
    }
    (k, bits)
}

/// Encodes a strictly increasing list.
pub fn encode_posting(list: &[u32]) -> String {
    // Most lists are short and there are hundreds of thousands: the
    // numbers of both modes go into per-thread buffers, not new vectors.
    thread_local! {
        static SCRATCH: std::cell::RefCell<[Vec<u64>; 3]> = Default::default();
    }
    let mut out = String::new();
    put_num(&mut out, list.len() as u64);
    if list.is_empty() {
        return out;
    }
    SCRATCH.with(|s| {
        let [gaps, dists, lens] = &mut *s.borrow_mut();
        // Mode 0.
        gaps.clear();
        gaps.extend(list.iter().enumerate().map(|(i, &d)| {
            if i == 0 {
                u64::from(d)
            } else {
                u64::from(d - list[i - 1] - 1)
            }
        }));
        let (k, bits0) = best_k(gaps);
        // Mode 1.
        dists.clear();
        lens.clear();
        let mut i = 0;
        let mut prev_end: u64 = 0;
        while i < list.len() {
            let start = i;
            while i + 1 < list.len() && list[i + 1] == list[i] + 1 {
                i += 1;
            }
            let s = u64::from(list[start]);
            dists.push(if start == 0 { s } else { s - prev_end - 1 });
            lens.push((i - start) as u64);
            prev_end = u64::from(list[i]) + 1;
            i += 1;
        }
        let (k1, b1) = best_k(dists);
        let (k2, b2) = best_k(lens);
        let m1_head = num_len(1)
            + num_len(dists.len() as u64)
            + num_len(u64::from(k1))
            + num_len(u64::from(k2));
        let m1_len = m1_head as u64 + (b1 + b2).div_ceil(6);
        let m0_len = 2 + bits0.div_ceil(6);
        if m1_len < m0_len {
            put_num(&mut out, 1);
            put_num(&mut out, dists.len() as u64);
            put_num(&mut out, u64::from(k1));
            put_num(&mut out, u64::from(k2));
            let mut bits = Bits::new(&mut out, b1 + b2);
            for (d, l) in dists.iter().zip(lens.iter()) {
                bits.rice(*d, k1);
                bits.rice(*l, k2);
            }
            bits.finish();
        } else {
            put_num(&mut out, 0);
            put_num(&mut out, u64::from(k));
            let mut bits = Bits::new(&mut out, bits0);
            for &g in gaps.iter() {
                bits.rice(g, k);
            }
            bits.finish();
        }
    });
    out
}

/// Encodes occurrence positions, one list per document of a posting list
/// (each non-empty and increasing): `kc`, `kp`, then a bit stream of, per
/// document, the Rice code (kc) of the count minus one and the Rice codes
/// (kp) of the first position and of each later gap minus one.
pub fn encode_positions(per_doc: &[&[u32]]) -> String {
    let counts: Vec<u64> = per_doc.iter().map(|p| p.len() as u64 - 1).collect();
    let gaps: Vec<u64> = per_doc
        .iter()
        .flat_map(|p| {
            p.iter().enumerate().map(move |(i, &x)| {
                if i == 0 {
                    u64::from(x)
                } else {
                    u64::from(x - p[i - 1] - 1)
                }
            })
        })
        .collect();
    let (kc, bc) = best_k(&counts);
    let (kp, bp) = best_k(&gaps);
    let mut out = String::new();
    put_num(&mut out, u64::from(kc));
    put_num(&mut out, u64::from(kp));
    let mut bits = Bits::new(&mut out, bc + bp);
    let mut g = gaps.iter();
    for &c in &counts {
        bits.rice(c, kc);
        for _ in 0..=c {
            bits.rice(*g.next().unwrap_or(&0), kp);
        }
    }
    bits.finish();
    out
}

/// Decodes positions for `docs` documents (the Rust twin of search.js's).
pub fn decode_positions(s: &str, docs: usize) -> Option<Vec<Vec<u32>>> {
    let mut r = Reader::new(s);
    let kc = r.num()? as u32;
    let kp = r.num()? as u32;
    let mut b = BitReader {
        s: &r.s[r.pos..],
        bit: 0,
    };
    let mut out = Vec::with_capacity(docs);
    for _ in 0..docs {
        let c = b.rice(kc)? + 1;
        let mut v = Vec::with_capacity(c as usize);
        let mut prev: i64 = -1;
        for _ in 0..c {
            prev += b.rice(kp)? as i64 + 1;
            v.push(prev as u32);
        }
        out.push(v);
    }
    Some(out)
}

/// A reader over an encoded string (numbers and bit streams).
pub struct Reader<'a> {
    s: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Starts at the beginning of `s`.
    pub fn new(s: &'a str) -> Self {
        Reader {
            s: s.as_bytes(),
            pos: 0,
        }
    }
    /// Reads a number.
    pub fn num(&mut self) -> Option<u64> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let d = val(*self.s.get(self.pos)?)?;
            self.pos += 1;
            v |= (d & 31) << shift;
            shift += 5;
            if d < 32 {
                return Some(v);
            }
        }
    }
}

struct BitReader<'a> {
    s: &'a [u8],
    bit: usize,
}

impl BitReader<'_> {
    fn bit(&mut self) -> Option<bool> {
        let c = val(*self.s.get(self.bit / 6)?)?;
        let b = (c >> (5 - self.bit % 6)) & 1 == 1;
        self.bit += 1;
        Some(b)
    }
    fn rice(&mut self, k: u32) -> Option<u64> {
        let mut q = 0u64;
        while self.bit()? {
            q += 1;
        }
        let mut r = 0u64;
        for _ in 0..k {
            r = (r << 1) | u64::from(self.bit()?);
        }
        Some((q << k) | r)
    }
}

/// Decodes a posting list (the Rust twin of search.js's decoder, for tests).
pub fn decode_posting(s: &str) -> Option<Vec<u32>> {
    let mut r = Reader::new(s);
    let n = r.num()? as usize;
    let mut out = Vec::with_capacity(n);
    if n == 0 {
        return Some(out);
    }
    let mode = r.num()?;
    if mode == 0 {
        let k = r.num()? as u32;
        let mut b = BitReader {
            s: &r.s[r.pos..],
            bit: 0,
        };
        let mut prev: i64 = -1;
        for _ in 0..n {
            let g = b.rice(k)? as i64;
            prev += g + 1;
            out.push(prev as u32);
        }
    } else {
        let runs = r.num()? as usize;
        let k1 = r.num()? as u32;
        let k2 = r.num()? as u32;
        let mut b = BitReader {
            s: &r.s[r.pos..],
            bit: 0,
        };
        let mut end: u64 = 0;
        for i in 0..runs {
            let d = b.rice(k1)?;
            let start = if i == 0 { d } else { end + d + 1 };
            let len = b.rice(k2)? + 1;
            for x in start..start + len {
                out.push(x as u32);
            }
            end = start + len;
        }
        if out.len() != n {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn num_len_is_what_put_num_writes() {
        for v in (0..5000u64).chain([31, 32, 1023, 1024, u32::MAX as u64, u64::MAX]) {
            let mut s = String::new();
            put_num(&mut s, v);
            assert_eq!(num_len(v), s.len(), "{v}");
        }
    }

    #[test]
    fn postings_round_trip() {
        let cases: Vec<Vec<u32>> = vec![
            vec![],
            vec![0],
            vec![5],
            vec![0, 1, 2, 3, 10, 11, 12, 400],
            (0..1000).collect(),
            (0..1000).map(|i| i * 7 + 3).collect(),
            (0..500).map(|i| i * i).collect(),
        ];
        for c in cases {
            let e = encode_posting(&c);
            assert!(e.bytes().all(|b| ALPHABET.contains(&b)));
            assert_eq!(decode_posting(&e).unwrap(), c, "{e}");
        }
        // Large gaps (a Rice parameter over 32) and long unary parts.
        let wide: Vec<u32> = vec![0, 1, 3_000_000_000, 3_000_000_001, u32::MAX];
        assert_eq!(decode_posting(&encode_posting(&wide)).unwrap(), wide);
        let mut s = String::new();
        let mut b = Bits::new(&mut s, 0);
        b.rice(5_000, 0);
        b.rice(1u64 << 38, 39);
        b.finish();
        let mut r = BitReader {
            s: s.as_bytes(),
            bit: 0,
        };
        assert_eq!(r.rice(0), Some(5_000));
        assert_eq!(r.rice(39), Some(1u64 << 38));
        // Runs are cheap.
        assert!(encode_posting(&(0..100_000).collect::<Vec<_>>()).len() < 16);
    }

    #[test]
    fn positions_round_trip() {
        let per: Vec<Vec<u32>> = vec![vec![0], vec![3, 9, 400], vec![77], vec![1, 2]];
        let refs: Vec<&[u32]> = per.iter().map(|v| v.as_slice()).collect();
        let e = encode_positions(&refs);
        assert_eq!(decode_positions(&e, 4).unwrap(), per);
    }

    #[test]
    fn the_rice_parameter_is_the_cheapest() {
        let lists: Vec<Vec<u64>> = vec![
            vec![],
            vec![0; 9],
            vec![1, 1, 1, 200_000],
            (0..300).map(|i| (i * i * 7919) % 5003).collect(),
            (0..50).map(|i| 1u64 << (i % 33)).collect(),
        ];
        for xs in lists {
            let exhaustive = (0..40)
                .map(|k| (k, rice_bits(&xs, k)))
                .min_by_key(|&(k, b)| (b, k))
                .unwrap();
            assert_eq!(best_k(&xs), exhaustive, "{xs:?}");
        }
    }

    #[test]
    fn numbers_round_trip() {
        let s = nums([0, 31, 32, 1000, u64::from(u32::MAX)]);
        let mut r = Reader::new(&s);
        for v in [0, 31, 32, 1000, u64::from(u32::MAX)] {
            assert_eq!(r.num(), Some(v));
        }
    }
}
