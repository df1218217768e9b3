//! The indexer's hasher: fast, non-cryptographic, and stable across
//! machines and versions — the maps' order never reaches the output (keys
//! are sorted), and [`hash64`] is written into the index's version, so it
//! must not change (docs/search.md).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast non-cryptographic hasher for the indexer's maps (their order never
/// reaches the output: keys are sorted).
#[derive(Default, Clone, Copy)]
pub struct Fx(u64);

impl Fx {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut it = bytes.chunks_exact(8);
        for c in &mut it {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
        }
        let mut b = [0u8; 8];
        b[..it.remainder().len()].copy_from_slice(it.remainder());
        self.add(u64::from_le_bytes(b) ^ (bytes.len() as u64) << 56);
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;
pub type FxSet<K> = std::collections::HashSet<K, BuildHasherDefault<Fx>>;

/// A 64-bit hash of byte strings, continued from `h` (for the index
/// version: fast, stable across machines, not for adversaries).
pub fn hash64(h: u64, parts: &[&[u8]]) -> u64 {
    let mut f = Fx(h);
    for part in parts {
        f.write(part);
    }
    f.finish()
}
