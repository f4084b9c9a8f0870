// Page heights at 1280 px with every <details> closed: node measure.mjs BOOK_DIR page...
import { chromium } from 'playwright-core';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
const [bookDir, ...names] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const name of names) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(pathToFileURL(path.join(path.resolve(bookDir), name)).href, { waitUntil: 'load' });
  await page.evaluate(async () => { await document.fonts.ready; });
  const h = await page.evaluate(() => document.querySelector('main').getBoundingClientRect().height);
  console.log(`${name}\t${Math.round(h)}`);
  await page.close();
}
await browser.close();
