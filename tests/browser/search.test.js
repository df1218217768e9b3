// The search page in real headless Chromium (Debian's /usr/bin/chromium via
// playwright-core; never a browser download), on the built Tokyo site
// served from a subfolder of 127.0.0.1 and opened from file://.
//
// MIERUKA_SITE: the built site (tests/browser/run builds it).
// CHROMIUM: the browser (default /usr/bin/chromium).
'use strict';
const test = require('node:test');
const { before, after } = test;
const assert = require('node:assert');
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { chromium } = require('playwright-core');

const SITE = process.env.MIERUKA_SITE;
const SUB = '/some/sub folder/';
const CSP = "default-src 'self'";
let browser, server, base;
const served = [];

function serve(root) {
  const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.csv': 'text/csv; charset=utf-8', '.xml': 'application/xml' };
  return http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let p = decodeURIComponent(url.pathname);
    served.push(p);
    if (!p.startsWith(SUB)) { res.writeHead(404); res.end(); return; }
    p = path.join(root, p.slice(SUB.length));
    if (!p.startsWith(root)) { res.writeHead(403); res.end(); return; }
    if (p.endsWith('/')) p += 'index.html';
    fs.readFile(p, (err, body) => {
      if (err) { res.writeHead(404); res.end('not found'); return; }
      res.writeHead(200, { 'content-type': types[path.extname(p)] || 'application/octet-stream', 'content-security-policy': CSP });
      res.end(body);
    });
  });
}

