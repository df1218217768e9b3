// Standards tests in real headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core; no browser download). The site is served from
// a subfolder on 127.0.0.1 with `Content-Security-Policy: default-src 'self'`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const SITE = process.env.SITE;
const SUB = '/mieruka-test/';
const CSP = "default-src 'self'";
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
let KINDS = [];

// One page of each kind: every page one or two folders deep (home, lists,
// data, search, accessibility, 404), the first page of each kind deeper down
// (a programme, a municipality, a theme, an embed card…), and for the Tokyo
// plan the programmes with a shared subsidy and with an implementer.
function pageKinds() {
  const pages = allPages();
  const kinds = new Set();
  const seen = new Set();
  for (const p of pages) {
    // Redirects are visited by the first test (their targets load); they have no content to check.
    if (isRedirect(p)) continue;
    const parts = p.split('/');
    if (parts.length <= 2) { kinds.add(p); continue; }
    const shape = parts.slice(0, parts.length - 2).join('/');
    if (!seen.has(shape)) { seen.add(shape); kinds.add(p); }
  }
  for (const p of ['programmes/2024-general-08/index.html', 'programmes/2024-model-04/index.html',
                   'municipalities/setagaya-ku/index.html', 'embed/programmes/2024-general-08/index.html']) {
    if (pages.includes(p)) kinds.add(p);
  }
  return [...kinds].sort();
}


const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml', '.csv': 'text/csv', '.txt': 'text/plain' };

let server, base, browser;

/** Whether the page at `rel` is a redirect (an old id, a record's id). */
function isRedirect(rel) {
  return fs.readFileSync(path.join(SITE, rel), 'utf8').includes('http-equiv="refresh"');
}

function allPages() {
  const out = [];
  const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p); else if (e.name.endsWith('.html')) out.push(path.relative(SITE, p));
  } };
  walk(SITE);
  return out.sort();
}

before(async () => {
  assert.ok(SITE && fs.existsSync(path.join(SITE, 'index.html')), 'SITE must point at a built site');
  server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(SUB)) { res.writeHead(404); return res.end(); }
    let rel = decodeURIComponent(url.pathname.slice(SUB.length));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.join(SITE, rel);
    if (!file.startsWith(SITE) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); return res.end('not found'); }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Content-Security-Policy': CSP });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}${SUB}`;
  KINDS = pageKinds();
  console.log(`site ${SITE}: ${KINDS.length} page kinds`);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
});

after(async () => { await browser?.close(); server?.close(); });

/** Opens a page and records console errors, CSP violations and failed requests. */
async function visit(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(url, { waitUntil: 'load' });
  // A redirect page (an old id, a record's id) moves on by itself: wait
  // for its target to load, so its problems count and no navigation is
  // cut off by closing the page.
  const file = path.join(SITE, decodeURIComponent(new URL(url).pathname.slice(SUB.length)));
  if (file.endsWith('.html') && fs.existsSync(file) && isRedirect(path.relative(SITE, file))) {
    await page.waitForURL((u) => u.href !== url, { waitUntil: 'load', timeout: 10000 });
    // The redirect itself cuts off what its page was still loading (its icon).
    for (let i = problems.length - 1; i >= 0; i--) {
      if (/ net::ERR_ABORTED$/.test(problems[i])) problems.splice(i, 1);
    }
  }
  await page.waitForTimeout(50);
  return { page, problems };
}

// 404.html links from the root of the host when the site has no base URL
// (a server shows it at any depth; docs/limits.md), so in this subfolder
// and from file:// its stylesheet is not found by design. The 404 page at a
// deep URL of a subfolder, with a base URL, is tested against `mieruka
// serve` (tests/integration/web.rs).
const ROOT_RELATIVE = new Set(['404.html']);

test('every page loads from a subfolder under a strict CSP with no violation, console error or failed request', async () => {
  const context = await browser.newContext();
  const pages = allPages().filter((p) => !ROOT_RELATIVE.has(p));
  const bad = [];
  for (const rel of pages) {
    const { page, problems } = await visit(context, base + rel);
    if (problems.length) bad.push(`${rel}: ${problems.join('; ')}`);
    await page.close();
  }
  await context.close();
  assert.deepEqual(bad, [], bad.join('\n'));
  console.log(`csp: 0 violations on ${pages.length} pages (served with "${CSP}")`);
});

