// Hover previews of figure, table and equation references, as in Quarto and Distill: hovering
// (or focusing) a link to "#fig-…", "#tab-…" or "#eq-…" on the same page shows a copy of the
// figure, the table with its caption, or the equation beside the link. Offline, no library;
// references to other pages stay plain links (a page opened from disk cannot read another).
(function () {
  'use strict';
  var box = null;
  var hideTimer = null;

  function target(link) {
    var href = link.getAttribute('href') || '';
    if (href.charAt(0) !== '#' || !/^#(fig|tab|eq)-/.test(href)) return null;
    return document.getElementById(decodeURIComponent(href.slice(1)));
  }

  // What to show for a target: the figure, the equation, or the table's caption and table.
  function content(el) {
    var id = el.id;
    if (id.indexOf('fig-') === 0 || id.indexOf('eq-') === 0) return [el.cloneNode(true)];
    var block = el.closest('p') || el;
    var out = [];
    for (var n = block.nextElementSibling; n && out.length < 2; n = n.nextElementSibling) {
      out.push(n.cloneNode(true));
      if (n.classList.contains('table-wrapper') || n.tagName === 'TABLE') break;
    }
    return out;
  }

  function hide() {
    if (box) { box.remove(); box = null; }
  }

  function show(link) {
    var el = target(link);
    if (!el) return;
    clearTimeout(hideTimer);
    hide();
    box = document.createElement('div');
    box.className = 'ref-preview';
    box.setAttribute('role', 'tooltip');
    content(el).forEach(function (n) {
      // Click-to-zoom wraps each figure (an inline SVG, or an image) in a checkbox label:
      // the preview keeps the drawing only.
      n.querySelectorAll('label.checkbox-label').forEach(function (label) {
        var img = label.querySelector('svg, img');
        if (img) label.replaceWith(img); else label.remove();
      });
      n.removeAttribute('id');
      n.querySelectorAll('[id]').forEach(function (m) { m.removeAttribute('id'); });
      box.appendChild(n);
    });
    box.addEventListener('mouseenter', function () { clearTimeout(hideTimer); });
    box.addEventListener('mouseleave', later);
    document.body.appendChild(box);
    var r = link.getBoundingClientRect();
    var width = box.offsetWidth;
    var left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    box.style.left = left + 'px';
    box.style.top = (r.bottom + window.scrollY + 6) + 'px';
  }

  function later() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('main a[href^="#fig-"], main a[href^="#tab-"], main a[href^="#eq-"]').forEach(function (a) {
      a.addEventListener('mouseenter', function () { show(a); });
      a.addEventListener('focus', function () { show(a); });
      a.addEventListener('mouseleave', later);
      a.addEventListener('blur', later);
    });
    document.addEventListener('keydown', function (e) { if (e.key === 'Escape') hide(); });
  });
})();
