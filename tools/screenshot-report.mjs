// Opens a backtest HTML report in headless Chromium, checks it (no console or page errors,
// no network requests, every canvas drawn, table rows present) and saves a full-page PNG.
//
//   node tools/screenshot-report.mjs <report.html | result.json> [screenshot.png] [--run <execution id>] [--palette]
//
// --run opens the report on that run (the page's #run= link); --palette saves an indexed PNG
// of 256 colours, about a third of the size (docs/images/backtest-report.png is made that way).
//
// Given a BacktestResult as JSON (`tranche backtest --json`), it renders the report first,
// next to the JSON (same name, .html). Needs the runner built (npm run build) and Chromium at
// /usr/bin/chromium (tools/ensure-chromium.sh). Exits 1 when a check fails.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const runFlag = args.indexOf('--run');
const runId = runFlag >= 0 ? args.splice(runFlag, 2)[1] : undefined;
const paletteFlag = args.indexOf('--palette');
const paletteColours = paletteFlag >= 0 ? (args.splice(paletteFlag, 1), 256) : undefined;
const [input, output] = args;
if (!input) {
  console.error('usage: node tools/screenshot-report.mjs <report.html | result.json> [screenshot.png] [--run <execution id>] [--palette]');
  process.exit(2);
}
const dist = new URL('../apps/runner/dist/backtest/', import.meta.url);
const { checkHtmlReport } = await import(new URL('screenshot.js', dist).href);

let htmlPath = resolve(input);
if (input.endsWith('.json')) {
  const { renderBacktestHtml } = await import(new URL('html-report.js', dist).href);
  htmlPath = htmlPath.replace(/\.json$/, '.html');
  writeFileSync(htmlPath, renderBacktestHtml(JSON.parse(readFileSync(input, 'utf8'))));
  console.error(`rendered ${htmlPath}`);
}
const screenshotPath = resolve(output ?? htmlPath.replace(/\.html?$/, '') + '.png');
const check = await checkHtmlReport(htmlPath, { screenshotPath, runId, paletteColours });

const problems = [
  ...(check.ready ? [] : ['the page never said its charts were ready']),
  ...check.consoleErrors.map((text) => `console error: ${text}`),
  ...check.pageErrors.map((text) => `page error: ${text}`),
  ...check.externalRequests.map((url) => `network request: ${url}`),
  ...check.canvases.filter((canvas) => canvas.inkPixels === 0 || canvas.dataPoints === 0).map((canvas) => `blank canvas: #${canvas.id}`),
  ...(check.tableRows === 0 ? ['the summary table has no rows'] : []),
];
for (const canvas of check.canvases) {
  console.error(`  #${canvas.id}: ${canvas.width}×${canvas.height}, ${canvas.inkPixels} ink pixels, ${canvas.dataPoints} data points`);
}
console.error(`${check.canvases.length} canvases, ${check.tableRows} table rows; screenshot ${screenshotPath}`);
if (problems.length > 0) {
  console.error(problems.map((problem) => `FAIL ${problem}`).join('\n'));
  process.exit(1);
}
