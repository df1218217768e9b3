/* mieruka search (docs/search.md). No dependencies. Index files under
 * search/ are classic scripts calling mierukaSearch.<m|k|p|q|d|f>(version,
 * ...), so this works from file:// and any folder. fold, terms and decode
 * mirror src/search/{fold,token,codec}.rs; tests/search-vectors.json keeps
 * them equal. */
((G) => {
  'use strict';
  const cp = (s, i = 0) => s.codePointAt(i);
  // Is u in one of the ranges [lo, hi, lo, hi, ...]?
  const inR = (u, r) => { for (let i = 0; i < r.length; i += 2) if (u >= r[i] && u <= r[i + 1]) return true; return false; };
  const JOIN = [0x300, 0x36f, 0x3099, 0x309a, 0xff9e, 0xff9f, 0xfe00, 0xfe0f, 0xe0100, 0xe01ef];
  const SPACE = [9, 13, 0x20, 0x20, 0x85, 0x85, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000];
  const DROP = [0x200b, 0x200d, 0x2060, 0x2060, 0xfeff, 0xfeff, 0xfe00, 0xfe0f, 0xe0100, 0xe01ef];
  const KANA = [0x3041, 0x3096, 0x309d, 0x309e, 0x30f7, 0x30fa, 0x30fc, 0x30fc];
  const WAVE = [0x7e, 0x7e, 0x223c, 0x223c, 0x301c, 0x301c, 0x3030, 0x3030];
  const DASH = [0x2d, 0x2d, 0x2010, 0x2015, 0x2043, 0x2043, 0x2212, 0x2212];
  const JA = [0x3005, 0x3007, 0x303b, 0x303b, 0x3041, 0x309f, 0x30a1, 0x30fa, 0x30fc, 0x30ff, 0x31f0, 0x31ff, 0x3400, 0x4dbf,
    0x4e00, 0x9fff, 0xf900, 0xfaff, 0x20000, 0x3134f];
  const WORD = /[\p{Alphabetic}\p{N}]/u;

  /* fold v1: per cluster NFKC, lower case, kana, dashes (src/search/fold.rs).
   * With map, also per output code unit the original cluster's [st, en). */
  function foldMap(s, map) {
    const out = [], st = [], en = [];
    let pending = false, any = false, prev = -1, i = 0;
    while (i < s.length) {
      const start = i;
      i += cp(s, i) > 0xffff ? 2 : 1;
      while (i < s.length && inR(cp(s, i), JOIN)) i += cp(s, i) > 0xffff ? 2 : 1;
      for (const a of s.slice(start, i).normalize('NFKC')) {
        for (const l of a.toLowerCase()) {
          let f = cp(l);
          if (inR(f, SPACE)) { pending = any; continue; }
          if (inR(f, DROP)) continue;
          if ((f >= 0x30a1 && f <= 0x30f6) || f === 0x30fd || f === 0x30fe) f -= 0x60;
          else if (inR(f, WAVE)) f = 0x7e;
          else if (inR(f, DASH)) f = 0x2d;
          if ((f === 0x2d || f === 0x7e) && !pending && prev >= 0 && inR(prev, KANA)) f = 0x30fc;
          if (pending) { out.push(' '); if (map) { st.push(start); en.push(start); } pending = false; }
          const ch = String.fromCodePoint(f);
          out.push(ch);
          if (map) for (let k = 0; k < ch.length; k++) { st.push(start); en.push(i); }
          prev = f;
          any = true;
        }
      }
      if (pending) prev = -1;
    }
    const t = out.join('');
    return map ? { t, st, en } : t;
  }
  const fold = (s) => foldMap(s, false);

  /* tokens (src/search/token.rs): runs are the stretches between
   * separators (a space or a control character); a term is one run. */
  const isSep = (c) => c === ' ' || /\p{Cc}/u.test(c);
  const letter = (c) => inR(cp(c), JA) || WORD.test(c), searchable = (t) => Array.from(t).some(letter);
  /* The runs of folded text s: [{p: position in characters, t: text}]. */
  function runs(s) {
    const out = [];
    let buf = '', start = 0, pos = 0;
    for (const c of s) {
      if (isSep(c)) { if (buf) out.push({ p: start, t: buf }); buf = ''; } else { if (!buf) start = pos; buf += c; }
      pos++;
    }
    if (buf) out.push({ p: start, t: buf });
    return out;
  }
  function cover(n) {
    const v = [];
    for (let o = 0; o <= n - 3; o += 3) v.push(o);
    if (v[v.length - 1] !== n - 3) v.push(n - 3);
    return v;
  }
  /* Query terms: [{text, keys, phrases: [{run, cover: [[trigram, offset]]}]}];
   * a term of up to three characters is its own key, a longer one a phrase. */
  function terms(q) {
    const out = [];
    for (const { t } of runs(fold(q))) {
      if (!searchable(t) || out.some((o) => o.text === t)) continue;
      const cs = Array.from(t);
      out.push(cs.length <= 3 ? { text: t, keys: [t], phrases: [] }
        : { text: t, keys: [], phrases: [{ run: t, cover: cover(cs.length).map((o) => [cs[o] + cs[o + 1] + cs[o + 2], o]) }] });
    }
    return out;
  }
  function hash(s) {
    let h = 0x811c9dc5;
    for (const c of s) h = Math.imul(h ^ cp(c), 0x01000193) >>> 0;
    return h;
  }

  /* codec (src/search/codec.rs) */
  const VAL = new Int8Array(128).fill(-1);
  Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', (c, i) => { VAL[c.charCodeAt(0)] = i; });
  class Reader {
    constructor(s) { this.s = s; this.p = 0; this.b = -1; }
    num() {
      let v = 0, mul = 1, d;
      do { d = VAL[this.s.charCodeAt(this.p++)]; v += (d & 31) * mul; mul *= 32; } while (d >= 32);
      return v;
    }
    bit() {
      if (this.b < 0) this.b = this.p * 6;
      const c = VAL[this.s.charCodeAt((this.b / 6) | 0)], r = (c >> (5 - this.b % 6)) & 1;
      this.b++;
      return r;
    }
    rice(k) {
      let q = 0, r = 0;
      while (this.bit()) q++;
      for (let i = 0; i < k; i++) r = r * 2 + this.bit();
      return q * 2 ** k + r;
    }
  }
  function decode(s) {
    const r = new Reader(s || 'A'), n = r.num(), out = new Uint32Array(n);
    if (!n) return out;
    if (r.num() === 0) {
      const k = r.num();
      for (let i = 0, prev = -1; i < n; i++) out[i] = prev += r.rice(k) + 1;
    } else {
      const runsN = r.num(), k1 = r.num(), k2 = r.num();
      for (let i = 0, end = 0, o = 0; i < runsN; i++) {
        const start = i ? end + r.rice(k1) + 1 : r.rice(k1), len = r.rice(k2) + 1;
        for (let x = 0; x < len; x++) out[o++] = start + x;
        end = start + len;
      }
    }
    return out;
  }
  function decodePositions(s, docs) {
    const r = new Reader(s), kc = r.num(), kp = r.num(), out = [];
    for (let i = 0; i < docs; i++) {
      const v = [];
      for (let c = r.rice(kc) + 1, prev = -1; c > 0; c--) v.push(prev += r.rice(kp) + 1);
      out.push(v);
    }
    return out;
  }
  function nums(s) { const r = new Reader(s), out = []; while (r.p < s.length) out.push(r.num()); return out; }
  /* Facet counts: 0 then every count, or 1 then (distance, count) pairs. */
  function counts(s, n) {
    const v = nums(s), c = new Array(n).fill(0);
    if (v[0] === 0) for (let i = 0; i < n; i++) c[i] = v[i + 1];
    else for (let i = 1, at = -1; i < v.length; i += 2) c[at += v[i] + 1] = v[i + 1];
    return c;
  }

  /* loading */
  let S;
  const scripts = new Map();
  function reset(base) {
    S = { base: base || '', v: null, meta: null, buckets: {}, own: {}, pos: {}, docs: {}, chunks: {}, stale: false, keys: new Map() };
    api.state = S;
    scripts.clear();
  }
  /* Loads a classic script once; resolves true, or false when missing. */
  function load(rel) {
    if (!scripts.has(rel)) {
      scripts.set(rel, new Promise((resolve) => {
        if (api.loader) return api.loader(S.base + rel, resolve);
        const el = document.createElement('script');
        el.src = S.base + rel + (S.v ? '?v=' + S.v : '');
        el.onload = () => { el.remove(); resolve(true); };
        el.onerror = () => { el.remove(); resolve(false); };
        document.head.appendChild(el);
      }));
    }
    return scripts.get(rel);
  }
  const ok = (v) => v === S.v || !(S.stale = true);
  const api = {
    m(v, meta) { if (!S.meta) { S.v = v; S.meta = meta; } },
    k(v, b, o) { if (ok(v)) S.buckets[b] = o; },
    p(v, name, a) { if (ok(v)) S.own[name] = a; },
    q(v, name, a) { if (ok(v)) S.pos[name] = a; },
    d(v, i, a) { if (ok(v)) S.docs[i] = a; },
    f(v, c, a) { if (ok(v)) S.chunks[c] = a; },
    fold, foldMap, terms, cover, runs, hash, decode, decodePositions, nums, counts, reset, init, search, loadDocs,
    loader: null, pageSize: 10, eagerFacetBytes: 16384
  };
  function init() {
    return load('meta.js').then((found) => { if (!found || !S.meta) throw new Error('meta'); return S.meta; });
  }
  /* Key data {df, docs, title, counts, pos()} or null (no document has it). */
  function key(k) {
    if (S.keys.has(k)) return S.keys.get(k);
    const b = hash(k) & (S.meta.buckets - 1);
    const p = load('k/' + b + '.js').then(() => {
      const o = S.buckets[b], e = o && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
      if (e === undefined) return null;
      if (typeof e === 'string') {
        const [d, t, ps] = e.split('.'), docs = decode(d);
        return { df: docs.length, docs, title: decode(t), counts: null, pos: () => Promise.resolve(decodePositions(ps || 'AA', docs.length)) };
      }
      const name = b + '-' + e;
      return load('p/' + name + '.js').then(() => {
        const a = S.own[name];
        if (!a) return null;
        const docs = decode(a[1]);
        return { df: a[0], docs, title: decode(a[2]), counts: a[3], pos: () => load('q/' + name + '.js').then(() => decodePositions(S.pos[name] || 'AA', docs.length)) };
      });
    });
    S.keys.set(k, p);
    return p;
  }
  function keys(list) {
    list = Array.from(new Set(list));
    return Promise.all(list.map(key)).then((ds) => new Map(list.map((k, i) => [k, ds[i]])));
  }
  function loadDocs(ids) { return Promise.all(ids.map((i) => load('d/' + Math.floor(i / S.meta.docDir) + '/' + i + '.js'))); }
  function loadChunks(ids) { return Promise.all(Array.from(new Set(ids.map((i) => Math.floor(i / S.meta.chunk))), (c) => load('f/' + c + '.js'))); }

  /* search */
  const none = (ts) => ({ terms: ts, ids: [], total: 0, counts: null });
  const flat = (a) => [].concat(...a);
  /* Runs query q with filters {facet: [value...]}; resolves {terms, ids (ranked), total, counts}. */
  function search(q, filters, opts) {
    const ts = terms(q);
    if (!ts.length) return Promise.resolve(none(ts));
    // Short terms are keys; a longer term is a key of its own when frequent
    // (only terms without punctuation can be), else it is found through its
    // covering trigrams.
    const own = (r) => { const cs = Array.from(r); return cs.length <= S.meta.maxGram && cs.every(letter); };
    const direct = flat(ts.map((t) => t.keys.concat(t.phrases.filter((p) => own(p.run)).map((p) => p.run))));
    return keys(direct).then((kd) => {
      const more = flat(ts.map((t) => flat(t.phrases.filter((p) => !kd.get(p.run)).map((p) => p.cover.map((c) => c[0])))));
      return keys(more).then((kc) => { kc.forEach((v, k) => kd.set(k, v)); return kd; });
    }).then((kd) => {
      // Per term: the lists a document must be in, and the phrases to check.
      const units = ts.map((t) => {
        const u = { keys: t.keys.slice(), check: [] };
        for (const p of t.phrases) {
          if (kd.get(p.run)) u.keys.push(p.run);
          else { u.keys.push(...p.cover.map((c) => c[0])); u.check.push(p.cover); }
        }
        return u;
      });
      const all = Array.from(new Set(flat(units.map((u) => u.keys))));
      if (all.some((k) => !kd.get(k))) return none(ts);
      const ds = all.map((k) => kd.get(k)).sort((a, b) => a.df - b.df), mark = new Uint8Array(S.meta.n);
      let cand = Array.from(ds[0].docs);
      for (let i = 1; i < ds.length && cand.length; i++) {
        mark.fill(0);
        for (const x of ds[i].docs) mark[x] = 1;
        cand = cand.filter((x) => mark[x]);
      }
      return flat(units.map((u) => u.check)).reduce((pr, ph) => pr.then((c) => (c.length ? checkPhrase(ph, kd, c) : c)), Promise.resolve(cand))
        .then((c) => rank(ts, units, kd, ds, c, filters || {}, opts || {}));
    });
  }
  /* Of cand, the documents with a position p where every trigram of ph
   * ([[trigram, offset]...]) is at p + offset. */
  function checkPhrase(ph, kd, cand) {
    return Promise.all(ph.map((x) => kd.get(x[0]).pos())).then((pl) => {
      const at = ph.map((x, i) => new Map(Array.from(kd.get(x[0]).docs, (d, j) => [d, pl[i][j]])));
      return cand.filter((doc) => at[0].get(doc).some((p) => ph.every((x, i) => at[i].get(doc).includes(p + x[1]))));
    });
  }
  // A fiscal year as the site writes it (令和6年度（2024年度）), from the index.
  const yearLabel = (y) => {
    const i = S.meta.years.indexOf(y), l = S.meta.yearLabels;
    return l && i >= 0 && l[i] ? l[i] : y + '年度';
  };
  const valuesOf = (fi) => (S.meta.facets[fi].dim < 0 ? S.meta.years : S.meta.dims[S.meta.facets[fi].dim].values);
  function passes(member, filters, x, skip) {
    for (const f in filters) {
      if (+f === skip || !filters[f].length) continue;
      const vs = member[f].get(x);
      if (!vs || !filters[f].some((v) => vs.includes(v))) return false;
    }
    return true;
  }
  /* Per facet: Map doc → value indices for the documents ids: from the
   * documents themselves when few (they are shown anyway), else from the
   * facet files. */
  function facetMembers(ids) {
    const few = ids.length <= api.pageSize;
    return (few ? loadDocs(ids) : loadChunks(ids)).then(() => S.meta.facets.map((f, fi) => {
      const m = new Map();
      if (few) {
        for (const x of ids) {
          const d = S.docs[x];
          if (d) m.set(x, f.dim < 0 ? [S.meta.years.indexOf(d[6])] : d[5][f.dim]);
        }
        return m;
      }
      const want = new Uint8Array(S.meta.n);
      for (const x of ids) want[x] = 1;
      for (const c in S.chunks) {
        const lo = +c * S.meta.chunk;
        S.chunks[c][fi].forEach((enc, v) => {
          for (const d of decode(enc)) {
            const x = lo + d;
            if (want[x]) { if (m.has(x)) m.get(x).push(v); else m.set(x, [v]); }
          }
        });
      }
      return m;
    }));
  }
  /* Facet counts, filters and the order of the matching documents cand. */
  function rank(ts, units, kd, ds, cand, filters, opts) {
    const score = new Uint8Array(S.meta.n), tm = new Uint16Array(S.meta.n);
    // Score: the number of terms found in the title (name or part).
    for (const u of units) {
      tm.fill(0);
      u.keys.forEach((k, ki) => {
        const e = kd.get(k);
        for (const j of e.title) { const x = e.docs[j]; if (tm[x] === ki) tm[x] = ki + 1; }
      });
      for (const x of cand) if (tm[x] === u.keys.length) score[x]++;
    }
    const res = { terms: ts, total: cand.length, ids: null, counts: null };
    // Counts stored with a key apply when the result is that key's list.
    res.exactKey = ds.find((e) => e.counts && e.df === cand.length) || null;
    const fl = Object.keys(filters).filter((f) => filters[f].length);
    const need = cand.length > 0 && (fl.length > 0 || (!res.exactKey && (cand.length <= api.pageSize || opts.facets || S.meta.facetBytes <= api.eagerFacetBytes)));
    return (need ? facetMembers(cand) : Promise.resolve(null)).then((member) => {
      const kept = fl.length ? cand.filter((x) => passes(member, filters, x, -1)) : cand;
      if (res.exactKey && !fl.length) res.counts = res.exactKey.counts.map((s, fi) => counts(s, valuesOf(fi).length));
      else if (member || !cand.length) {
        // Per facet: counts under the other facets' filters.
        res.counts = S.meta.facets.map((f, fi) => {
          const c = new Array(valuesOf(fi).length).fill(0);
          for (const x of cand) if (!fl.length || passes(member, filters, x, fi)) for (const v of member[fi].get(x) || []) c[v]++;
          return c;
        });
      }
      res.total = kept.length;
      // Order: score (descending), then site order.
      const by = [];
      for (const x of kept) (by[score[x]] = by[score[x]] || []).push(x);
      res.ids = flat(by.filter(Boolean).reverse());
      return res;
    });
  }

  /* the page */
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const fmt = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = (parent, s) => parent.appendChild(document.createTextNode(s));
  /* Spans [st, en) of s where a folded term occurs. */
  function hits(s, ts) {
    const fm = foldMap(s, true), spans = [];
    for (const t of ts) for (let i = fm.t.indexOf(t.text); i >= 0; i = fm.t.indexOf(t.text, i + t.text.length)) spans.push([fm.st[i], fm.en[i + t.text.length - 1]]);
    return spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  }
  /* Appends s[from, to) to parent with the terms marked. */
  function marked(parent, s, ts, from = 0, to = s.length) {
    let pos = from;
    for (const h of hits(s, ts)) {
      const a = Math.max(h[0], pos), b = Math.min(h[1], to);
      if (b <= a) continue;
      if (a > pos) text(parent, s.slice(pos, a));
      parent.appendChild(el('mark', null, s.slice(a, b)));
      pos = b;
    }
    if (pos < to) text(parent, s.slice(pos, to));
  }

  class Page {
    constructor(app) {
      const $ = (s) => app.querySelector(s);
      this.root = app.getAttribute('data-root') || '';
      this.input = $('input[type=search]');
      this.status = $('[data-status]');
      this.list = $('[data-results]');
      this.more = $('[data-more]');
      this.facets = $('[data-facets]');
      this.seq = 0; this.filters = {}; this.shown = 0; this.res = null; this.timer = 0;
      $('form').addEventListener('submit', (e) => { e.preventDefault(); clearTimeout(this.timer); this.run(true); });
      // While an IME is composing (kana → kanji), wait for the text to be committed.
      const later = () => { clearTimeout(this.timer); this.timer = setTimeout(() => this.run(true), 250); };
      this.input.addEventListener('input', (e) => { if (!e.isComposing) later(); });
      this.input.addEventListener('compositionend', later);
      this.more.addEventListener('click', () => this.showMore(true));
    }
    start() {
      const params = new URLSearchParams(location.search);
      this.input.value = params.get('q') || '';
      this.status.textContent = '索引を読み込んでいます…';
      init().then(() => {
        S.meta.facets.forEach((f, fi) => {
          const vals = valuesOf(fi).map(String), idx = params.getAll(f.key).map((w) => vals.indexOf(w)).filter((i) => i >= 0);
          if (idx.length) this.filters[fi] = idx;
        });
        this.run(false);
      }, () => { this.status.textContent = '検索用の索引を読み込めませんでした。一覧のページから探してください。'; });
    }
    writeUrl() {
      const p = new URLSearchParams(), q = this.input.value.trim();
      if (q) p.set('q', q);
      for (const fi in this.filters) for (const v of this.filters[fi]) p.append(S.meta.facets[fi].key, String(valuesOf(fi)[v]));
      try { history.replaceState(null, '', '?' + p); } catch (e) { /* not allowed here */ }
    }
    run(writeUrl, opts) {
      const q = this.input.value, seq = ++this.seq;
      if (writeUrl) this.writeUrl();
      if (!terms(q).length) {
        this.res = null;
        this.list.textContent = this.facets.textContent = '';
        this.more.hidden = true;
        this.status.textContent = q.trim() ? '検索できる文字が含まれていません。' : '検索語を入力してください。';
        return Promise.resolve();
      }
      this.list.setAttribute('aria-busy', 'true');
      return search(q, this.filters, opts).then((res) => {
        if (seq !== this.seq) return;
        const label = '「' + q.trim() + '」';
        this.res = res;
        this.shown = 0;
        this.list.textContent = '';
        this.status.textContent = S.stale ? '索引が更新されています。ページを再読み込みしてください。'
          : res.total ? label + 'の検索結果：' + fmt(res.total) + '件'
            : label + 'に一致する' + S.meta.itemLabel + 'は見つかりませんでした。';
        this.renderFacets();
        return this.showMore(false);
      });
    }
    showMore(focus) {
      const res = this.res, seq = this.seq, ids = res ? res.ids.slice(this.shown, this.shown + api.pageSize) : [];
      this.list.setAttribute('aria-busy', 'true');
      return loadDocs(ids).then(() => {
        if (seq !== this.seq) return;
        this.list.removeAttribute('aria-busy');
        ids.forEach((i, n) => {
          const li = this.item(i, res.terms);
          this.list.appendChild(li);
          if (focus && !n) li.querySelector('a').focus();
        });
        this.shown += ids.length;
        const left = res ? res.ids.length - this.shown : 0;
        this.more.hidden = left <= 0;
        this.more.textContent = '次の' + Math.min(api.pageSize, left) + '件を表示（残り' + fmt(left) + '件）';
      });
    }
    item(i, ts) {
      // d: [id, name, part, summary, implementer, dims, fiscal year, amount, amount note]
      const d = S.docs[i], li = el('li', 'result'), h = el('h3'), a = el('a'), meta = [], dim0 = S.meta.dims[0], m = S.meta.measure;
      if (!d) { li.textContent = '（読み込めませんでした）'; return li; }
      a.href = this.root + 'programmes/' + encodeURIComponent(d[0]) + '/index.html';
      // Names sit in <bdi>: a bidi override in one cannot reorder the text around it.
      const name = a.appendChild(el('bdi'));
      marked(name, d[1], ts);
      if (d[2]) { text(a, '（'); marked(a.appendChild(el('bdi')), d[2], ts); text(a, '）'); }
      h.appendChild(a);
      li.appendChild(h);
      const mp = el('p', 'meta');
      if (dim0 && d[5][0] && d[5][0].length) {
        d[5][0].forEach((e, i) => { if (i) text(mp, '、'); mp.appendChild(el('bdi', null, dim0.values[e])); });
        text(mp, '　');
      }
      meta.push(yearLabel(d[6]));
      if (m && d[7]) meta.push(m.label + ' ' + d[7] + (d[7] === '―' ? '' : m.unit) + (d[8] ? '（' + d[8] + '）' : ''));
      text(mp, meta.join('　'));
      li.appendChild(mp);
      // Snippet: around the first hit in the summary, else the implementer, else the summary's start.
      let s = d[3] || '', hs = hits(s, ts);
      if (!hs.length && d[4] && hits(d[4], ts).length) { s = d[4]; hs = hits(s, ts); }
      const from = hs.length ? Math.max(0, hs[0][0] - 30) : 0, to = Math.min(s.length, from + 120), p = el('p', 'snippet');
      if (from) text(p, '…');
      marked(p, s, ts, from, to);
      if (to < s.length) text(p, '…');
      li.appendChild(p);
      return li;
    }
    renderFacets() {
      const res = this.res, box = this.facets;
      box.textContent = '';
      if (!res || (!res.total && !Object.keys(this.filters).length)) return;
      if (!res.counts) {
        const b = el('button', 'facet-load', '絞り込み（件数を数える）');
        b.type = 'button';
        b.addEventListener('click', () => this.run(false, { facets: true }).then(() => { const c = box.querySelector('input'); if (c) c.focus(); }));
        box.appendChild(b);
        return;
      }
      S.meta.facets.forEach((f, fi) => {
        const vals = valuesOf(fi), c = res.counts[fi], sel = this.filters[fi] || [];
        const order = vals.map((v, i) => i).filter((i) => c[i] > 0 || sel.includes(i));
        if (!order.length) return;
        if (f.dim >= 0) order.sort((a, b) => c[b] - c[a] || a - b);
        const fs = el('fieldset', 'facet'), ul = el('ul');
        fs.appendChild(el('legend', null, f.label));
        order.forEach((v, rank) => {
          const li = el('li'), id = 'facet-' + fi + '-' + v, cb = el('input'), lb = el('label');
          lb.append(el('bdi', null, f.dim < 0 ? yearLabel(vals[v]) : vals[v]), '（' + fmt(c[v]) + '件）');
          cb.type = 'checkbox'; cb.id = id; cb.checked = sel.includes(v); lb.htmlFor = id;
          cb.addEventListener('change', () => {
            const s = (this.filters[fi] || []).filter((x) => x !== v);
            if (cb.checked) s.push(v);
            if (s.length) this.filters[fi] = s; else delete this.filters[fi];
            this.run(true).then(() => { const again = document.getElementById(id); if (again) again.focus(); });
          });
          li.hidden = rank >= 8 && !cb.checked;
          li.append(cb, lb);
          ul.appendChild(li);
        });
        fs.appendChild(ul);
        if (order.length > 8) {
          const t = el('button', 'facet-more', 'すべて表示（' + order.length + '件）');
          t.type = 'button';
          t.addEventListener('click', () => { for (const x of ul.children) x.hidden = false; t.remove(); ul.children[8].querySelector('input').focus(); });
          fs.appendChild(t);
        }
        box.appendChild(fs);
      });
    }
  }

  reset('');
  G.mierukaSearch = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  if (typeof document !== 'undefined') {
    const boot = () => {
      const app = document.getElementById('search-app'), nojs = document.getElementById('search-nojs');
      if (!app) return;
      reset(app.getAttribute('data-index') || '');
      if (nojs) nojs.hidden = true;
      app.hidden = false;
      new Page(app).start();
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot); else boot();
  }
})(typeof window !== 'undefined' ? window : globalThis);
