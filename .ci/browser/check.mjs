// The built book in a real browser: every page loads from disk without console errors, every
// image is decoded, every MathML formula is laid out, every internal link and #anchor resolves.
// Then each page as a reader sees it, at 390 px and 1280 px, in the light and the navy theme:
// no display equation clipped (its left edge inside its box, so scrolling reaches all of it)
// or with a vertical scrollbar; no equation number over its formula; no ASCII pseudo-notation
// (W0^SGD, φ_W, [[a,b],[c,d]], 1e-12) in the text; every Rust listing folded; no figure on a
// white card in the dark theme; every SVG text at least 11 px as displayed at 1280 px, and at
// 390 px once the figure is tapped open (a full-screen layer that pans, with the keys, while
// the page behind stays put; one at a time, closed by a tap or Escape); a
// hover preview for a figure reference; print.html keeps every table column. A full-page
// screenshot of each page in each variant goes to SHOTS. Ends with "N passed, N failed".
//
// usage: node check.mjs BOOK_DIR SHOTS_DIR
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const [bookDir, shotsDir] = process.argv.slice(2).map((p) => path.resolve(p));
if (!bookDir || !shotsDir || !fs.existsSync(path.join(bookDir, 'index.html'))) {
  console.error('usage: node check.mjs BOOK_DIR SHOTS_DIR (BOOK_DIR must hold index.html)');
  process.exit(2);
}
fs.mkdirSync(shotsDir, { recursive: true });

// 404.html too: book.toml's site-url "./" makes it work opened from disk.
const pages = fs.readdirSync(bookDir).filter((f) => f.endsWith('.html')).sort();
const idCache = new Map();
function idsOf(file) {
  if (!idCache.has(file)) {
    const html = fs.readFileSync(file, 'utf8');
    idCache.set(file, new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
  }
  return idCache.get(file);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--allow-file-access-from-files'],
});
// A PNG (as Chromium writes screenshots: 8-bit RGB or RGBA, not interlaced) → RGBA pixels.
function decodePng(buf) {
  let pos = 8;
  let width = 0; let height = 0; let type = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const kind = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (kind === 'IHDR') { width = data.readUInt32BE(0); height = data.readUInt32BE(4); type = data[9]; }
    if (kind === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const bpp = type === 6 ? 4 : 3;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(width * height * 4);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? line[i - bpp] : 0; const b = prev[i]; const c = i >= bpp ? prev[i - bpp] : 0;
      const p = a + b - c; const pa = Math.abs(p - a); const pb = Math.abs(p - b); const pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f];
      line[i] = (line[i] + pred) & 255;
    }
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 3; k++) out[(y * width + x) * 4 + k] = line[x * bpp + k];
      out[(y * width + x) * 4 + 3] = bpp === 4 ? line[x * bpp + 3] : 255;
    }
    prev = line;
  }
  return { width, height, data: out };
}

// The largest font size of an SVG's text elements, in SVG units, and the SVG's width.
function svgTextSizes(file) {
  const text = fs.readFileSync(file, 'utf8');
  const vb = text.match(/viewBox="[\d.\s-]*?([\d.]+)\s+[\d.]+"/) || text.match(/width="([\d.]+)"/);
  const sizes = [...text.matchAll(/<text[^>]*font-size="([\d.]+)(?:px)?"/g)].map((m) => Number(m[1]));
  return { width: vb ? Number(vb[1]) : NaN, sizes };
}

