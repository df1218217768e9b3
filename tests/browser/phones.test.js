// Residents on phones, in real headless Chromium (Debian's /usr/bin/chromium
// via playwright-core): every page of the Tokyo plan site (MIERUKA_SITE) and
// of the two-year subsidy example (built here with MIERUKA_BIN) is opened
// from file:// at 320, 375 and 1280 px.
//
// - At 320 and 375 px no page scrolls sideways, every chart's text renders
//   at 12 CSS px or more (font size times the SVG's scale on screen), and
//   no table needs scrolling sideways either: list tables are stacked into
//   one card per row, each value labelled by its column.
// - At 1280 px no table column is clipped (no table is wider than its
//   container) and the charts' text is also 12 px or more.
'use strict';
const test = require('node:test');
const { before, after } = test;
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { execFileSync } = require('node:child_process');
const { chromium } = require('playwright-core');

const REPO = path.resolve(__dirname, '../..');
const BIN = process.env.MIERUKA_BIN || path.join(REPO, 'target/release/mieruka');
const TOKYO = process.env.MIERUKA_SITE;
let browser, tmp, hojokin;

before(async () => {
  assert.ok(TOKYO && fs.existsSync(path.join(TOKYO, 'index.html')), 'MIERUKA_SITE must point to a built site (tests/browser/run)');
  assert.ok(fs.existsSync(BIN), `no mieruka binary at ${BIN}`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mieruka-phones-'));
  hojokin = path.join(tmp, 'site');
  execFileSync(BIN, ['build', '--quiet', '--content', path.join(REPO, 'examples/tokyo-hojokin/content'), '--out', hojokin], { stdio: ['ignore', 'ignore', 'inherit'] });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every HTML page of a site that is not a redirect (a moved page's stub). */
function pages(site) {
  const out = [];
  (function walk(dir) {
    for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, f.name);
      if (f.isDirectory()) walk(p);
      else if (f.name.endsWith('.html') && !/http-equiv="refresh"/.test(fs.readFileSync(p, 'utf8'))) out.push(p);
    }
  })(site);
  return out.sort();
}

/** What a reader sees at this width: page overflow, the smallest chart
 * text on screen, tables wider than their container. */
function measure() {
  const doc = document.documentElement;
  const r = { pageWidth: doc.scrollWidth, viewport: doc.clientWidth, charts: 0, minText: Infinity, smallest: '', tooWide: [] };
  for (const svg of document.querySelectorAll('svg.chart')) {
    if (!svg.getClientRects().length) continue;
    r.charts++;
    const scale = svg.getScreenCTM().a;
    for (const t of svg.querySelectorAll('text')) {
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (px < r.minText) { r.minText = px; r.smallest = t.textContent; }
    }
  }
  for (const table of document.querySelectorAll('table')) {
    if (!table.getClientRects().length) continue;
    const box = table.closest('.table-wrap') || table.parentElement;
    if (box.scrollWidth > box.clientWidth + 1) r.tooWide.push(`${(table.caption && table.caption.textContent) || table.className}: ${box.scrollWidth} > ${box.clientWidth}`);
  }
  return r;
}

async function check(site, width) {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  let charts = 0;
  const all = pages(site);
  for (const file of all) {
    const rel = path.relative(site, file);
    await page.goto(pathToFileURL(file).href);
    const m = await page.evaluate(measure);
    charts += m.charts;
    if (m.pageWidth > m.viewport) problems.push(`${rel}: the page is ${m.pageWidth}px wide at ${m.viewport}px`);
    if (m.minText < 12) problems.push(`${rel}: chart text ${m.minText.toFixed(1)}px (${m.smallest})`);
    for (const t of m.tooWide) problems.push(`${rel}: table wider than its box: ${t}`);
  }
  await context.close();
  return { problems, charts, pages: all.length };
}

for (const [name, site] of [['the Tokyo plan site', () => TOKYO], ['the two-year subsidy example', () => hojokin]]) {
  for (const width of [320, 375]) {
    test(`${name} at ${width} px: no sideways scrolling, chart text 12 px or more`, async () => {
      const { problems, charts, pages: n } = await check(site(), width);
      assert.ok(n > 20, `only ${n} pages`);
      assert.ok(charts > 5, `only ${charts} charts seen`);
      assert.deepStrictEqual(problems, []);
    });
  }
  test(`${name} at 1280 px: no table column clipped, chart text 12 px or more`, async () => {
    const { problems, charts } = await check(site(), 1280);
    assert.ok(charts > 5, `only ${charts} charts seen`);
    assert.deepStrictEqual(problems, []);
  });
}

test('on a phone a list row is a card: its name, then its figures, each labelled', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  await page.goto(pathToFileURL(path.join(TOKYO, 'municipalities/setagaya-ku/index.html')).href);
  const row = page.locator('table.programmes tbody tr').first();
  const name = await row.locator('th').boundingBox();
  const figure = await row.locator('td.num:not(.number)').first().boundingBox();
  assert.ok(figure.y > name.y, 'the figures come under the name');
  assert.ok(figure.x >= 0 && figure.x + figure.width <= 375, `the first figure is on screen: ${JSON.stringify(figure)}`);
  const label = await row.locator('td.num:not(.number)').first().evaluate((td) => getComputedStyle(td, '::before').content);
  assert.match(label, /事業額（千円）/);
  // At 1280 px the same table is a table again, its header visible.
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.strictEqual(await row.evaluate((tr) => getComputedStyle(tr).display), 'table-row');
  assert.ok(await page.locator('table.programmes thead th').first().isVisible());
  await context.close();
});

test('the narrow chart replaces the wide one on a phone, and the wide one is back at 1280 px', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  await page.goto(pathToFileURL(path.join(TOKYO, 'index.html')).href);
  const first = page.locator('figure.chart-figure').first();
  assert.ok(await first.locator('svg.chart-narrow').isVisible());
  assert.ok(!(await first.locator('svg.chart-wide').isVisible()));
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.ok(await first.locator('svg.chart-wide').isVisible());
  assert.ok(!(await first.locator('svg.chart-narrow').isVisible()));
  await context.close();
});
