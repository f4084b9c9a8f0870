// The built book in a real browser: every page loads from disk without console errors, every
// image is decoded, every MathML formula is laid out, every internal link and #anchor resolves.
// A full-page screenshot of each page goes to SHOTS. Ends with "N passed, N failed".
//
// usage: node check.mjs BOOK_DIR SHOTS_DIR
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const [bookDir, shotsDir] = process.argv.slice(2).map((p) => path.resolve(p));
if (!bookDir || !shotsDir || !fs.existsSync(path.join(bookDir, 'index.html'))) {
  console.error('usage: node check.mjs BOOK_DIR SHOTS_DIR (BOOK_DIR must hold index.html)');
  process.exit(2);
}
fs.mkdirSync(shotsDir, { recursive: true });

// 404.html is written for web servers (it sets <base href="/">) and is never opened from disk.
const pages = fs.readdirSync(bookDir).filter((f) => f.endsWith('.html') && f !== '404.html').sort();
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
let passed = 0;
let failed = 0;
for (const name of pages) {
  const file = path.join(bookDir, name);
  const problems = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`); });
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
    const links = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
    return { imgs, maths, links };
  });
  for (const img of facts.imgs) if (!img.ok) problems.push(`image not decoded: ${img.src}`);
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
  const summary = `${facts.imgs.length} images, ${facts.maths.length} formulas, ${facts.links.length} links`;
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