const PSEUDO = /[A-Za-zΣφλ0-9)\]][\^][A-Za-z0-9({]|(^|[^A-Za-z])[A-Za-zΣφλ]_[A-Za-z0-9{]|\[\[|\b\d(\.\d+)?e[-+]?\d+\b/;

// The reader's checks of one page in one variant; returns the problems found.
async function readerChecks(file, name, width, theme) {
  const tag = `${width} px ${theme}`;
  const out = [];
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  // print.html opens the print dialog on load; here it would only get in the way.
  await context.addInitScript((t) => { localStorage.setItem('mdbook-theme', t); window.print = () => {}; }, theme);
  const page = await context.newPage();
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.evaluate(async () => { await document.fonts.ready; });
  const facts = await page.evaluate((pseudo) => {
    const re = new RegExp(pseudo);
    const eqs = [...document.querySelectorAll('main .equation')].map((eq) => {
      const body = eq.querySelector('.eq-body');
      const math = eq.querySelector('math');
      const no = eq.querySelector('.eqno');
      if (!body || !math) return { text: eq.textContent.slice(0, 30), missing: true };
      const b = body.getBoundingClientRect();
      const m = math.getBoundingClientRect();
      const oy = getComputedStyle(body).overflowY;
      const vbar = (oy === 'auto' || oy === 'scroll') && body.scrollHeight > body.clientHeight + 1;
      let overlap = false;
      if (no) {
        const n = no.getBoundingClientRect();
        const left = Math.max(m.left, b.left); const right = Math.min(m.right, b.right);
        overlap = n.left < right - 0.5 && n.right > left + 0.5 && n.top < m.bottom - 0.5 && n.bottom > m.top + 0.5;
      }
      return { text: (no ? no.textContent : '') + ' ' + math.textContent.slice(0, 30), clipped: m.left < b.left - 0.5, vbar, overlap };
    });
    const pseudoHits = [];
    const main = document.querySelector('main');
    const walk = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement.closest('code, pre, script, style, math') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const m = n.textContent.match(re);
      if (m) pseudoHits.push(n.textContent.slice(Math.max(0, m.index - 20), m.index + 20).replace(/\s+/g, ' '));
    }
    const unfolded = [...main.querySelectorAll('pre > code.language-rust')].filter((c) => {
      const d = c.closest('details');
      return !d || d.open;
    }).map((c) => c.textContent.split('\n')[0].slice(0, 40));
    // Figures: inline SVGs (the book's, following the theme) or images of SVG files.
    const imgs = [...main.querySelectorAll('figure svg.figure-svg, figure img')].map((el, k) => {
      const r = el.getBoundingClientRect();
      const inline = el.tagName.toLowerCase() === 'svg';
      const vb = inline && el.viewBox && el.viewBox.baseVal ? el.viewBox.baseVal.width : 0;
      const sizes = inline ? [...el.querySelectorAll('text')].map((t) => parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize)).filter((v) => v > 0) : null;
      const src = inline ? `inline figure ${k + 1} (${el.getAttribute('aria-label') || ''})`.slice(0, 80) : el.getAttribute('src');
      return { src, inline, svgWidth: vb || parseFloat(el.getAttribute('width') || '0'), sizes, shown: r.width, x: r.x + window.scrollX, y: r.y + window.scrollY, w: r.width, h: r.height };
    });
    return { eqs, pseudoHits, unfolded, imgs };
  }, PSEUDO.source);
  for (const e of facts.eqs) {
    if (e.missing) out.push(`${tag}: equation without .eq-body/math: ${e.text}`);
    if (e.clipped) out.push(`${tag}: equation clipped on the left: ${e.text}`);
    if (e.vbar) out.push(`${tag}: equation with a vertical scrollbar: ${e.text}`);
    if (e.overlap) out.push(`${tag}: equation number over its formula: ${e.text}`);
  }
  if (width === 1280 && theme === 'light') {
    for (const h of facts.pseudoHits) out.push(`pseudo-notation in the text: "${h}"`);
    for (const u of facts.unfolded) out.push(`listing not folded: ${u}`);
    for (const img of facts.imgs) {
      if (img.shown < 1) continue;
      let w; let sizes;
      if (img.inline) {
        ({ svgWidth: w, sizes } = img);
      } else {
        const svg = fileURLToPath(new URL(img.src, pathToFileURL(file)));
        if (!svg.endsWith('.svg') || !fs.existsSync(svg)) continue;
        ({ width: w, sizes } = svgTextSizes(svg));
      }
      const smallest = Math.min(...sizes) * img.shown / w;
      if (sizes.length && smallest < 11) out.push(`figure ${img.src}: SVG text ${smallest.toFixed(1)} px at 1280 px (< 11)`);
    }
    // A hover preview for the first same-page figure reference.
    const ref = page.locator('main a[href^="#fig-"]').first();
    if (await ref.count() > 0) {
      await ref.scrollIntoViewIfNeeded();
      await ref.hover();
      const shown = await page.waitForSelector('.ref-preview svg, .ref-preview img', { timeout: 2000 }).then(() => true, () => false);
      if (!shown) out.push('no hover preview for a figure reference');
    }
  }
  if (name === 'print.html' && width === 390 && theme === 'light') {
    // Printed on A4 (about 700 CSS px of text width): every column of every table on the page.
    await page.setViewportSize({ width: 700, height: 1000 });
    await page.emulateMedia({ media: 'print' });
    const wide = await page.evaluate(() => {
      const right = document.querySelector('main').getBoundingClientRect().right;
      return [...document.querySelectorAll('main table')].filter((t) => t.getBoundingClientRect().right > right + 1)
        .map((t) => (t.closest('.table-wrapper') || t).previousElementSibling?.textContent.slice(0, 40) || '?');
    });
    for (const w of wide) out.push(`print: a table is cut at the right edge: ${w}`);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width, height: 900 });
  }
  if (width === 390 && theme === 'light') {
    // On a phone every figure opens, tapped, at the size it was drawn: its smallest text at
    // least 11 px, in a fixed layer that pans; tapped again, it is back in the column.
    const figs = page.locator('main figure svg.figure-svg');
    for (let k = 0; k < await figs.count(); k += 1) {
      const fig = figs.nth(k);
      await fig.scrollIntoViewIfNeeded();
      await fig.click();
      const z = await fig.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const layer = el.closest('.figure-zoom');
        const sizes = [...el.querySelectorAll('text')].map((t) => parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize)).filter((v) => v > 0);
        const scale = r.width / (el.viewBox.baseVal.width + parseFloat(getComputedStyle(el).paddingLeft) * 2);
        return { label: (el.getAttribute('aria-label') || '').slice(0, 50), smallest: sizes.length ? Math.min(...sizes) * scale : 99,
          fixed: getComputedStyle(layer).position === 'fixed', pans: r.width <= layer.clientWidth + 1 || layer.scrollWidth > layer.clientWidth };
      });
      if (z.smallest < 11) out.push(`${tag}: figure "${z.label}" opened shows text at ${z.smallest.toFixed(1)} px (< 11)`);
      if (!z.fixed || !z.pans) out.push(`${tag}: figure "${z.label}" opened is not a full-screen layer that pans`);
      if (k === 0) {
        // While open: the page behind stays put (wheel, End), the arrows pan the figure and do
        // not turn the page (mdBook's chapter keys), and opening another closes this one.
        const before = await page.evaluate(() => ({ y: window.scrollY, url: location.href }));
        await page.mouse.wheel(0, 2000);
        await page.keyboard.press('End');
        await page.keyboard.press('Home');
        await page.keyboard.press('ArrowRight');
        await page.waitForTimeout(300);
        const after = await page.evaluate(() => ({ y: window.scrollY, url: location.href, left: document.querySelector('.figure-zoom:has(.checkbox-img:checked)')?.scrollLeft }));
        if (after.y !== before.y) out.push(`${tag}: the page scrolled behind an open figure (${before.y} -> ${after.y})`);
        if (after.url !== before.url) {
          out.push(`${tag}: an arrow key left the page while a figure was open`);
          break;
        }
        if (z.pans && !(after.left > 0)) out.push(`${tag}: the arrow keys do not pan an open figure`);
        if (await figs.count() > 1) {
          await page.evaluate(() => { const b = document.querySelectorAll('.figure-zoom .checkbox-img')[1]; b.click(); });
          const open = await page.evaluate(() => document.querySelectorAll('.figure-zoom .checkbox-img:checked').length);
          if (open !== 1) out.push(`${tag}: ${open} figures open at once`);
          await page.keyboard.press('Escape');
          const none = await page.evaluate(() => document.querySelectorAll('.figure-zoom .checkbox-img:checked').length);
          if (none !== 0) out.push(`${tag}: Escape does not close an open figure`);
          await fig.scrollIntoViewIfNeeded();
          await fig.click();
        }
      }
      await fig.click({ position: { x: 20, y: 20 } });
      const back = await fig.evaluate((el) => el.getBoundingClientRect().width <= document.querySelector('main').getBoundingClientRect().width + 1);
      if (!back) out.push(`${tag}: figure "${z.label}" does not close when tapped again`);
    }
  }
  if (theme !== 'light') {
    for (const img of facts.imgs) {
      if (img.w < 20 || img.h < 20) continue;
      const png = decodePng(await page.screenshot({ clip: { x: img.x, y: img.y, width: img.w, height: img.h }, fullPage: true }));
      let white = 0;
      for (let i = 0; i < png.data.length; i += 4) {
        if (png.data[i] > 235 && png.data[i + 1] > 235 && png.data[i + 2] > 235) white += 1;
      }
      const share = white / (png.width * png.height);
      if (share > 0.3) out.push(`${tag}: figure ${img.src} is a white card (${Math.round(100 * share)}% white)`);
    }
  }
  await page.screenshot({ path: path.join(shotsDir, `${name.replace(/\.html$/, '')}-${width}-${theme}.png`), fullPage: true });
  await context.close();
  return out;
}

