// Screenshots of the main page kinds at 375 px and 1280 px, for docs/screenshots/.
// Usage: SITE=public OUT=docs/screenshots node tests/standards/screenshots.mjs
import { chromium } from 'playwright-core';
import path from 'node:path';
import fs from 'node:fs';

const SITE = path.resolve(process.env.SITE || 'public');
const OUT = path.resolve(process.env.OUT || 'docs/screenshots');
const PAGES = {
  home: 'index.html',
  programme: 'programmes/2024-general-08/index.html',
  municipality: 'municipalities/setagaya-ku/index.html',
  theme: 'themes/youth/index.html',
  data: 'data/index.html',
  glossary: 'glossary/index.html',
  search: 'search/index.html?q=介護',
};
fs.mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});
for (const width of [375, 1280]) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
  for (const [name, rel] of Object.entries(PAGES)) {
    const [file, query] = rel.split('?');
    await page.goto('file://' + path.join(SITE, file) + (query ? '?' + query : ''), { waitUntil: 'load' });
    await page.waitForTimeout(400);
    const out = path.join(OUT, `${name}-${width}.png`);
    await page.screenshot({ path: out, fullPage: true });
    console.log(out);
  }
  await page.close();
}
await browser.close();
