// Sortable tables (progressive enhancement; docs/tables.md). Without
// JavaScript nothing changes: the rows stay in the order of the source.
//
// Every <table data-sortable> whose body has no colspan gets, as in the
// WAI-ARIA APG "Sortable Table" example, a button
// in each <th scope="col">: the sorted header alone carries
// aria-sort="ascending|descending", the order is shown by a shape (▲ ▼, ⇅
// for "not sorted"), and the new order is announced in a polite live region.
// Under 40rem (the stacked cards, whose header row is hidden) a select above
// the table offers the same orders. Only the rows of this page are reordered
// (the lists are paginated); the footer (totals) stays where it is.
//
// The order is kept in the URL, so that a sorted view can be linked:
//   ?sort=<table>.<column>.<asc|desc>
// <table> is the table's position among the page's data-sortable tables and
// <column> the column's position in the header row, both counted from 1;
// one `sort` parameter per sorted table (e.g. ?sort=1.6.desc&sort=3.2.asc).
(function () {
  'use strict';
  var tables = document.querySelectorAll('table[data-sortable]');
  if (!tables.length) return;
  var collator = new Intl.Collator('ja', { numeric: true });
  var GLYPH = { ascending: '▲', descending: '▼', none: '⇅' };
  var status = document.createElement('p');
  status.className = 'vh';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  (document.querySelector('main') || document.body).appendChild(status);
  var timer = 0;
  function say(msg) {
    // Emptied first, so that the same order chosen twice is announced twice.
    status.textContent = '';
    clearTimeout(timer);
    timer = setTimeout(function () { status.textContent = msg; }, 50);
  }

  // The text a reader sees: without the words for screen readers only
  // (該当なし, 減), notes (＋共有分, 4番に含む), badges and percentages.
  function visible(el, drop) {
    var c = el.cloneNode(true);
    Array.prototype.forEach.call(c.querySelectorAll(drop), function (x) { x.remove(); });
    return c.textContent.replace(/\s+/g, ' ').trim();
  }
  // 39,431 → 39431; △1,234 → -1234; +12 → 12; ±0 → 0; －, empty, 新規 → null
  // (sorted last in either direction).
  function number(cell) {
    var t = visible(cell, '.vh, .cell-note, .badge, .pct, .stack-only');
    if (t === '±0') return 0;
    var m = /^([△▲\-−+＋]?)\s*([0-9][0-9,]*(?:\.[0-9]+)?)$/.exec(t);
    if (!m) return null;
    var v = parseFloat(m[2].replace(/,/g, ''));
    return m[1] && '△▲-−'.indexOf(m[1]) >= 0 ? -v : v;
  }
  // Text sorts by its reading where the page gives one (<rt>).
  function text(cell) {
    var rt = cell.querySelector('rt');
    var t = rt ? rt.textContent.trim() : visible(cell, '.vh, .cell-note, .badge, .part, .stack-only, rp, rt');
    return t === '' || t === '－' ? null : t;
  }

  var states = [];
  function setup(table, index) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    var body = table.tBodies[0];
    if (!head || !body || table.tBodies.length !== 1) return;
    var n = head.cells.length;
    var rows = Array.prototype.slice.call(body.rows);
    if (rows.length < 2) return;
    // A merged cell (an amount shared by several rows, rowspan) is copied
    // into every row it covers before the first sort (unmerge); a colspan
    // in the body makes the table keep its source order.
    var spans = rows.every(function (r) {
      return Array.prototype.every.call(r.cells, function (c) { return c.colSpan === 1; });
    });
    if (!spans || rows[0].cells.length !== n) return;
    var st = { table: table, index: index, rows: rows, body: body, head: head, cols: [], col: -1, dir: '', merged: rows.some(function (r) {
      return Array.prototype.some.call(r.cells, function (c) { return c.rowSpan > 1; });
    }) };
    Array.prototype.forEach.call(head.cells, function (th, i) {
      if (th.getAttribute('scope') !== 'col' || th.colSpan !== 1) return;
      var numeric = th.classList.contains('num') || rows[0].cells[i].classList.contains('num');
      var label = visible(th, '.unit, .vh');
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'sort-button';
      var name = document.createElement('span');
      name.className = 'vh';
      name.textContent = label + 'で並べ替え';
      var glyph = document.createElement('span');
      glyph.className = 'sort-indicator';
      glyph.setAttribute('aria-hidden', 'true');
      glyph.textContent = GLYPH.none;
      b.appendChild(name);
      b.appendChild(glyph);
      // On a line of its own below the label: the header gets no wider.
      th.appendChild(b);
      var col = { i: i, th: th, label: label, numeric: numeric, glyph: glyph, keys: null };
      st.cols[i] = col;
      b.addEventListener('click', function () {
        var dir = st.col === i ? (st.dir === 'descending' ? 'ascending' : 'descending')
          : (numeric ? 'descending' : 'ascending');
        sort(st, i, dir, true);
      });
    });
    narrow(st);
    states.push(st);
  }

  // The select for the stacked layout (shown by style.css under 40rem only).
  function narrow(st) {
    var p = document.createElement('p');
    p.className = 'sort-narrow';
    var label = document.createElement('label');
    label.textContent = '並べ替え';
    var cap = st.table.caption ? visible(st.table.caption, '.unit, .vh') : '';
    if (cap) {
      var hidden = document.createElement('span');
      hidden.className = 'vh';
      hidden.textContent = '（' + cap + '）';
      label.appendChild(hidden);
    }
    var select = document.createElement('select');
    var options = [['', '元の順']];
    st.cols.forEach(function (c) {
      if (!c) return;
      var o = orders(c);
      var first = c.numeric ? 'descending' : 'ascending';
      var second = first === 'descending' ? 'ascending' : 'descending';
      options.push([c.i + '.' + first, c.label + 'の' + o[first]]);
      options.push([c.i + '.' + second, c.label + 'の' + o[second]]);
    });
    options.forEach(function (o) {
      var el = document.createElement('option');
      el.value = o[0];
      el.textContent = o[1];
      select.appendChild(el);
    });
    select.addEventListener('change', function () {
      if (!select.value) { reset(st); return; }
      var v = select.value.split('.');
      sort(st, Number(v[0]), v[1], true);
    });
    label.appendChild(document.createTextNode(' '));
    label.appendChild(select);
    p.appendChild(label);
    var wrap = st.table.closest('.table-wrap') || st.table;
    wrap.parentNode.insertBefore(p, wrap);
    st.select = select;
  }

  function orders(c) {
    return c.numeric ? { descending: '大きい順', ascending: '小さい順' } : { ascending: '昇順', descending: '降順' };
  }

  // Copies each merged cell into the rows it covers, so that every row
  // carries its own (shared) amount once the rows move; the notes that
  // point at the row above (stacked cards) no longer apply and go.
  function unmerge(st) {
    var n = st.head.cells.length;
    var pending = [];
    st.rows.forEach(function (r) {
      var cells = Array.prototype.slice.call(r.cells);
      var out = [];
      var k = 0;
      for (var j = 0; j < n; j++) {
        if (pending[j] && pending[j].left > 0) {
          var copy = pending[j].cell.cloneNode(true);
          copy.rowSpan = 1;
          out.push(copy);
          pending[j].left--;
          continue;
        }
        var c = cells[k++];
        if (!c) break;
        if (c.rowSpan > 1) pending[j] = { cell: c, left: c.rowSpan - 1 };
        out.push(c);
      }
      out.forEach(function (c, idx) {
        if (c.parentNode !== r) r.insertBefore(c, r.cells[idx] || null);
      });
      Array.prototype.forEach.call(r.querySelectorAll('.stack-only'), function (x) { x.remove(); });
    });
    st.rows.forEach(function (r) {
      Array.prototype.forEach.call(r.cells, function (c) { c.rowSpan = 1; });
    });
    st.merged = false;
  }

  function keys(st, c) {
    if (!c.keys) {
      c.keys = st.rows.map(function (r) { return (c.numeric ? number : text)(r.cells[c.i]); });
    }
    return c.keys;
  }

  function place(st, order) {
    var f = document.createDocumentFragment();
    order.forEach(function (r) { f.appendChild(r); });
    st.body.appendChild(f);
  }

  function mark(st) {
    st.cols.forEach(function (c) {
      if (!c) return;
      var on = c.i === st.col;
      if (on) c.th.setAttribute('aria-sort', st.dir); else c.th.removeAttribute('aria-sort');
      c.glyph.textContent = on ? GLYPH[st.dir] : GLYPH.none;
    });
    if (st.select) st.select.value = st.col >= 0 ? st.col + '.' + st.dir : '';
  }

  function sort(st, i, dir, announce) {
    var c = st.cols[i];
    if (!c || (dir !== 'ascending' && dir !== 'descending')) return;
    if (st.merged) unmerge(st);
    var k = keys(st, c);
    var sign = dir === 'descending' ? -1 : 1;
    var idx = st.rows.map(function (_, j) { return j; });
    idx.sort(function (a, b) {
      var x = k[a], y = k[b];
      if (x === null || y === null) {
        // No value (－, empty): last in either direction, in source order.
        if (x === null && y === null) return a - b;
        return x === null ? 1 : -1;
      }
      var d = c.numeric ? x - y : collator.compare(x, y);
      return d !== 0 ? sign * d : a - b;
    });
    place(st, idx.map(function (j) { return st.rows[j]; }));
    st.col = i;
    st.dir = dir;
    mark(st);
    if (announce) {
      save();
      say(c.label + 'の' + orders(c)[dir] + 'に並べ替えました（このページの' + st.rows.length + '行）');
    }
  }

  function reset(st) {
    place(st, st.rows);
    st.col = -1;
    st.dir = '';
    mark(st);
    save();
    say('元の順に戻しました');
  }

  function save() {
    if (!window.history || !history.replaceState) return;
    try {
      var u = new URL(location.href);
      u.searchParams.delete('sort');
      states.forEach(function (st) {
        if (st.col >= 0) u.searchParams.append('sort', (st.index + 1) + '.' + (st.col + 1) + '.' + (st.dir === 'ascending' ? 'asc' : 'desc'));
      });
      history.replaceState(history.state, '', u.href);
    } catch (e) { /* a page opened from a file: the order is just not kept */ }
  }

  Array.prototype.forEach.call(tables, setup);
  new URLSearchParams(location.search).getAll('sort').forEach(function (v) {
    var m = /^(\d+)\.(\d+)\.(asc|desc)$/.exec(v);
    if (!m) return;
    var st = states.filter(function (s) { return s.index === Number(m[1]) - 1; })[0];
    if (st) sort(st, Number(m[2]) - 1, m[3] === 'asc' ? 'ascending' : 'descending', false);
  });
})();
