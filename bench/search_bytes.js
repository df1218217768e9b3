#!/usr/bin/env node
// Replays queries against a built site with its own assets/search.js and
// counts the bytes of every index file the page would load (files are read
// from disk instead of <script> tags; the same code decides what to load).
//
//   node bench/search_bytes.js SITE RECORDS.jsonl QUERY...   -> JSON on stdout
//
// Per query, cold = search.js + meta.js + what the query loads + the
// documents of the first page of results (what the page shows); cold_gz =
// the same with each file gzipped (what a server with compression sends). "counts"
// tells where the facet counts came from: "key" (precomputed with the
// key), "chunks" (facet files loaded), or "button" (not loaded until the
// reader asks; facets_extra = what asking costs). warm = what the query
// adds after all the queries before it in the same page.
// Truth = records whose folded fields contain every folded term.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const zlib = require('node:zlib');

const [site, records, ...queries] = process.argv.slice(2);
const jsPath = path.join(site, 'assets', 'search.js');
const jsBytes = fs.statSync(jsPath).size;
const gz = (text) => zlib.gzipSync(text, { level: 6 }).length;
const jsGz = gz(fs.readFileSync(jsPath));

function fresh() {
  const ctx = { console, URLSearchParams, globalThis: null };
  ctx.globalThis = ctx;
  vm.createContext(ctx);
  vm.runInContext(fs.readFileSync(jsPath, 'utf8'), ctx, { filename: 'search.js' });
  const api = ctx.mierukaSearch;
  const log = [];
  api.loader = (url, resolve) => {
    const file = path.join(site, 'search', url);
    let text;
    try { text = fs.readFileSync(file, 'utf8'); } catch (e) { log.push({ url, bytes: 0, gz: 0 }); resolve(false); return; }
    log.push({ url, bytes: Buffer.byteLength(text), gz: gz(text) });
    vm.runInContext(text, ctx, { filename: url });
    resolve(true);
  };
  api.reset('');
  return { api, log };
}
const sum = (log, f) => log.filter((x) => f(x.url)).reduce((a, x) => a + x.bytes, 0);

(async () => {
  // Truth from the records, in site order (programmes sorted by id).
  const { api: A0 } = fresh();
  const recs = fs.readFileSync(records, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  recs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const SCHEME = { model: 'モデル事業', general: '一般事業' };
  const CATEGORY = { labour: '労働力確保事業', treatment: '処遇改善事業' };
  const folded = recs.map((r) => [r.name, r.summary, r.implementer, r.municipality, ...r.themes, CATEGORY[r.category], SCHEME[r.scheme]].map((f) => A0.fold(f)));

  const warm = fresh();
  await warm.api.init();
  const out = { js_bytes: jsBytes, js_gz: jsGz, meta_bytes: 0, queries: [] };
  for (const q of queries) {
    const { api, log } = fresh();
    await api.init();
    out.meta_bytes = sum(log, (u) => u === 'meta.js');
    const res = await api.search(q, {}, {});
    const page = res.ids.slice(0, api.pageSize);
    await api.loadDocs(page);
    const idx = sum(log, (u) => u !== 'meta.js' && !u.startsWith('d/') && !u.startsWith('f/'));
    const docs = sum(log, (u) => u.startsWith('d/'));
    const facetsNow = sum(log, (u) => u.startsWith('f/'));
    const cold = jsBytes + sum(log, () => true);
    const coldGz = jsGz + log.reduce((a, x) => a + x.gz, 0);
    const files = 1 + log.length;
    let counts = res.counts ? (res.exactKey ? 'key' : 'computed') : 'button';
    let extra = 0;
    if (!res.counts) {
      const before = log.length;
      const r2 = await api.search(q, {}, { facets: true });
      extra = log.slice(before).reduce((a, x) => a + x.bytes, 0);
      if (!r2.counts) counts = 'none';
    }
    // Warm: the same page after the previous queries.
    const wb = warm.log.length;
    const wr = await warm.api.search(q, {}, {});
    await warm.api.loadDocs(wr.ids.slice(0, warm.api.pageSize));
    const warmBytes = warm.log.slice(wb).reduce((a, x) => a + x.bytes, 0);
    // Truth.
    const ts = api.terms(q);
    const truth = [];
    folded.forEach((fs, i) => { if (ts.every((t) => fs.some((f) => f.includes(t.text)))) truth.push(i); });
    const got = Array.from(res.ids).sort((a, b) => a - b);
    const same = got.length === truth.length && got.every((x, i) => x === truth[i]);
    out.queries.push({ q, count: res.total, truth: truth.length, same, cold, cold_gz: coldGz, files, index: idx, docs, counts, facets_now: facetsNow, facets_extra: extra, warm: warmBytes });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
})().catch((e) => { console.error(e); process.exit(1); });
