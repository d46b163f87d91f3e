// check_html.mjs - a hotline report in a real browser: Debian's chromium,
// headless, driven by playwright-core.  Fails on any console error or page
// error, on a request that leaves the file (the report must need no
// network), on a chart that does not render, and when the page is wider
// than a phone's screen; saves screenshots (desktop and phone).
//
//   node tests/browser/check_html.mjs report.html charts screenshot-prefix
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [file, wantCharts, shot] = process.argv.slice(2);
const problems = [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync'],
});
try {
  for (const [name, viewport] of [['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }]]) {
    const page = await browser.newPage({ viewport });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${name}: console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${name}: page error: ${e}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:'))
        problems.push(`${name}: network request to ${r.url()}`);
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const imgs = await page.$$eval('img', (els) => els.map((e) => ({
      ok: e.complete && e.naturalWidth > 0 && e.naturalHeight > 0,
      alt: e.alt, shown: e.getBoundingClientRect().width,
    })));
    if (imgs.length !== Number(wantCharts))
      problems.push(`${name}: ${imgs.length} charts, expected ${wantCharts}`);
    for (const i of imgs) {
      if (!i.ok) problems.push(`${name}: chart "${i.alt}" does not render`);
      if (i.shown > viewport.width)
        problems.push(`${name}: chart "${i.alt}" is wider than the screen`);
    }
    const scripts = await page.$$eval('script', (els) => els.length);
    if (scripts) problems.push(`${name}: ${scripts} script elements`);
    const width = await page.evaluate(() => document.body.scrollWidth);
    if (width > viewport.width + 1)
      problems.push(`${name}: page is ${width}px wide on a ${viewport.width}px screen`);
    await page.screenshot({ path: `${shot}-${name}.png`, fullPage: false });
    await page.close();
  }
} finally {
  await browser.close();
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`check_html: ${file}: ${wantCharts} charts rendered, no console errors, no network`);