before(async () => {
  assert.ok(SITE && fs.existsSync(path.join(SITE, 'search', 'meta.js')), 'MIERUKA_SITE must point to a built site (tests/browser/run)');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  server = serve(path.resolve(SITE));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}${encodeURI(SUB)}`;
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.close();
});

/** A fresh page; collects page errors and CSP violations. */
async function open(url, opts = {}) {
  const ctx = await browser.newContext(opts);
  const page = await ctx.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push('pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.problems.push('console: ' + m.text()); });
  await page.goto(url);
  return page;
}

/** Types q into the search box like a reader and waits for the count. */
async function typeQuery(page, q) {
  const input = page.getByLabel(/で検索/);
  await input.fill('');
  await input.pressSequentially(q, { delay: 20 });
  await page.waitForFunction((q) => {
    const s = document.querySelector('[data-status]').textContent;
    return s.includes('「' + q + '」') && !s.includes('読み込んで');
  }, q.trim());
  await page.waitForFunction(() => !document.querySelector('[data-results]').hasAttribute('aria-busy'));
  await page.waitForTimeout(50);
  return results(page);
}

async function results(page) {
  const status = await page.locator('[data-status]').textContent();
  const items = await page.locator('[data-results] > li').evaluateAll((lis) => lis.map((li) => ({
    title: li.querySelector('h3').textContent,
    href: li.querySelector('a').getAttribute('href'),
    meta: li.querySelector('.meta').textContent,
    marks: Array.from(li.querySelectorAll('mark')).map((m) => m.textContent),
  })));
  const m = status.match(/([\d,]+)件/);
  return { status, count: m ? Number(m[1].replace(/,/g, '')) : 0, items };
}

async function showAll(page) {
  const more = page.locator('[data-more]');
  while (await more.isVisible()) {
    const n = await page.locator('[data-results] > li').count();
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-results] > li').length > n &&
      !document.querySelector('[data-results]').hasAttribute('aria-busy'), n);
  }
  return results(page);
}

for (const where of ['http', 'file']) {
  const url = () => (where === 'http' ? base + 'search/index.html' : pathToFileURL(path.join(path.resolve(SITE), 'search', 'index.html')).href);

  test(`${where}: 分身ロボット finds 江東区's モデル事業`, async () => {
    const page = await open(url());
    const r = await typeQuery(page, '分身ロボット');
    assert.ok(r.count >= 1, r.status);
    const hit = r.items.find((i) => i.meta.includes('江東区'));
    assert.ok(hit, JSON.stringify(r.items));
    // The linked page is the 江東区 モデル事業 row.
    await page.locator('[data-results] a', { hasText: hit.title.slice(0, 6) }).first().click();
    await page.waitForLoadState('load');
    const body = await page.locator('main').textContent();
    assert.ok(body.includes('江東区') && body.includes('モデル事業'), page.url());
    assert.ok(where === 'file' ? page.url().startsWith('file:') : page.url().startsWith(base), page.url());
    assert.deepStrictEqual(page.problems, []);
  });

  test(`${where}: half-width ｲﾝﾀｰﾝｼｯﾌﾟ finds exactly what インターンシップ finds`, async () => {
    const page = await open(url());
    const a = await typeQuery(page, 'インターンシップ');
    const all = await showAll(page);
    const b = await typeQuery(page, 'ｲﾝﾀｰﾝｼｯﾌﾟ');
    const allB = await showAll(page);
    assert.ok(a.count > 0);
    assert.strictEqual(b.count, a.count);
    assert.deepStrictEqual(allB.items.map((i) => i.href), all.items.map((i) => i.href));
    assert.strictEqual(all.items.length, a.count, 'every result can be shown');
    assert.ok(allB.items.some((i) => i.marks.includes('ｲﾝﾀｰﾝｼｯﾌﾟ') || i.marks.includes('インターンシップ')), 'matches are highlighted');
    assert.deepStrictEqual(page.problems, []);
  });

  test(`${where}: 世田谷 finds its three rows`, async () => {
    const page = await open(url());
    const r = await typeQuery(page, '世田谷');
    assert.strictEqual(r.count, 3, r.status);
    assert.strictEqual(r.items.length, 3);
    assert.ok(r.items.every((i) => i.meta.includes('世田谷区')));
    assert.ok(r.items.every((i) => /事業額 [\d,]+千円/.test(i.meta)), 'the amount is shown');
    assert.ok(r.items.every((i) => !i.href.startsWith('/') && i.href.startsWith('../programmes/')), 'links are relative');
    // The municipality's code (全国地方公共団体コード) finds the same rows, and an id its programme.
    const c = await typeQuery(page, '131121');
    assert.deepStrictEqual(c.items.map((i) => i.href), r.items.map((i) => i.href));
    const id = decodeURIComponent(r.items[0].href.split('/')[2]);
    const p = await typeQuery(page, id);
    assert.strictEqual(p.count, 1, p.status);
    assert.strictEqual(p.items[0].href, r.items[0].href);
  });

  test(`${where}: TikTok and tiktok agree; no hit says so`, async () => {
    const page = await open(url());
    const a = await typeQuery(page, 'TikTok');
    const b = await typeQuery(page, 'tiktok');
    assert.ok(a.count > 0);
    assert.deepStrictEqual(b.items.map((i) => i.href), a.items.map((i) => i.href));
    const none = await typeQuery(page, '該当なしの語句です');
    assert.strictEqual(none.items.length, 0);
    assert.match(none.status, /見つかりませんでした/);
    assert.deepStrictEqual(page.problems, []);
  });

  test(`${where}: the query is in the URL and a shared link runs it`, async () => {
    const page = await open(url());
    await typeQuery(page, '女性 再就職');
    await page.waitForFunction(() => location.search.includes('q='));
    const shared = page.url();
    assert.strictEqual(new URL(shared).searchParams.get('q'), '女性 再就職');
    const again = await open(shared);
    await again.waitForFunction(() => /件|見つかりません/.test(document.querySelector('[data-status]').textContent));
    const r = await results(again);
    assert.ok(r.count > 0, r.status);
    assert.strictEqual(await again.getByLabel(/で検索/).inputValue(), '女性 再就職');
  });
}

