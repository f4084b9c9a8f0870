// Figures opened full size (figures.css, a checkbox per figure): one at a time; while one is
// open the page behind it stays where it was, and the keys act on the figure instead of on the
// page or mdBook's chapter navigation: the arrows, Page Up/Down, Home and End pan it where it
// pans (on a phone, at its drawn size), Escape closes it, and Tab stays on it.
(function () {
  'use strict';
  var BOX = '.figure-zoom .checkbox-img';
  var STEP = 40;

  document.addEventListener('change', function (e) {
    var box = e.target;
    if (!box.matches || !box.matches(BOX) || !box.checked) return;
    document.querySelectorAll(BOX + ':checked').forEach(function (other) {
      if (other !== box) other.checked = false;
    });
    box.focus({ preventScroll: true });
  });

  window.addEventListener('keydown', function (e) {
    var box = document.querySelector(BOX + ':checked');
    if (!box || e.altKey || e.ctrlKey || e.metaKey) return;
    var layer = box.closest('.figure-zoom');
    var pans = getComputedStyle(layer).position === 'fixed';
    var page = Math.max(STEP, layer.clientHeight - STEP);
    var moves = {
      ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, -STEP], ArrowDown: [0, STEP],
      PageUp: [0, -page], PageDown: [0, page], Home: [-1e9, -1e9], End: [1e9, 1e9],
    };
    if (e.key === 'Escape') {
      box.checked = false;
      box.focus({ preventScroll: true });
    } else if (e.key === 'Tab') {
      box.focus({ preventScroll: true });
    } else if (moves[e.key]) {
      if (pans) layer.scrollBy(moves[e.key][0], moves[e.key][1]);
    } else {
      return;
    }
    e.preventDefault();
    e.stopImmediatePropagation();
  }, true);
})();
