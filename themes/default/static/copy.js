// Copy buttons on a programme page (progressive enhancement: without
// JavaScript there are no buttons, and the fields can still be selected).
// Every element with data-copy="<what>" gets a 「コピー」 button named
// "<what>をコピー"; the result is announced in a polite live region.
(function () {
  'use strict';
  var items = document.querySelectorAll('[data-copy]');
  if (!items.length) return;
  var status = document.createElement('p');
  status.className = 'copy-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  var timer = 0;
  function say(msg) {
    // Emptied first, so that copying the same thing twice is announced twice.
    status.textContent = '';
    clearTimeout(timer);
    timer = setTimeout(function () { status.textContent = msg; }, 50);
  }
  function text(el) {
    return el.tagName === 'TEXTAREA' || el.tagName === 'INPUT' ? el.value : el.textContent;
  }
  function select(el) {
    if (typeof el.select === 'function') { el.focus(); el.select(); return; }
    var r = document.createRange();
    r.selectNodeContents(el);
    var s = window.getSelection();
    s.removeAllRanges();
    s.addRange(r);
  }
  function fallback(el, what) {
    select(el);
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    say(ok ? what + 'をコピーしました' : what + 'を選択しました。Ctrl+C（Macは⌘C）でコピーしてください');
  }
  Array.prototype.forEach.call(items, function (el) {
    var what = el.getAttribute('data-copy');
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'copy-button';
    b.textContent = 'コピー';
    b.setAttribute('aria-label', what + 'をコピー');
    b.addEventListener('click', function () {
      var t = text(el);
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(t).then(function () { say(what + 'をコピーしました'); },
          function () { fallback(el, what); });
      } else {
        fallback(el, what);
      }
    });
    el.insertAdjacentElement('afterend', b);
  });
  var last = items[items.length - 1];
  (last.closest('section') || document.body).appendChild(status);
})();