test('http: facets count and filter, and the filter is in the URL', async () => {
  const page = await open(base + 'search/index.html');
  const r = await typeQuery(page, '介護');
  assert.ok(r.count > 1);
  const facets = page.locator('[data-facets] fieldset');
  assert.ok(await facets.count() >= 3);
  const legends = await page.locator('[data-facets] legend').allTextContents();
  assert.ok(legends.includes('年度') && legends.includes('実施区市町村'), legends.join());
  const box = page.locator('[data-facets] fieldset', { hasText: '実施区市町村' }).locator('label').first();
  const label = await box.textContent();
  const want = Number(label.match(/（([\d,]+)件）/)[1].replace(/,/g, ''));
  await box.click();
  await page.waitForFunction((n) => document.querySelector('[data-status]').textContent.includes(n + '件'), want);
  const f = await results(page);
  assert.strictEqual(f.count, want);
  const name = label.replace(/（.*$/, '');
  assert.ok(f.items.every((i) => i.meta.includes(name)), name);
  assert.ok(/municipality=/.test(page.url()), page.url());
});

test('http: works under a Content-Security-Policy of default-src \'self\'', async () => {
  const page = await open(base + 'search/index.html?q=' + encodeURIComponent('介護'));
  await page.waitForFunction(() => /件/.test(document.querySelector('[data-status]').textContent));
  // No inline script or style on the page.
  const html = fs.readFileSync(path.join(SITE, 'search', 'index.html'), 'utf8');
  assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(html), 'no inline script');
  assert.ok(!/\sstyle=/i.test(html) && !/<style/i.test(html), 'no inline style');
  assert.ok(!/\son[a-z]+=/i.test(html), 'no inline handlers');
  assert.deepStrictEqual(page.problems, []);
});

test('http: accessible: labelled input, live status, keyboard', async () => {
  const page = await open(base + 'search/index.html');
  const input = page.getByRole('searchbox');
  assert.strictEqual(await input.count(), 1);
  assert.match(await input.evaluate((e) => e.labels[0].textContent), /で検索/);
  const status = page.locator('[data-status]');
  assert.strictEqual(await status.getAttribute('aria-live'), 'polite');
  assert.strictEqual(await status.getAttribute('role'), 'status');
  // Keyboard only: focus the box, type, Enter, Tab to the first result.
  await input.focus();
  await page.keyboard.type('介護');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /件/.test(document.querySelector('[data-status]').textContent));
  await page.waitForSelector('[data-results] a');
  let focused = '';
  for (let i = 0; i < 60 && !focused.includes('programmes/'); i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => (document.activeElement && document.activeElement.getAttribute('href')) || '');
  }
  assert.ok(focused.includes('programmes/'), 'a result link is reachable with Tab');
});

test('http: without JavaScript a message and the list pages', async () => {
  const page = await open(base + 'search/index.html', { javaScriptEnabled: false });
  assert.ok(await page.locator('#search-nojs').isVisible());
  assert.ok(!(await page.locator('#search-app').isVisible()));
  const links = await page.locator('#search-nojs a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.includes('../programmes/index.html'), links.join());
  for (const l of links) {
    const res = await page.request.get(new URL(l, page.url()).href);
    assert.strictEqual(res.status(), 200, l);
  }
});

for (const where of ['http', 'file']) {
  test(`${where}: the header search box of other pages leads to the results`, async (t) => {
    const home = where === 'http' ? base + 'index.html' : pathToFileURL(path.join(path.resolve(SITE), 'index.html')).href;
    const page = await open(home);
    const form = page.locator('header form[role=search]');
    if (!(await form.count())) { t.skip('no search box in base.html yet'); return; }
    assert.ok((await form.locator('input[name=q]').evaluate((e) => e.labels.length)) > 0, 'the box is labelled');
    await form.locator('input[name=q]').fill('世田谷');
    await form.locator('input[name=q]').press('Enter');
    await page.waitForURL(/search\/index\.html\?q=/);
    await page.waitForFunction(() => /件/.test(document.querySelector('[data-status]').textContent));
    assert.strictEqual((await results(page)).count, 3);
  });
}
