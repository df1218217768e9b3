// The shared vectors (tests/search-vectors.json) against search.js in Node:
// the same cases tests/integration/search.rs runs against the Rust indexer.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');

const S = require('../../themes/default/static/search.js');
const V = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'search-vectors.json'), 'utf8'));

test('fold', () => {
  for (const [input, want] of V.fold) assert.strictEqual(S.fold(input), want, JSON.stringify(input));
});

test('runs', () => {
  for (const [text, want] of V.runs) assert.deepStrictEqual(S.runs(text).map((r) => [r.p, r.t]), want, JSON.stringify(text));
});

test('query terms', () => {
  for (const [q, want] of V.terms) {
    assert.deepStrictEqual(S.terms(q).map((t) => [t.text, t.keys, t.phrases.map((p) => [p.run, p.cover])]), want, q);
  }
});

test('document keys', () => {
  // search.js has no document side; rebuild the keys from its runs the way
  // the indexer does, so the run splitting is checked on both sides.
  for (const [text, want] of V.doc_keys) {
    const keys = new Set();
    for (const r of S.runs(S.fold(text))) {
      const cs = Array.from(r.t);
      for (let a = 0; a < cs.length; a++) for (let n = 1; n <= 3 && a + n <= cs.length; n++) keys.add(cs.slice(a, a + n).join(''));
    }
    const got = Array.from(keys).sort((x, y) => (x < y ? -1 : 1));
    assert.deepStrictEqual(got.sort(), want.slice().sort(), text);
  }
});

test('hash', () => {
  for (const [s, h] of V.hash) assert.strictEqual(S.hash(s), h, s);
});

test('postings written by Rust decode in JS', () => {
  for (const [list, enc] of V.postings) assert.deepStrictEqual(Array.from(S.decode(enc)), list, enc);
  assert.deepStrictEqual(S.nums(V.nums[1]), V.nums[0]);
});

test('fold map points back into the original text', () => {
  const text = 'ｲﾝﾀｰﾝｼｯﾌﾟと㈱ＡＢＣ';
  const m = S.foldMap(text, true);
  assert.strictEqual(m.t, 'いんたーんしっぷと(株)abc');
  const i = m.t.indexOf('しっぷ');
  assert.strictEqual(text.slice(m.st[i], m.en[i + 2]), 'ｼｯﾌﾟ');
  const j = m.t.indexOf('abc');
  assert.strictEqual(text.slice(m.st[j], m.en[j + 2]), 'ＡＢＣ');
});