let passed = 0;
let failed = 0;
for (const name of pages) {
  const file = path.join(bookDir, name);
  const problems = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    // highlight.js warns (not errors) about a code block in a language it does not bundle.
    if (msg.type() === 'warning' && /Could not find the language/.test(msg.text())) {
      problems.push(`console warning: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
  page.on('request', (req) => {
    const u = req.url();
    if (!u.startsWith('file:') && !u.startsWith('data:') && !u.startsWith('about:')) problems.push(`network request: ${u}`);
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.evaluate(async () => { await document.fonts.ready; });
  const facts = await page.evaluate(() => {
    const imgs = [...document.querySelectorAll('main img')].map((img) => ({
      src: img.getAttribute('src'), ok: img.complete && img.naturalWidth > 0 && img.naturalHeight > 0,
    }));
    const maths = [...document.querySelectorAll('main math')].map((m, i) => {
      const r = m.getBoundingClientRect();
      return { i, ok: r.width > 0 && r.height > 0, text: m.textContent.slice(0, 40) };
    });
    // Inline figures: drawn (a box of their own and something in it), with their alt text.
    const figures = [...document.querySelectorAll('main svg.figure-svg')].map((s, i) => {
      const r = s.getBoundingClientRect();
      return { i, ok: r.width > 0 && r.height > 0 && s.querySelector('text, path, polyline, polygon, rect, circle') !== null && (s.getAttribute('aria-label') || '').length > 0 };
    });
    const links = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
    return { imgs, figures, maths, links };
  });
  for (const img of facts.imgs) if (!img.ok) problems.push(`image not decoded: ${img.src}`);
  for (const f of facts.figures) if (!f.ok) problems.push(`inline figure ${f.i + 1} not drawn or without alt text`);
  for (const m of facts.maths) if (!m.ok) problems.push(`formula ${m.i} has no box: ${m.text}`);
  for (const href of facts.links) {
    if (/^(https?:|mailto:|javascript:)/.test(href)) continue;
    const [target, anchor] = href.split('#');
    const targetFile = target ? fileURLToPath(new URL(target, pathToFileURL(file))) : file;
    if (!fs.existsSync(targetFile)) { problems.push(`broken link: ${href}`); continue; }
    if (anchor && targetFile.endsWith('.html') && !idsOf(targetFile).has(decodeURIComponent(anchor))) {
      problems.push(`missing anchor: ${href}`);
    }
  }
  await page.screenshot({ path: path.join(shotsDir, name.replace(/\.html$/, '.png')), fullPage: true });
  await context.close();
  if (name !== 'toc.html') {
    for (const width of [390, 1280]) {
      for (const theme of ['light', 'navy']) problems.push(...await readerChecks(file, name, width, theme));
    }
  }
  const summary = `${facts.figures.length} figures, ${facts.imgs.length} images, ${facts.maths.length} formulas, ${facts.links.length} links`;
  if (problems.length === 0) {
    passed += 1;
    console.log(`ok   ${name} (${summary})`);
  } else {
    failed += 1;
    console.log(`FAIL ${name} (${summary})`);
    for (const p of [...new Set(problems)]) console.log(`     ${p}`);
  }
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
