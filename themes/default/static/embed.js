// The embeddable card tells the page that frames it how tall it is, so the
// host can size the iframe to fit (assets/embed-host.js does; docs/embed.md).
// Message: {type: 'mieruka:height', height: <CSS px>} to window.parent, on
// load, whenever the card's height changes and when the host asks
// ({type: 'mieruka:height?'}). The height is public, hence the '*' target.
(function () {
  'use strict';
  if (window.parent === window) return;
  var root = document.documentElement;
  var last = -1;
  function height() {
    // The html element's own box, not scrollHeight: that is never less than
    // the iframe, so a card could grow but never shrink.
    return Math.ceil(root.getBoundingClientRect().height);
  }
  function post(force) {
    var h = height();
    if (!force && h === last) return;
    last = h;
    window.parent.postMessage({ type: 'mieruka:height', height: h }, '*');
  }
  window.addEventListener('message', function (e) {
    if (e.source === window.parent && e.data && e.data.type === 'mieruka:height?') post(true);
  });
  if (window.ResizeObserver) new ResizeObserver(function () { post(false); }).observe(root);
  window.addEventListener('resize', function () { post(false); });
  window.addEventListener('load', function () { post(true); });
  post(true);
})();