test('every page kind works from file:// with no console error or failed request', async () => {
  const context = await browser.newContext();
  const bad = [];
  for (const rel of KINDS.filter((p) => !ROOT_RELATIVE.has(p))) {
    const { page, problems } = await visit(context, 'file://' + path.join(SITE, rel));
    if (problems.length) bad.push(`${rel}: ${problems.join('; ')}`);
    await page.close();
  }
  await context.close();
  assert.deepEqual(bad, [], bad.join('\n'));
});

test('axe-core finds no WCAG 2.1 A/AA violation on any page kind', async () => {
  const bad = [];
  for (const scheme of ['light', 'dark']) {
    // axe is injected through the DevTools protocol, which CSP does not block.
    const context = await browser.newContext({ colorScheme: scheme, bypassCSP: true });
    for (const rel of KINDS) {
      const page = await context.newPage();
      await page.goto(base + rel, { waitUntil: 'load' });
      await page.evaluate(axeSource);
      const result = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      }));
      for (const v of result.violations) {
        bad.push(`${scheme} ${rel}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      }
      await page.close();
    }
    await context.close();
  }
  assert.deepEqual(bad, [], bad.join('\n'));
  console.log(`axe: 0 violations on ${KINDS.length} page kinds, light and dark`);
});

test('no horizontal page scroll at 320 px; wide tables scroll in their own container', async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const bad = [];
  for (const rel of KINDS) {
    const { page } = await visit(context, base + rel);
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    if (w > 320) bad.push(`${rel}: page is ${w}px wide`);
    await page.close();
  }
  await context.close();
  assert.deepEqual(bad, [], bad.join('\n'));
});

test('a programme page prints on one A4 page with its URL', async () => {
  const context = await browser.newContext();
  const bad = [];
  // Programme pages, and with series the series pages and each year's record.
  const programmes = allPages().filter((p) => /^programmes\/[^/]+\/(\d{4}\/)?index\.html$/.test(p) && !isRedirect(p));
  for (const rel of programmes) {
    const page = await context.newPage();
    await page.goto(base + rel, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const url = await page.evaluate(() => getComputedStyle(document.querySelector('.print-url')).display !== 'none' && document.querySelector('.print-url').textContent);
    if (!url || !url.includes(rel.replace('index.html', ''))) bad.push(`${rel}: no URL in print (${url})`);
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    if (pages !== 1) bad.push(`${rel}: ${pages} A4 pages`);
    await page.close();
  }
  await context.close();
  assert.deepEqual(bad, [], bad.join('\n'));
});

test('the skip link is the first focusable element and focus is visible', async () => {
  const context = await browser.newContext();
  const { page } = await visit(context, base + 'index.html');
  await page.keyboard.press('Tab');
  const info = await page.evaluate(() => {
    const a = document.activeElement;
    const s = getComputedStyle(a);
    return { cls: a.className, href: a.getAttribute('href'), outline: s.outlineStyle, width: s.outlineWidth };
  });
  assert.equal(info.cls, 'skip-link');
  assert.equal(info.href, '#main');
  assert.notEqual(info.outline, 'none');
  await context.close();
});

test('chart labels stay inside their SVG at 375 px and 1280 px (getBBox in Chromium)', async () => {
  const bad = [];
  let checked = 0;
  for (const width of [375, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    for (const rel of KINDS) {
      const { page } = await visit(context, base + rel);
      const r = await page.evaluate(() => {
        const out = { n: 0, bad: [] };
        for (const svg of document.querySelectorAll('svg.chart')) {
          const vb = svg.viewBox.baseVal;
          for (const t of svg.querySelectorAll('text')) {
            const b = t.getBBox();
            out.n++;
            if (b.x < vb.x - 0.5 || b.y < vb.y - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 || b.y + b.height > vb.y + vb.height + 0.5) {
              out.bad.push(`${svg.getAttribute('aria-labelledby')}: "${t.textContent}" ${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}x${Math.round(b.height)} outside ${vb.width}x${vb.height}`);
            }
          }
        }
        return out;
      });
      checked += r.n;
      for (const b of r.bad) bad.push(`${width}px ${rel}: ${b}`);
      await page.close();
    }
    await context.close();
  }
  assert.ok(checked > 20, `only ${checked} labels checked`);
  assert.deepEqual(bad, [], bad.join('\n'));
  console.log(`charts: ${checked} labels inside their viewBox at 375 and 1280 px`);
});
