// The chapter notebooks as a reader sees them in JupyterLab with no Rust kernel installed: each
// notebook opens (untrusted, as a downloaded notebook is), and every figure and table stored in
// it shows. JupyterLab draws no image/svg+xml output of an untrusted notebook, so each figure
// must show through its HTML <img>, decoded. A screenshot of each notebook goes to SHOTS.
// Ends with "N passed, N failed".
//
// usage: node notebooks.mjs LAB_URL CHAPTERS_DIR SHOTS_DIR   (JupyterLab serving CHAPTERS_DIR)
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const [lab, chaptersDir, shotsDir] = process.argv.slice(2);
fs.mkdirSync(shotsDir, { recursive: true });
const notebooks = fs.readdirSync(chaptersDir).filter((f) => f.endsWith('.ipynb')).sort();
const text = (v) => (Array.isArray(v) ? v.join('') : v);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let passed = 0;
let failed = 0;
for (const name of notebooks) {
  const nb = JSON.parse(fs.readFileSync(path.join(chaptersDir, name), 'utf8'));
  const outputs = nb.cells.flatMap((c) => c.outputs || []);
  const figures = outputs.filter((o) => o.data && 'image/svg+xml' in o.data).length;
  const tables = outputs.filter((o) => o.data && !('image/svg+xml' in o.data)
    && 'text/html' in o.data && text(o.data['text/html']).includes('<table')).length;
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems = [];
  // A workspace of its own, reset, so that no other notebook is restored beside it.
  await page.goto(`${lab}/lab/workspaces/check-${path.basename(name, '.ipynb')}/tree/${name}?reset`);
  await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: 120000 });
  await page.waitForTimeout(5000);
  if (await page.$('.jp-Dialog')) await page.keyboard.press('Escape'); // "Select kernel"
  // Images decode lazily; wait until every figure has been decoded, or give up after 30 s.
  const shown = await page.waitForFunction((want) => {
    const imgs = [...document.querySelectorAll('.jp-OutputArea-output img')];
    const ok = imgs.filter((i) => i.complete && i.naturalWidth > 0).length;
    return ok >= want ? { imgs: ok, tables: document.querySelectorAll('.jp-OutputArea-output table').length } : false;
  }, figures, { timeout: 30000 }).then((h) => h.jsonValue()).catch(() => null);
  if (!shown) {
    problems.push(`fewer than ${figures} figures decoded`);
  } else if (shown.tables < tables) {
    problems.push(`${shown.tables} of ${tables} tables shown`);
  }
  await page.screenshot({ path: path.join(shotsDir, `${path.basename(name, '.ipynb')}.png`) });
  await page.close();
  const status = problems.length ? 'FAIL' : 'ok  ';
  console.log(`${status} ${name}: ${figures} figures, ${tables} tables stored`);
  for (const p of problems) console.log(`     ${p}`);
  if (problems.length) failed += 1; else passed += 1;
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
