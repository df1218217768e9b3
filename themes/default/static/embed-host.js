// For a page that embeds mieruka cards: sizes each
// <iframe data-mieruka-embed src="https://<site>/embed/…"> to the height its
// card reports (assets/embed.js). Only a message from that very iframe's
// window and its src's origin counts, and only a height of 50–5000 px.
// Load it from the site: <script src="https://<site>/assets/embed-host.js" async>
// (docs/embed.md). No inline script or style: works under a strict CSP.
(function () {
  'use strict';
  if (window.mierukaEmbedHost) return;
  window.mierukaEmbedHost = true;
  var MIN = 50, MAX = 5000;
  function frames() {
    return Array.prototype.slice.call(document.querySelectorAll('iframe[data-mieruka-embed]'));
  }
  function origin(f) {
    try { return new URL(f.src, document.baseURI).origin; } catch (e) { return null; }
  }
  function px(v) { return parseFloat(v) || 0; }
  window.addEventListener('message', function (e) {
    var d = e.data;
    if (!d || typeof d !== 'object' || d.type !== 'mieruka:height') return;
    var h = d.height;
    if (typeof h !== 'number' || !isFinite(h) || h < MIN || h > MAX) return;
    frames().forEach(function (f) {
      if (f.contentWindow !== e.source || origin(f) !== e.origin) return;
      var cs = getComputedStyle(f);
      var extra = cs.boxSizing === 'border-box'
        ? px(cs.borderTopWidth) + px(cs.borderBottomWidth) + px(cs.paddingTop) + px(cs.paddingBottom)
        : 0;
      f.style.height = Math.ceil(h + extra) + 'px';
    });
  });
  // A card that loaded before this script ran has spoken already: ask again
  // (the request carries nothing, so any target will do).
  function ask() {
    frames().forEach(function (f) {
      if (f.contentWindow) f.contentWindow.postMessage({ type: 'mieruka:height?' }, '*');
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ask);
  else ask();
})();
