// The embed snippet and the copy buttons in real headless Chromium (Debian's
// /usr/bin/chromium via playwright-core; never a browser download).
//
// The Tokyo site is built with --base-url http://127.0.0.1:A/sub/ and served
// there with `Content-Security-Policy: default-src 'self'`; a host page on
// another origin (127.0.0.1:B) is the programme page's snippet pasted as is,
// under a strict CSP that allows scripts and frames from A only.
//
// MIERUKA_BIN: the mieruka binary (tests/browser/run says which; default
// target/release/mieruka). CHROMIUM: the browser (default /usr/bin/chromium).
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
const SUB = '/sub/';
const PAGE = 'programmes/2024-general-08/'; // the tallest card of the Tokyo site at 375 px
const FALLBACK = 560; // the snippet's height="…" (EMBED_HEIGHT in src/render/pages/programme.rs)
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml' };
let browser, site, siteServer, hostServer, A, B, snippet, tmp;

/** Serves the built site under SUB; /sub/elsewhere/… redirects to the same path on localhost:A (another origin). */
function serveSite(root) {
  return http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.startsWith(SUB + 'elsewhere/')) {
      res.writeHead(302, { location: `http://localhost:${siteServer.address().port}${SUB}${p.slice(SUB.length + 'elsewhere/'.length)}` });
      res.end();
      return;
    }
    if (!p.startsWith(SUB)) { res.writeHead(404); res.end(); return; }
    p = path.join(root, p.slice(SUB.length));
    if (!p.startsWith(root)) { res.writeHead(403); res.end(); return; }
    if (p.endsWith('/')) p += 'index.html';
    fs.readFile(p, (err, body) => {
      if (err) { res.writeHead(404); res.end('not found'); return; }
      res.writeHead(200, { 'content-type': types[path.extname(p)] || 'application/octet-stream', 'content-security-policy': "default-src 'self'" });
      res.end(body);
    });
  });
}

/** The host page: the snippet as is, between two paragraphs; strict CSP. */
function hostPage(body, frameSrc) {
  return {
    csp: `default-src 'self'; script-src ${A}; frame-src ${frameSrc || A}`,
    html: `<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>埋め込み先</title></head><body><h1>埋め込み先のページ</h1>\n${body}\n<p id="after">この段落は埋め込みの後にあります。</p></body></html>`,
  };
}

function serveHost() {
  return http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x').pathname;
    let page;
    if (u === '/favicon.ico') { res.writeHead(204); res.end(); return; }
    if (u === '/host.html') page = hostPage(snippet);
    // The same snippet whose iframe is redirected to another origin than its src's.
    else if (u === '/redirected.html') {
      page = hostPage(snippet.replace(`${A}${SUB}embed/`, `${A}${SUB}elsewhere/embed/`),
        `${A} http://localhost:${siteServer.address().port}`);
    }
    if (!page) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': page.csp });
    res.end(page.html);
  });
}

const listen = (s) => new Promise((r) => s.listen(0, '127.0.0.1', r));

