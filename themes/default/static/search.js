/* mieruka search (docs/search.md). Vanilla JS, no dependencies.
 * The index files under search/ are classic scripts that call
 * mierukaSearch.<m|k|p|d|f>(version, ...), so this works from file:// and
 * from any folder. fold(), terms() and decode() mirror src/search/. */
(function (root) {
  'use strict';

  /* ---------- fold v1 (src/search/fold.rs) ---------- */
  function isJoiner(u) {
    return (u >= 0x300 && u <= 0x36f) || u === 0x3099 || u === 0x309a || u === 0xff9e || u === 0xff9f ||
      (u >= 0xfe00 && u <= 0xfe0f) || (u >= 0xe0100 && u <= 0xe01ef);
  }
  function isSpace(u) {
    return (u >= 9 && u <= 13) || u === 0x20 || u === 0x85 || u === 0xa0 || u === 0x1680 || (u >= 0x2000 && u <= 0x200a) ||
      u === 0x2028 || u === 0x2029 || u === 0x202f || u === 0x205f || u === 0x3000;
  }
  function isDropped(u) {
    return (u >= 0x200b && u <= 0x200d) || u === 0x2060 || u === 0xfeff || (u >= 0xfe00 && u <= 0xfe0f) || (u >= 0xe0100 && u <= 0xe01ef);
  }
  function isKana(u) {
    return (u >= 0x3041 && u <= 0x3096) || u === 0x309d || u === 0x309e || (u >= 0x30f7 && u <= 0x30fa) || u === 0x30fc;
  }
  function foldChar(u) {
    if ((u >= 0x30a1 && u <= 0x30f6) || u === 0x30fd || u === 0x30fe) return u - 0x60;
    if (u === 0x301c || u === 0x3030 || u === 0x223c || u === 0x7e) return 0x7e;
    if ((u >= 0x2010 && u <= 0x2015) || u === 0x2212 || u === 0x2043 || u === 0x2d) return 0x2d;
    if (isDropped(u)) return -1;
    return u;
  }
  /* Folds s. With map, also returns per output code unit the span
   * [start, end) of the original cluster it came from. */
  function foldMap(s, map) {
    var out = [], st = [], en = [];
    var pending = false, any = false, prev = -1, i = 0, n = s.length;
    while (i < n) {
      var start = i, cp = s.codePointAt(i);
      i += cp > 0xffff ? 2 : 1;
      while (i < n) {
        var c2 = s.codePointAt(i);
        if (!isJoiner(c2)) break;
        i += c2 > 0xffff ? 2 : 1;
      }
      var cl = s.slice(start, i).normalize('NFKC');
      for (var a of cl) {
        for (var l of a.toLowerCase()) {
          var u = l.codePointAt(0);
          if (isSpace(u)) { pending = any; continue; }
          var f = foldChar(u);
          if (f < 0) continue;
          if ((f === 0x2d || f === 0x7e) && !pending && prev >= 0 && isKana(prev)) f = 0x30fc;
          if (pending) {
            out.push(' ');
            if (map) { st.push(start); en.push(start); }
            pending = false;
          }
          var ch = String.fromCodePoint(f);
          out.push(ch);
          if (map) for (var k = 0; k < ch.length; k++) { st.push(start); en.push(i); }
          prev = f;
          any = true;
        }
      }
      if (pending) prev = -1;
    }
    var t = out.join('');
    return map ? { t: t, st: st, en: en } : t;
  }
  function fold(s) { return foldMap(s, false); }

  /* ---------- tokens (src/search/token.rs) ---------- */
  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var MAX_WORD = 32;
  function isJapanese(u) {
    return (u >= 0x3005 && u <= 0x3007) || u === 0x303b || (u >= 0x3041 && u <= 0x309f) || (u >= 0x30a1 && u <= 0x30fa) ||
      (u >= 0x30fc && u <= 0x30ff) || (u >= 0x31f0 && u <= 0x31ff) || (u >= 0x3400 && u <= 0x4dbf) ||
      (u >= 0x4e00 && u <= 0x9fff) || (u >= 0xf900 && u <= 0xfaff) || (u >= 0x20000 && u <= 0x3134f);
  }
  function runs(s) {
    var out = [], cur = null, buf = '';
    for (var c of s) {
      var u = c.codePointAt(0);
      var cls = isJapanese(u) ? 'j' : WORD.test(c) ? 'w' : null;
      if (cls !== cur) {
        if (cur) out.push({ j: cur === 'j', t: buf });
        cur = cls; buf = '';
      }
      if (cls) buf += c;
    }
    if (cur) out.push({ j: cur === 'j', t: buf });
    return out;
  }
  function wordKey(w) { return Array.from(w).slice(0, MAX_WORD).join(''); }
  /* Offsets of the trigrams covering a run of n > 3 characters. */
  function cover(n) {
    var v = [];
    for (var o = 0; o <= n - 3; o += 3) v.push(o);
    if (v[v.length - 1] !== n - 3) v.push(n - 3);
    return v;
  }
  /* Query terms: [{text, keys, phrases}] (keys sorted by code point,
   * distinct; phrases: per run longer than 3, [[trigram, offset]...]). */
  function terms(q) {
    var out = [];
    fold(q).split(' ').forEach(function (t) {
      if (!t) return;
      var keys = [], phrases = [];
      runs(t).forEach(function (r) {
        if (!r.j) { keys.push(wordKey(r.t)); return; }
        var cs = Array.from(r.t);
        if (cs.length <= 3) { keys.push(r.t); return; }
        var ph = cover(cs.length).map(function (o) { return [cs[o] + cs[o + 1] + cs[o + 2], o]; });
        ph.forEach(function (x) { keys.push(x[0]); });
        phrases.push(ph);
      });
      keys = Array.from(new Set(keys)).sort(cmpCp);
      if (keys.length && !out.some(function (o) { return o.text === t; })) out.push({ text: t, keys: keys, phrases: phrases });
    });
    return out;
  }
  function cmpCp(a, b) {
    var A = Array.from(a), B = Array.from(b);
    for (var i = 0; i < A.length && i < B.length; i++) {
      var d = A[i].codePointAt(0) - B[i].codePointAt(0);
      if (d) return d;
    }
    return A.length - B.length;
  }
  function hash(s) {
    var h = 0x811c9dc5;
    for (var c of s) { h ^= c.codePointAt(0); h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }

  /* ---------- codec (src/search/codec.rs) ---------- */
  var AL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var VAL = new Int8Array(128).fill(-1);
  for (var z = 0; z < 64; z++) VAL[AL.charCodeAt(z)] = z;
  function Reader(s) { this.s = s; this.p = 0; }
  Reader.prototype.num = function () {
    var v = 0, mul = 1, d;
    do { d = VAL[this.s.charCodeAt(this.p++)]; v += (d & 31) * mul; mul *= 32; } while (d >= 32);
    return v;
  };
  function Bits(s, p) { this.s = s; this.b = p * 6; }
  Bits.prototype.bit = function () {
    var c = VAL[this.s.charCodeAt((this.b / 6) | 0)], r = (c >> (5 - this.b % 6)) & 1;
    this.b++;
    return r;
  };
  Bits.prototype.rice = function (k) {
    var q = 0, r = 0;
    while (this.bit()) q++;
    for (var i = 0; i < k; i++) r = r * 2 + this.bit();
    return q * Math.pow(2, k) + r;
  };
  function decode(s) {
    var r = new Reader(s || 'A'), n = r.num(), out = new Uint32Array(n);
    if (!n) return out;
    var mode = r.num(), i;
    if (mode === 0) {
      var k = r.num(), b = new Bits(s, r.p), prev = -1;
      for (i = 0; i < n; i++) { prev += b.rice(k) + 1; out[i] = prev; }
    } else {
      var runsN = r.num(), k1 = r.num(), k2 = r.num(), bb = new Bits(s, r.p), end = 0, o = 0;
      for (i = 0; i < runsN; i++) {
        var d = bb.rice(k1), start = i === 0 ? d : end + d + 1, len = bb.rice(k2) + 1;
        for (var x = 0; x < len; x++) out[o++] = start + x;
        end = start + len;
      }
    }
    return out;
  }
  /* Positions per document (for docs documents). */
  function decodePositions(s, docs) {
    var r = new Reader(s), kc = r.num(), kp = r.num(), b = new Bits(s, r.p), out = new Array(docs);
    for (var i = 0; i < docs; i++) {
      var c = b.rice(kc) + 1, v = new Array(c), prev = -1;
      for (var j = 0; j < c; j++) { prev += b.rice(kp) + 1; v[j] = prev; }
      out[i] = v;
    }
    return out;
  }
  function nums(s) {
    var r = new Reader(s), out = [];
    while (r.p < s.length) out.push(r.num());
    return out;
  }

  /* ---------- loading ---------- */
  var S = { base: '', v: null, meta: null, buckets: {}, own: {}, pos: {}, docs: {}, chunks: {}, stale: false, keys: new Map() };
  var scripts = new Map();
  /* Loads a classic script once; resolves true (loaded) or false (missing). */
  function load(rel) {
    if (scripts.has(rel)) return scripts.get(rel);
    var p = new Promise(function (resolve) {
      if (api.loader) { api.loader(S.base + rel, resolve); return; }
      var el = document.createElement('script');
      el.src = S.base + rel + (S.v && rel !== 'meta.js' ? '?v=' + S.v : '');
      el.async = true;
      el.onload = function () { el.remove(); resolve(true); };
      el.onerror = function () { el.remove(); resolve(false); };
      document.head.appendChild(el);
    });
    scripts.set(rel, p);
    return p;
  }
  function ok(v) {
    if (S.v === null || v === S.v) return true;
    S.stale = true;
    return false;
  }
  var api = {
    m: function (v, meta) { if (!S.meta) { S.v = v; S.meta = meta; } },
    k: function (v, b, o) { if (ok(v)) S.buckets[b] = o; },
    p: function (v, name, a) { if (ok(v)) S.own[name] = a; },
    d: function (v, i, a) { if (ok(v)) S.docs[i] = a; },
    f: function (v, c, a) { if (ok(v)) S.chunks[c] = a; },
    q: function (v, name, a) { if (ok(v)) S.pos[name] = a; },
    fold: fold, foldMap: foldMap, terms: terms, cover: cover, runs: runs, hash: hash, decode: decode,
    decodePositions: decodePositions, nums: nums,
    state: S, loader: null, reset: reset, init: init, search: search, loadDocs: loadDocs, loadChunks: loadChunks
  };
  function reset(base) {
    S.base = base || ''; S.v = null; S.meta = null; S.buckets = {}; S.own = {}; S.pos = {}; S.docs = {}; S.chunks = {};
    S.stale = false; S.keys = new Map(); scripts.clear();
  }
  function init() {
    return load('meta.js').then(function (found) {
      if (!found || !S.meta) throw new Error('meta');
      return S.meta;
    });
  }

  /* Key data {df, docs, title, counts, pos()} or null (no document has it).
   * pos() resolves the positions per document (trigrams only). */
  function key(k) {
    if (S.keys.has(k)) return S.keys.get(k);
    var b = hash(k) & (S.meta.buckets - 1);
    var p = load('k/' + b + '.js').then(function () {
      var e = S.buckets[b] && Object.prototype.hasOwnProperty.call(S.buckets[b], k) ? S.buckets[b][k] : undefined;
      if (e === undefined) return null;
      if (typeof e === 'number') {
        var name = b + '-' + e;
        return load('p/' + name + '.js').then(function () {
          var a = S.own[name];
          if (!a || a[0] === undefined) return null;
          var d = { df: a[0], docs: decode(a[1]), title: decode(a[2]), counts: a[3] };
          d.pos = function () {
            return load('q/' + name + '.js').then(function () { return decodePositions(S.pos[name] || '', d.docs.length); });
          };
          return d;
        });
      }
      var parts = e.split('.'), docs = decode(parts[0]);
      return {
        df: docs.length, docs: docs, title: decode(parts[1] || ''), counts: null,
        pos: function () { return Promise.resolve(decodePositions(parts[2] || '', docs.length)); }
      };
    });
    S.keys.set(k, p);
    return p;
  }
  /* Of cand (sorted), the documents where phrase ph ([[key, offset]...])
   * occurs: one position p with every key at p + offset. */
  function checkPhrase(ph, kd, cand) {
    return Promise.all(ph.map(function (x) { return kd.get(x[0]).pos(); })).then(function (pl) {
      var at = ph.map(function (x, i) {
        var m = new Map(), d = kd.get(x[0]).docs;
        for (var j = 0; j < d.length; j++) m.set(d[j], pl[i][j]);
        return m;
      });
      return cand.filter(function (doc) {
        var first = at[0].get(doc);
        return first && first.some(function (p) {
          for (var i = 1; i < ph.length; i++) {
            var ps = at[i].get(doc), want = p + ph[i][1] - ph[0][1];
            if (!ps || ps.indexOf(want) < 0) return false;
          }
          return true;
        });
      });
    });
  }

  /* ---------- search ---------- */
  /* Runs query q with filters {facetIndex: [valueIndex...]}.
   * Resolves {terms, ids (ranked), total, counts (per facet, or null), needChunks}. */
  function search(q, filters, opts) {
    opts = opts || {};
    var ts = terms(q), n = S.meta.n;
    if (!ts.length) return Promise.resolve({ terms: ts, ids: [], total: 0, counts: null });
    var all = Array.from(new Set([].concat.apply([], ts.map(function (t) { return t.keys; }))));
    return Promise.all(all.map(key)).then(function (datas) {
      var kd = new Map();
      all.forEach(function (k, i) { kd.set(k, datas[i]); });
      if (datas.some(function (d) { return !d; })) return { terms: ts, ids: [], total: 0, counts: null };
      var ds = datas.slice().sort(function (a, b) { return a.df - b.df; });
      // Intersect, starting from the rarest key.
      var cand = Array.from(ds[0].docs), mark = new Uint8Array(n);
      for (var i = 1; i < ds.length; i++) {
        mark.fill(0);
        var d = ds[i].docs;
        for (var j = 0; j < d.length; j++) mark[d[j]] = 1;
        cand = cand.filter(function (x) { return mark[x]; });
      }
      // Phrases longer than three characters: check trigram positions.
      var phrases = [].concat.apply([], ts.map(function (t) { return t.phrases; }));
      return phrases.reduce(function (pr, ph) {
        return pr.then(function (c) { return c.length ? checkPhrase(ph, kd, c) : c; });
      }, Promise.resolve(cand)).then(function (c) { return rank(ts, kd, ds, c, filters, opts); });
    });
  }
  /* Facet counts, filters and order of the matching documents cand. */
  function rank(ts, kd, ds, cand, filters, opts) {
    var n = S.meta.n;
    // Score: the number of terms found in the title (name or part).
    var score = new Uint8Array(n), tm = new Uint16Array(n);
    ts.forEach(function (t) {
      tm.fill(0);
      t.keys.forEach(function (k, ki) {
        var e = kd.get(k);
        for (var j = 0; j < e.title.length; j++) { var x = e.docs[e.title[j]]; if (tm[x] === ki) tm[x] = ki + 1; }
      });
      for (var j = 0; j < cand.length; j++) if (tm[cand[j]] === t.keys.length) score[cand[j]]++;
    });
    var res = { terms: ts, total: cand.length, ids: null, counts: null, exactKey: null, unfiltered: cand.length };
    // Precomputed counts apply when the result is exactly one key's list.
    ds.forEach(function (e) { if (!res.exactKey && e.counts && e.df === cand.length) res.exactKey = e; });
    var fl = Object.keys(filters || {}).filter(function (f) { return filters[f].length; });
    var needChunks = cand.length > 0 && (fl.length > 0 || !res.exactKey) &&
      (fl.length > 0 || opts.facets || S.meta.facetBytes <= api.eagerFacetBytes);
    return (needChunks ? loadChunks(cand) : Promise.resolve()).then(function () {
      var member = needChunks ? facetMembers(cand) : null;
      var kept = fl.length ? cand.filter(function (x) { return passes(member, filters, x, -1); }) : cand;
      if (res.exactKey && !fl.length) {
        res.counts = res.exactKey.counts.map(nums);
      } else if (needChunks) {
        // Per facet: counts under the other facets' filters.
        res.counts = S.meta.facets.map(function (f, fi) {
          var c = new Array(valuesOf(fi).length).fill(0);
          for (var j = 0; j < cand.length; j++) {
            var x = cand[j];
            if (fl.length && !passes(member, filters, x, fi)) continue;
            var vs = member[fi].get(x);
            if (vs) for (var m = 0; m < vs.length; m++) c[vs[m]]++;
          }
          return c;
        });
      } else if (!cand.length) {
        res.counts = S.meta.facets.map(function (f, fi) { return new Array(valuesOf(fi).length).fill(0); });
      }
      res.total = kept.length;
      // Order: score (descending), then site order.
      var by = [];
      for (var j = 0; j < kept.length; j++) { var s = score[kept[j]]; (by[s] = by[s] || []).push(kept[j]); }
      var ids = [];
      for (var s2 = by.length - 1; s2 >= 0; s2--) if (by[s2]) ids = ids.concat(by[s2]);
      res.ids = ids;
      return res;
    });
  }
  function valuesOf(fi) {
    var f = S.meta.facets[fi];
    return f.dim < 0 ? S.meta.years : S.meta.dims[f.dim].values;
  }
  function passes(member, filters, x, skip) {
    for (var f in filters) {
      if (+f === skip || !filters[f].length) continue;
      var vs = member[f].get(x);
      if (!vs || !filters[f].some(function (v) { return vs.indexOf(v) >= 0; })) return false;
    }
    return true;
  }
  function loadChunks(ids) {
    var need = new Set();
    for (var j = 0; j < ids.length; j++) need.add(Math.floor(ids[j] / S.meta.chunk));
    return Promise.all(Array.from(need).map(function (c) { return load('f/' + c + '.js'); }));
  }
  /* Per facet: Map doc → [value indices], for the documents in ids. */
  function facetMembers(ids) {
    var want = new Uint8Array(S.meta.n);
    for (var j = 0; j < ids.length; j++) want[ids[j]] = 1;
    return S.meta.facets.map(function (f, fi) {
      var m = new Map();
      Object.keys(S.chunks).forEach(function (c) {
        var lo = +c * S.meta.chunk;
        S.chunks[c][fi].forEach(function (enc, v) {
          var d = decode(enc);
          for (var j = 0; j < d.length; j++) {
            var x = lo + d[j];
            if (!want[x]) continue;
            var a = m.get(x);
            if (a) a.push(v); else m.set(x, [v]);
          }
        });
      });
      return m;
    });
  }
  function loadDocs(ids) {
    var dd = S.meta.docDir;
    return Promise.all(ids.map(function (i) { return load('d/' + Math.floor(i / dd) + '/' + i + '.js'); }));
  }

  /* ---------- the page ---------- */
  var PAGE = 10;
  api.pageSize = PAGE;
  api.eagerFacetBytes = 65536;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }

  /* Appends text to parent with every occurrence of the folded terms marked. */
  function marked(parent, text, ts, from, to) {
    var fm = foldMap(text, true), spans = [];
    ts.forEach(function (t) {
      var i = fm.t.indexOf(t.text);
      while (i >= 0) { spans.push([fm.st[i], fm.en[i + t.text.length - 1]]); i = fm.t.indexOf(t.text, i + t.text.length); }
    });
    from = from || 0;
    to = to === undefined ? text.length : to;
    spans = spans.filter(function (s) { return s[1] > from && s[0] < to; }).sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var pos = from;
    spans.forEach(function (s) {
      var a = Math.max(s[0], pos), b = Math.min(s[1], to);
      if (b <= a) return;
      if (a > pos) parent.appendChild(document.createTextNode(text.slice(pos, a)));
      parent.appendChild(el('mark', null, text.slice(a, b)));
      pos = b;
    });
    if (pos < to) parent.appendChild(document.createTextNode(text.slice(pos, to)));
    return spans.length > 0;
  }
  /* Start of a snippet of text around the first hit (original offsets). */
  function snippetRange(text, ts, before, len) {
    var fm = foldMap(text, true), first = -1;
    ts.forEach(function (t) {
      var i = fm.t.indexOf(t.text);
      if (i >= 0 && (first < 0 || fm.st[i] < first)) first = fm.st[i];
    });
    var from = first < 0 ? 0 : Math.max(0, first - before);
    var to = Math.min(text.length, from + len);
    if (first >= 0 && to - from < len) from = Math.max(0, to - len);
    return [from, to, first >= 0];
  }

  function Page(app) {
    this.app = app;
    this.rootHref = app.getAttribute('data-root') || '';
    this.form = app.querySelector('form');
    this.input = app.querySelector('input[type=search]');
    this.status = app.querySelector('[data-status]');
    this.list = app.querySelector('[data-results]');
    this.more = app.querySelector('[data-more]');
    this.facetBox = app.querySelector('[data-facets]');
    this.seq = 0;
    this.filters = {};
    this.shown = 0;
    this.res = null;
    this.timer = 0;
  }
  Page.prototype.start = function () {
    var self = this;
    var params = new URLSearchParams(location.search);
    this.input.value = params.get('q') || '';
    this.params = params;
    this.form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(self.timer); self.run(true); });
    this.input.addEventListener('input', function () {
      clearTimeout(self.timer);
      self.timer = setTimeout(function () { self.run(true); }, 250);
    });
    this.more.addEventListener('click', function () { self.showMore(); });
    this.setStatus('索引を読み込んでいます…');
    init().then(function () {
      S.meta.facets.forEach(function (f, fi) {
        var want = params.getAll(f.key), vals = valuesOf(fi);
        var idx = [];
        want.forEach(function (w) {
          var i = vals.findIndex(function (v) { return String(f.dim < 0 ? v : v[1]) === w; });
          if (i >= 0) idx.push(i);
        });
        if (idx.length) self.filters[fi] = idx;
      });
      self.run(false);
    }, function () {
      self.setStatus('検索用の索引を読み込めませんでした。一覧のページから探してください。');
    });
  };
  Page.prototype.setStatus = function (t) { this.status.textContent = t; };
  Page.prototype.writeUrl = function () {
    var p = new URLSearchParams(), q = this.input.value.trim(), self = this;
    if (q) p.set('q', q);
    Object.keys(this.filters).forEach(function (fi) {
      var f = S.meta.facets[fi], vals = valuesOf(fi);
      self.filters[fi].forEach(function (v) { p.append(f.key, String(f.dim < 0 ? vals[v] : vals[v][1])); });
    });
    var s = p.toString();
    try { history.replaceState(null, '', s ? '?' + s : location.pathname); } catch (e) { /* file:// in some browsers */ }
  };
  Page.prototype.run = function (writeUrl, opts) {
    var self = this, q = this.input.value, seq = ++this.seq;
    if (writeUrl) this.writeUrl();
    this.list.setAttribute('aria-busy', 'true');
    if (!terms(q).length) {
      this.list.removeAttribute('aria-busy');
      this.res = null;
      this.list.textContent = '';
      this.more.hidden = true;
      this.facetBox.textContent = '';
      this.setStatus(q.trim() ? '検索できる文字が含まれていません。' : '検索語を入力してください。');
      return Promise.resolve();
    }
    return search(q, this.filters, opts).then(function (res) {
      if (seq !== self.seq) return;
      self.res = res;
      self.shown = 0;
      self.list.textContent = '';
      var label = '「' + q.trim() + '」';
      if (S.stale) self.setStatus('索引が更新されています。ページを再読み込みしてください。');
      else if (!res.total) self.setStatus(label + 'に一致する' + S.meta.itemLabel + 'は見つかりませんでした。');
      else self.setStatus(label + 'の検索結果：' + fmt(res.total) + '件');
      self.renderFacets();
      return self.showMore();
    });
  };
  Page.prototype.showMore = function () {
    var self = this, res = this.res;
    if (!res) return Promise.resolve();
    var ids = res.ids.slice(this.shown, this.shown + PAGE), seq = this.seq;
    this.list.setAttribute('aria-busy', 'true');
    return loadDocs(ids).then(function () {
      if (seq !== self.seq) return;
      self.list.removeAttribute('aria-busy');
      var firstNew = null;
      ids.forEach(function (i) {
        var li = self.item(i, res.terms);
        if (!firstNew) firstNew = li;
        self.list.appendChild(li);
      });
      var wasMore = self.shown > 0;
      self.shown += ids.length;
      self.more.hidden = self.shown >= res.ids.length;
      if (!self.more.hidden) self.more.textContent = '次の' + Math.min(PAGE, res.ids.length - self.shown) + '件を表示（残り' + fmt(res.ids.length - self.shown) + '件）';
      if (wasMore && firstNew) { var a = firstNew.querySelector('a'); if (a) a.focus(); }
    });
  };
  Page.prototype.item = function (i, ts) {
    var d = S.docs[i], li = el('li', 'result');
    if (!d) { li.textContent = '（読み込めませんでした）'; return li; }
    var h = el('h3'), a = el('a');
    a.href = this.rootHref + 'programmes/' + encodeURIComponent(d[0]) + '/index.html';
    marked(a, d[1], ts);
    if (d[2]) { a.appendChild(document.createTextNode('（')); marked(a, d[2], ts); a.appendChild(document.createTextNode('）')); }
    h.appendChild(a);
    li.appendChild(h);
    var meta = el('p', 'meta'), parts = [];
    var dim0 = S.meta.dims[0];
    if (dim0 && d[5][0]) parts.push(d[5][0].map(function (e) { return dim0.values[e][0]; }).join('、'));
    parts.push(d[6] + '年度');
    if (S.meta.measure && d[7]) parts.push(S.meta.measure.label + ' ' + d[7] + (d[7] === '―' ? '' : S.meta.measure.unit) + (d[8] ? '（' + d[8] + '）' : ''));
    meta.textContent = parts.join('　');
    li.appendChild(meta);
    var text = d[3] || '', sn = el('p', 'snippet');
    var r = snippetRange(text, ts, 30, 120);
    if (!r[2] && d[4]) { var r2 = snippetRange(d[4], ts, 30, 120); if (r2[2]) { text = d[4]; r = r2; } }
    if (r[0] > 0) sn.appendChild(document.createTextNode('…'));
    marked(sn, text, ts, r[0], r[1]);
    if (r[1] < text.length) sn.appendChild(document.createTextNode('…'));
    li.appendChild(sn);
    return li;
  };
  Page.prototype.renderFacets = function () {
    var self = this, res = this.res, box = this.facetBox;
    box.textContent = '';
    if (!res || !res.total && !Object.keys(this.filters).length) return;
    if (!res.counts) {
      var b = el('button', 'facet-load', '絞り込みの件数を表示');
      b.type = 'button';
      b.addEventListener('click', function () { self.run(false, { facets: true }); });
      box.appendChild(b);
      return;
    }
    S.meta.facets.forEach(function (f, fi) {
      var vals = valuesOf(fi), counts = res.counts[fi], sel = self.filters[fi] || [];
      var order = vals.map(function (v, i) { return i; }).filter(function (i) { return counts[i] > 0 || sel.indexOf(i) >= 0; });
      if (!order.length) return;
      if (f.dim >= 0) order.sort(function (a, b) { return counts[b] - counts[a] || a - b; });
      var fs = el('fieldset', 'facet'), lg = el('legend', null, f.label), ul = el('ul');
      fs.appendChild(lg);
      order.forEach(function (v, rank) {
        var li = el('li'), id = 'facet-' + fi + '-' + v, cb = el('input'), lb = el('label');
        cb.type = 'checkbox'; cb.id = id; cb.checked = sel.indexOf(v) >= 0;
        lb.htmlFor = id;
        lb.textContent = (f.dim < 0 ? vals[v] + '年度' : vals[v][0]) + '（' + fmt(counts[v]) + '件）';
        cb.addEventListener('change', function () {
          var s = (self.filters[fi] || []).filter(function (x) { return x !== v; });
          if (cb.checked) s.push(v);
          if (s.length) self.filters[fi] = s; else delete self.filters[fi];
          self.run(true).then(function () {
            var again = document.getElementById(id);
            if (again) again.focus();
          });
        });
        if (rank >= 8 && !cb.checked) li.hidden = true;
        li.appendChild(cb); li.appendChild(lb); ul.appendChild(li);
      });
      fs.appendChild(ul);
      if (order.length > 8) {
        var t = el('button', 'facet-more', 'すべて表示（' + order.length + '件）');
        t.type = 'button';
        t.setAttribute('aria-expanded', 'false');
        t.addEventListener('click', function () {
          Array.prototype.forEach.call(ul.children, function (x) { x.hidden = false; });
          t.remove();
        });
        fs.appendChild(t);
      }
      box.appendChild(fs);
    });
  };

  root.mierukaSearch = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  if (typeof document !== 'undefined') {
    var boot = function () {
      var app = document.getElementById('search-app');
      if (!app) return;
      reset(app.getAttribute('data-index') || '');
      var nojs = document.getElementById('search-nojs');
      if (nojs) nojs.hidden = true;
      app.hidden = false;
      new Page(app).start();
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot); else boot();
  }
})(typeof window !== 'undefined' ? window : globalThis);
