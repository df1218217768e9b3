// Minifies the search script: themes/default/js/search.js (the source, read
// and edited by people) -> themes/default/static/search.js (what sites ship,
// and what the tests run). terser, pinned in package-lock.json, so the output
// is the same on every machine; minified.test.js checks that the committed
// file is this function's output.
//
//   node tests/browser/minify.js          rewrite the shipped file
'use strict';
const fs = require('fs');
const path = require('path');
const { minify } = require('terser');

const ROOT = path.join(__dirname, '..', '..');
const SOURCE = path.join(ROOT, 'themes', 'default', 'js', 'search.js');
const SHIPPED = path.join(ROOT, 'themes', 'default', 'static', 'search.js');
const BANNER = '/*! mieruka search (docs/search.md) | MIT OR Apache-2.0 | minified from themes/default/js/search.js by tests/browser/minify.js: edit that file, then run this */\n';

async function minified() {
  const src = fs.readFileSync(SOURCE, 'utf8');
  const out = await minify(src, {
    ecma: 2020,
    compress: { passes: 2 },
    mangle: true,
    // Japanese stays UTF-8 (3 bytes a character, not 6 as \uXXXX).
    format: { comments: false, ascii_only: false },
  });
  return BANNER + out.code + '\n';
}

module.exports = { minified, SOURCE, SHIPPED };

if (require.main === module) {
  minified().then((code) => {
    fs.writeFileSync(SHIPPED, code);
    const before = fs.statSync(SOURCE).size;
    console.log(`${path.relative(ROOT, SHIPPED)}: ${code.length} bytes (source ${before} bytes)`);
  });
}