before(async () => {
  assert.ok(fs.existsSync(BIN), `no mieruka binary at ${BIN} (cargo build --release, or set MIERUKA_BIN)`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mieruka-embed-'));
  site = path.join(tmp, 'site');
  siteServer = serveSite(site);
  await listen(siteServer);
  A = `http://127.0.0.1:${siteServer.address().port}`;
  execFileSync(BIN, ['build', '--quiet', '--content', path.join(REPO, 'content'), '--out', site, '--base-url', A + SUB], { stdio: ['ignore', 'ignore', 'inherit'] });
  hostServer = serveHost();
  await listen(hostServer);
  B = `http://127.0.0.1:${hostServer.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  // The snippet as a reader copies it: the textarea's value.
  const { page, ctx } = await open(A + SUB + PAGE);
  snippet = await page.locator('#embed-code').inputValue();
  await ctx.close();
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/sub\/embed\/programmes\/2024-general-08\/" title="[^"<]+" width="100%" height="560" loading="lazy" data-mieruka-embed><\/iframe>\n<script src="http:\/\/127\.0\.0\.1:\d+\/sub\/assets\/embed-host\.js" async><\/script>$/);
});

after(async () => {
  if (browser) await browser.close();
  if (siteServer) siteServer.close();
  if (hostServer) hostServer.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** A fresh page; records page errors, console errors and CSP violations of every frame. */
async function open(url, opts = {}) {
  const ctx = await browser.newContext(opts);
  await ctx.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation at ${location.origin}: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await ctx.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push('pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) page.problems.push('console: ' + m.text()); });
  page.on('response', (r) => { if (r.status() >= 400) page.problems.push(`${r.status()} ${r.url()}`); });
  await page.goto(url);
  return { ctx, page };
}

const cardFrame = (page) => page.frames().find((f) => f !== page.mainFrame() && f.url().includes('/embed/programmes/'));

for (const width of [375, 1280]) {
  test(`${width} px: the host sizes the iframe to the whole card, under strict CSPs on both sides`, async () => {
    const { ctx, page } = await open(B + '/host.html', { viewport: { width, height: 900 } });
    await page.waitForFunction(() => document.querySelector('iframe[data-mieruka-embed]').style.height !== '');
    const frame = cardFrame(page);
    await frame.waitForLoadState('load');
    await page.waitForTimeout(200); // let any further resize settle
    const box = await page.locator('iframe[data-mieruka-embed]').evaluate((f) => ({ inner: f.clientHeight, style: f.style.height }));
    const card = await frame.evaluate(() => {
      const more = Array.from(document.querySelectorAll('a')).find((a) => a.textContent.includes('詳しく見る'));
      const last = document.querySelector('main').lastElementChild;
      return {
        scroll: document.documentElement.scrollHeight,
        content: document.documentElement.getBoundingClientRect().height,
        view: window.innerHeight,
        moreBottom: more.getBoundingClientRect().bottom,
        lastIsMore: last.contains(more),
        cardBottom: document.querySelector('main').getBoundingClientRect().bottom,
      };
    });
    assert.ok(Math.abs(box.inner - card.scroll) <= 2, `iframe ${JSON.stringify(box)} vs card ${JSON.stringify(card)}`);
    assert.ok(Math.abs(box.inner - card.content) <= 2, `iframe ${JSON.stringify(box)} vs card ${JSON.stringify(card)}`);
    assert.ok(card.lastIsMore, 'the 詳しく見る link is the card\'s last element');
    assert.ok(card.moreBottom <= card.view && card.cardBottom <= card.view, `clipped: ${JSON.stringify(card)}`);
    if (width === 375) assert.ok(card.content <= FALLBACK, `the fallback height ${FALLBACK} clips this card at 375 px: ${card.content}`);
    else assert.ok(box.inner < FALLBACK, `the iframe did not shrink to the card: ${JSON.stringify(box)}`);
    // The host's paragraph after the iframe comes right after it.
    const gap = await page.evaluate(() => document.getElementById('after').getBoundingClientRect().top -
      document.querySelector('iframe').getBoundingClientRect().bottom);
    assert.ok(gap >= 0 && gap < 40, `gap ${gap}`);
    assert.deepStrictEqual(page.problems, []);
    await ctx.close();
  });
}

test('the iframe follows the card when the host page narrows', async () => {
  const { ctx, page } = await open(B + '/host.html', { viewport: { width: 1280, height: 900 } });
  const iframe = page.locator('iframe[data-mieruka-embed]');
  await page.waitForFunction(() => document.querySelector('iframe[data-mieruka-embed]').style.height !== '');
  const wide = await iframe.evaluate((f) => f.clientHeight);
  await page.setViewportSize({ width: 375, height: 900 });
  await page.waitForFunction((w) => document.querySelector('iframe[data-mieruka-embed]').clientHeight > w + 20, wide);
  const narrow = await iframe.evaluate((f) => f.clientHeight);
  const scroll = await cardFrame(page).evaluate(() => document.documentElement.scrollHeight);
  assert.ok(Math.abs(narrow - scroll) <= 2, `${narrow} vs ${scroll}`);
  assert.deepStrictEqual(page.problems, []);
  await ctx.close();
});

test('a message from another window or origin, or a bogus height, does not resize the iframe', async () => {
  const { ctx, page } = await open(B + '/host.html', { viewport: { width: 1280, height: 900 } });
  const h = () => page.locator('iframe[data-mieruka-embed]').evaluate((f) => f.style.height);
  await page.waitForFunction(() => document.querySelector('iframe[data-mieruka-embed]').style.height !== '');
  const good = await h();
  // From the host itself (its own origin, not the iframe's window).
  await page.evaluate(() => window.postMessage({ type: 'mieruka:height', height: 1234 }, '*'));
  // From the card's own window, but nonsense.
  const frame = cardFrame(page);
  for (const bogus of [10, 49, 5001, 1e9, -300, Infinity, NaN, '900', null, { h: 900 }]) {
    await frame.evaluate((v) => window.parent.postMessage({ type: 'mieruka:height', height: v }, '*'), bogus);
  }
  await frame.evaluate(() => window.parent.postMessage({ type: 'other', height: 900 }, '*'));
  await frame.evaluate(() => window.parent.postMessage('mieruka:height 900', '*'));
  await page.waitForTimeout(300);
  assert.strictEqual(await h(), good);
  // The same window with a sane height is obeyed (the checks above are not vacuous).
  await frame.evaluate(() => window.parent.postMessage({ type: 'mieruka:height', height: 777 }, '*'));
  await page.waitForFunction(() => document.querySelector('iframe[data-mieruka-embed]').style.height === '777px');
  assert.deepStrictEqual(page.problems, []);
  await ctx.close();
});

test('an iframe whose card now comes from another origin than its src is not resized', async () => {
  const { ctx, page } = await open(B + '/redirected.html', { viewport: { width: 1280, height: 900 } });
  // Record what the host receives, to know the card has spoken.
  await page.evaluate(() => {
    window.seen = [];
    window.addEventListener('message', (e) => window.seen.push(e.origin));
  });
  const frame = () => page.frames().find((f) => f.url().startsWith('http://localhost:'));
  for (let i = 0; i < 50 && !frame(); i++) await page.waitForTimeout(100);
  assert.ok(frame(), page.frames().map((f) => f.url()).join(' '));
  await frame().waitForLoadState('load');
  await frame().evaluate(() => window.parent.postMessage({ type: 'mieruka:height', height: 700 }, '*'));
  await page.waitForFunction(() => window.seen.some((o) => o.startsWith('http://localhost:')));
  assert.strictEqual(await page.evaluate(() => window.mierukaEmbedHost), true, 'the host script ran');
  await page.waitForTimeout(200);
  assert.strictEqual(await page.locator('iframe').evaluate((f) => f.style.height), '');
  assert.strictEqual(await page.locator('iframe').evaluate((f) => f.clientHeight), FALLBACK);
  assert.deepStrictEqual(page.problems, []);
  await ctx.close();
});

test('without a host script, the iframe keeps the fallback height, which shows the whole card at 375 px', async () => {
  const { ctx, page } = await open(B + '/host.html', { viewport: { width: 375, height: 900 }, javaScriptEnabled: false });
  const iframe = page.locator('iframe[data-mieruka-embed]');
  assert.strictEqual(await iframe.evaluate((f) => f.clientHeight), FALLBACK);
  await ctx.close();
});

test('copy buttons: the citation, the permalink and the snippet, announced', async () => {
  const { ctx, page } = await open(A + SUB + PAGE, { viewport: { width: 375, height: 900 } });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: A });
  for (const name of ['引用文をコピー', '固定リンクをコピー', '埋め込みコードをコピー']) {
    assert.strictEqual(await page.getByRole('button', { name }).count(), 1, name);
  }
  const status = page.getByRole('status');
  assert.strictEqual(await status.getAttribute('aria-live'), 'polite');
  const copy = async (name, want, said) => {
    await page.getByRole('button', { name }).click();
    await page.waitForFunction((s) => document.querySelector('[role=status]').textContent === s, said);
    assert.strictEqual(await page.evaluate(() => navigator.clipboard.readText()), want);
  };
  const citation = await page.locator('#cite-text').inputValue();
  assert.ok(citation.includes(`掲載：${A}${SUB}${PAGE}`), citation);
  await copy('引用文をコピー', citation, '引用文をコピーしました');
  await copy('固定リンクをコピー', `${A}${SUB}${PAGE}`, '固定リンクをコピーしました');
  await copy('埋め込みコードをコピー', snippet, '埋め込みコードをコピーしました');
  // Copying the same again is announced again (the region is emptied first).
  await copy('引用文をコピー', citation, '引用文をコピーしました');
  assert.deepStrictEqual(page.problems, []);
  await ctx.close();
});

test('copy buttons: without the clipboard API the text is selected', async () => {
  const ctx0 = await browser.newContext();
  await ctx0.addInitScript(() => { Object.defineProperty(navigator, 'clipboard', { value: undefined }); });
  const page = await ctx0.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(A + SUB + PAGE);
  await page.getByRole('button', { name: '引用文をコピー' }).click();
  await page.waitForFunction(() => /^引用文を(コピー|選択)しました/.test(document.querySelector('[role=status]').textContent));
  const sel = await page.locator('#cite-text').evaluate((t) => [t.selectionStart, t.selectionEnd, t.value.length, document.activeElement === t]);
  assert.deepStrictEqual(sel, [0, sel[2], sel[2], true]);
  assert.deepStrictEqual(problems, []);
  await ctx0.close();
});

test('without JavaScript there are no copy buttons', async () => {
  const { ctx, page } = await open(A + SUB + PAGE, { javaScriptEnabled: false });
  assert.strictEqual(await page.getByRole('button', { name: /コピー/ }).count(), 0);
  assert.strictEqual(await page.locator('#cite-text').count(), 1);
  await ctx.close();
});
