// The shipped search script is the minified source, exactly: a change to
// themes/default/js/search.js without `node tests/browser/minify.js` fails.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const { minified, SHIPPED } = require('./minify.js');

test('themes/default/static/search.js is the minified themes/default/js/search.js', async () => {
  const want = await minified();
  const have = fs.readFileSync(SHIPPED, 'utf8');
  assert.ok(have === want, 'run `node tests/browser/minify.js` and commit the result');
});
