// Screenshots for looking: node shoot.mjs BOOK_DIR OUT_DIR WIDTH THEME page...
import { chromium } from 'playwright-core';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
const [bookDir, outDir, width, theme, ...names] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const name of names) {
  const ctx = await browser.newContext({ viewport: { width: +width, height: 900 } });
  await ctx.addInitScript((t) => { localStorage.setItem('mdbook-theme', t); localStorage.setItem('mdbook-sidebar', 'hidden'); }, theme);
  const page = await ctx.newPage();
  await page.goto(pathToFileURL(path.join(path.resolve(bookDir), name)).href, { waitUntil: 'load' });
  await page.evaluate(async () => { await document.fonts.ready; });
  await page.screenshot({ path: path.join(outDir, `${name.replace('.html', '')}-${width}-${theme}.png`), fullPage: true });
  await ctx.close();
}
await browser.close();
