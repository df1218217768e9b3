// Sortable tables (assets/sort.js, docs/tables.md) in real headless Chromium
// under `Content-Security-Policy: default-src 'self'`: a button in each column
// header sorts the page's rows (numbers by value, － and empty cells last),
// aria-sort marks the sorted header only, the order is announced, kept in the
// URL (?sort=<table>.<column>.<asc|desc>) and restored from it; the totals
// stay at the bottom; a table with merged cells (rowspan) sorts with each
// shared amount copied into the rows it covers; without JavaScript nothing
// changes.
//
// MIERUKA_SITE: a built site of this repository's content (tests/browser/run
// builds one); MIERUKA_BIN builds one when it is not given.
'use strict';
const test = require('node:test');
const { before, after } = test;
const assert = require('node:assert');
const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { chromium } = require('playwright-core');

const REPO = path.resolve(__dirname, '../..');
const BIN = process.env.MIERUKA_BIN || path.join(REPO, 'target/release/mieruka');
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };
// A list without merged cells: 整理番号, 事業名, three dimensions, then 事業額 (column 6).
const LIST = 'categories/retention/index.html';
const COST = 6;
let browser, server, base, tmp, site;

before(async () => {
  site = process.env.MIERUKA_SITE;
  if (!site) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mieruka-sort-'));
    site = path.join(tmp, 'site');
    execFileSync(BIN, ['build', '--quiet', '--content', path.join(REPO, 'content'), '--out', site], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  site = path.resolve(site);
  server = http.createServer((req, res) => {
    let p = path.join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!p.startsWith(site)) { res.writeHead(403); res.end(); return; }
    if (p.endsWith('/')) p += 'index.html';
    fs.readFile(p, (err, body) => {
      if (err) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'content-type': types[path.extname(p)] || 'application/octet-stream', 'content-security-policy': "default-src 'self'" });
      res.end(body);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function open(url, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
  await page.goto(base + url);
  return { context, page, problems };
}

// The values of a column, as numbers (null: no value), and the row names.
function column(page, col, tableIndex = 0) {
  return page.evaluate(([col, t]) => {
    const table = document.querySelectorAll('table[data-sortable]')[t];
    const num = (cell) => {
      const c = cell.cloneNode(true);
      c.querySelectorAll('.vh, .cell-note, .pct').forEach((x) => x.remove());
      const s = c.textContent.trim().replace(/,/g, '').replace('△', '-');
      return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : null;
    };
    return {
      values: [...table.tBodies[0].rows].map((r) => num(r.cells[col - 1])),
      names: [...table.tBodies[0].rows].map((r) => r.querySelector('th[scope="row"]').textContent),
      footLast: table.lastElementChild.tagName === 'TFOOT',
    };
  }, [col, tableIndex]);
}

function sortedBy(values, dir) {
  const present = values.filter((v) => v !== null);
  const first = values.findIndex((v) => v === null);
  if (first >= 0) assert.ok(values.slice(first).every((v) => v === null), `no value sorts last: ${values}`);
  for (let i = 1; i < present.length; i++) {
    assert.ok(dir === 'desc' ? present[i - 1] >= present[i] : present[i - 1] <= present[i], `${dir}: ${values}`);
  }
}

async function ariaSorts(page) {
  return page.$$eval('table[data-sortable] thead th', (ths) => ths.filter((t) => t.hasAttribute('aria-sort')).map((t) => [t.textContent.trim(), t.getAttribute('aria-sort')]));
}

test('a numeric header sorts the rows by value, descending then ascending, with aria-sort, an announcement and the URL', async () => {
  const { context, page, problems } = await open(LIST);
  const source = await column(page, COST);
  const header = page.locator('table[data-sortable] thead th').nth(COST - 1);
  const button = header.locator('button');
  assert.strictEqual(await page.locator('table[data-sortable] thead th button').count(), await page.locator('table[data-sortable] thead th[scope="col"]').count());
  assert.match(await button.getAttribute('class'), /sort-button/);
  // The button's accessible name is the column's name.
  assert.strictEqual((await button.textContent()).replace(/[⇅▲▼]/g, ''), '事業額で並べ替え');
  await button.click();
  let now = await column(page, COST);
  sortedBy(now.values, 'desc');
  assert.notDeepStrictEqual(now.names, source.names, 'the order changed');
  assert.deepStrictEqual([...now.names].sort(), [...source.names].sort(), 'the same rows');
  assert.ok(now.footLast, 'tfoot stays last');
  assert.strictEqual(await header.getAttribute('aria-sort'), 'descending');
  assert.strictEqual((await ariaSorts(page)).length, 1, 'aria-sort on the sorted header only');
  assert.strictEqual(await button.locator('.sort-indicator').textContent(), '▼');
  const live = page.locator('main [role="status"][aria-live="polite"]');
  await page.waitForFunction(() => document.querySelector('main [role="status"]').textContent !== '');
  assert.strictEqual(await live.textContent(), `事業額の大きい順に並べ替えました（このページの${source.names.length}行）`);
  assert.strictEqual(new URL(page.url()).search, `?sort=1.${COST}.desc`);

  await button.click();
  now = await column(page, COST);
  sortedBy(now.values, 'asc');
  assert.strictEqual(await header.getAttribute('aria-sort'), 'ascending');
  assert.strictEqual(await button.locator('.sort-indicator').textContent(), '▲');
  await page.waitForFunction(() => /小さい順/.test(document.querySelector('main [role="status"]').textContent));
  assert.strictEqual(new URL(page.url()).search, `?sort=1.${COST}.asc`);

  // Another column: the first header loses aria-sort.
  await page.locator('table[data-sortable] thead th').nth(1).locator('button').click();
  const sorts = await ariaSorts(page);
  assert.deepStrictEqual(sorts.map((s) => s[1]), ['ascending']);
  assert.match(sorts[0][0], /^事業名/);
  await page.waitForFunction(() => /事業名の昇順/.test(document.querySelector('main [role="status"]').textContent));
  assert.deepStrictEqual(problems, []);
  await context.close();
});

test('a sorted view can be linked: the order in the URL is applied on load', async () => {
  const { context, page, problems } = await open(`${LIST}?sort=1.${COST}.desc`);
  const { values, footLast } = await column(page, COST);
  sortedBy(values, 'desc');
  assert.ok(footLast);
  assert.deepStrictEqual(await ariaSorts(page), [[(await page.locator('table[data-sortable] thead th').nth(COST - 1).textContent()).trim(), 'descending']]);
  // Reload keeps it; a nonsense parameter is ignored.
  await page.reload();
  sortedBy((await column(page, COST)).values, 'desc');
  await page.goto(`${base}${LIST}?sort=9.99.up`);
  assert.deepStrictEqual(await ariaSorts(page), []);
  assert.deepStrictEqual(problems, []);
  await context.close();
});

test('the keyboard sorts: focus the button and press Enter', async () => {
  const { context, page, problems } = await open(LIST);
  await page.locator('table[data-sortable] thead th').nth(COST - 1).locator('button').focus();
  await page.keyboard.press('Enter');
  sortedBy((await column(page, COST)).values, 'desc');
  await page.keyboard.press('Space');
  sortedBy((await column(page, COST)).values, 'asc');
  assert.strictEqual(new URL(page.url()).search, `?sort=1.${COST}.asc`);
  assert.deepStrictEqual(problems, []);
  await context.close();
});

test('the totals per value (several tables on a page) sort one table each, both kept in the URL', async () => {
  const { context, page, problems } = await open('index.html');
  const n = await page.locator('table[data-sortable]').count();
  assert.ok(n >= 2, `${n} sortable tables on the top page`);
  // Column 2 is 件数.
  await page.locator('table[data-sortable]').nth(1).locator('thead th').nth(1).locator('button').click();
  sortedBy((await column(page, 2, 1)).values, 'desc');
  await page.locator('table[data-sortable]').nth(0).locator('thead th').nth(2).locator('button').click();
  sortedBy((await column(page, 3, 0)).values, 'desc');
  assert.strictEqual(new URL(page.url()).search, '?sort=1.3.desc&sort=2.2.desc');
  await page.reload();
  sortedBy((await column(page, 2, 1)).values, 'desc');
  sortedBy((await column(page, 3, 0)).values, 'desc');
  assert.strictEqual((await ariaSorts(page)).length, 2);
  assert.deepStrictEqual(problems, []);
  await context.close();
});

test('a table with merged cells (rowspan) sorts with the shared amount copied into each row it covers', async () => {
  // programmes/index.html: one table per source; the second has merged amounts.
  const html = fs.readFileSync(path.join(site, 'programmes/index.html'), 'utf8');
  const tables = html.match(/<table[^]*?<\/table>/g);
  assert.strictEqual(tables.length, 2);
  const spans = [...tables[1].matchAll(/<td class="num merged"[^>]* rowspan="(\d+)">([\d,]+)/g)];
  assert.ok(!/rowspan/.test(tables[0]) && spans.length > 0, 'the fixture has merged cells in its second table only');
  // Unsorted, the merged cells stay merged.
  {
    const { context, page, problems } = await open('programmes/index.html');
    const merged = page.locator('table[data-sortable]').nth(1);
    assert.ok(await merged.locator('thead button').count() > 0, 'offered sorting');
    assert.strictEqual(await merged.locator('td[rowspan]').count(), spans.length);
    assert.deepStrictEqual(problems, []);
    await context.close();
  }
  const { context, page, problems } = await open('programmes/index.html?sort=2.6.desc');
  const merged = page.locator('table[data-sortable]').nth(1);
  const { values, footLast } = await column(page, COST, 1);
  sortedBy(values, 'desc');
  assert.ok(footLast);
  // Every row has every column, and each shared amount is in every row of
  // its group: as many times as the group's size.
  const shape = await merged.evaluate((t) => {
    const n = t.tHead.rows[0].cells.length;
    const rows = [...t.tBodies[0].rows];
    return {
      full: rows.every((r) => r.cells.length === n && [...r.cells].every((c) => c.rowSpan === 1)),
      texts: rows.map((r) => [...r.cells].map((c) => c.textContent)),
      stackNotes: t.querySelectorAll('.stack-only').length,
    };
  });
  assert.ok(shape.full, 'no merged cell left');
  assert.strictEqual(shape.stackNotes, 0, 'no note pointing at the row above');
  for (const [, size, amount] of spans) {
    const rows = shape.texts.filter((cells) => cells.some((c) => c.startsWith(amount) && c.includes('件で共有')));
    assert.strictEqual(rows.length, Number(size), `${amount} in ${size} rows`);
  }
  assert.deepStrictEqual(await ariaSorts(page), [[await merged.locator('thead th').nth(COST - 1).textContent().then((t) => t.trim()), 'descending']]);
  assert.deepStrictEqual(problems, []);
  await context.close();
});

test('on a narrow screen (stacked cards) a select sorts, and 元の順 restores the source order', async () => {
  const { context, page, problems } = await open(LIST, { viewport: { width: 375, height: 800 } });
  const source = await column(page, COST);
  assert.ok(!(await page.locator('table[data-sortable] thead button').first().isVisible()));
  const select = page.getByLabel('並べ替え');
  assert.ok(await select.isVisible());
  await select.selectOption({ label: '事業額の大きい順' });
  sortedBy((await column(page, COST)).values, 'desc');
  assert.strictEqual(new URL(page.url()).search, `?sort=1.${COST}.desc`);
  await select.selectOption({ label: '元の順' });
  assert.deepStrictEqual((await column(page, COST)).names, source.names);
  assert.strictEqual(new URL(page.url()).search, '');
  assert.deepStrictEqual(await ariaSorts(page), []);
  assert.deepStrictEqual(problems, []);
  await context.close();
});

test('without JavaScript there are no buttons and the rows keep the source order', async () => {
  const { context, page } = await open(`${LIST}?sort=1.${COST}.desc`, { javaScriptEnabled: false });
  assert.strictEqual(await page.locator('button.sort-button, .sort-narrow').count(), 0);
  const html = fs.readFileSync(path.join(site, LIST), 'utf8');
  const want = [...html.matchAll(/<th scope="row"><a [^>]*><bdi>([^<]*)<\/bdi>/g)].map((m) => m[1]);
  const have = await page.$$eval('table[data-sortable] tbody th[scope="row"] > a > bdi', (b) => b.map((x) => x.textContent));
  assert.ok(want.length >= 2);
  assert.deepStrictEqual(have.slice(0, want.length), want);
  assert.deepStrictEqual(await ariaSorts(page), []);
  await context.close();
});
