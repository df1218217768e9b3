// A site of two fiscal years (examples/tokyo-hojokin, `year_label:
// "{wareki}（{year}年度）"`) searched in real headless Chromium: results and
// the 年度 facet read the year as the site declares it, and a year filter
// given in the URL (`?fiscal_year=2024`) narrows the results to that year.
//
// MIERUKA_BIN: the mieruka binary (default target/release/mieruka).
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
let browser, server, base, tmp, site;

before(async () => {
  assert.ok(fs.existsSync(BIN), `no mieruka binary at ${BIN}`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mieruka-years-'));
  site = path.join(tmp, 'site');
  execFileSync(BIN, ['build', '--quiet', '--content', path.join(REPO, 'examples/tokyo-hojokin/content'), '--out', site], { stdio: ['ignore', 'ignore', 'inherit'] });
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

async function search(query) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base + 'search/index.html' + query);
  await page.waitForFunction(() => /件|見つかりません/.test(document.querySelector('[data-status]').textContent));
  const status = await page.locator('[data-status]').textContent();
  const metas = await page.locator('.result .meta').allTextContents();
  return { page, status, metas, errors };
}

test('results and the year facet read the year as the site declares it', async () => {
  const { page, status, metas, errors } = await search('?q=' + encodeURIComponent('補助金'));
  assert.deepStrictEqual(errors, []);
  const n = Number(status.match(/([\d,]+)件/)[1].replace(/,/g, ''));
  assert.ok(n >= 16, status);
  assert.ok(metas.length > 0);
  assert.ok(metas.every((m) => /令和[67]年度（202[45]年度）/.test(m)), metas.join('\n'));
  const load = page.locator('[data-facets] button.facet-load');
  if (await load.count()) await load.click();
  const years = page.locator('[data-facets] fieldset', { hasText: '年度' }).locator('label');
  await years.first().waitFor();
  const labels = await years.allTextContents();
  assert.ok(labels.some((l) => l.startsWith('令和7年度（2025年度）（')), labels.join());
  assert.ok(labels.some((l) => l.startsWith('令和6年度（2024年度）（8件）')), labels.join());
  await page.close();
});

test('a year filter in the URL narrows the results to that year', async () => {
  const { page, status, metas, errors } = await search('?q=' + encodeURIComponent('補助金') + '&fiscal_year=2024');
  assert.deepStrictEqual(errors, []);
  assert.match(status, /：8件/);
  assert.ok(metas.length > 0 && metas.every((m) => m.includes('令和6年度（2024年度）')), metas.join('\n'));
  const box = page.locator('[data-facets] input[type=checkbox]:checked');
  assert.strictEqual(await box.count(), 1, 'the filter shows as checked');
  await page.close();
});
