import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { quantizePng } from './screenshot-png.js';

/** Where Debian's chromium package puts the browser (tools/ensure-chromium.sh installs it). */
export const defaultChromiumPath = '/usr/bin/chromium';

/** Flags for a quiet, offline, sandbox-less headless Chromium (CI containers run as root). */
export const headlessChromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Options of {@link checkHtmlReport}. */
export interface HtmlReportCheckOptions {
  /** Save a full-page PNG here. */
  screenshotPath?: string;
  /** Chromium binary (default {@link defaultChromiumPath}). */
  executablePath?: string;
  /** Viewport width, CSS pixels (default 1280). */
  viewportWidth?: number;
  /** How long to wait for the page to say its charts are drawn (default 15 s). */
  timeoutMs?: number;
  /** Save the screenshot as an indexed PNG of at most this many colours (a third of the size; for docs). */
  paletteColours?: number;
  /** Open the report on this run (an execution id; the page's `#run=` link) instead of the first. */
  runId?: string;
}

/** What the browser saw on one `<canvas>`. */
export interface CanvasCheck {
  id: string;
  width: number;
  height: number;
  /** Pixels with any paint (alpha > 0). */
  paintedPixels: number;
  /** Painted pixels that are neither white nor the near-white grid and background tones. */
  inkPixels: number;
  /** Data points of the Chart.js chart on the canvas (0 when there is none). */
  dataPoints: number;
}

/** The outcome of opening a report in headless Chromium. */
export interface HtmlReportCheck {
  /** The page set its ready flag (all charts created) before the timeout. */
  ready: boolean;
  consoleErrors: string[];
  pageErrors: string[];
  /** Requests for anything but file:, data: and blob: URLs (a self-contained page makes none). */
  externalRequests: string[];
  canvases: CanvasCheck[];
  /** Rows in the body of the summary table. */
  tableRows: number;
  /** Index in `result.runs` of the run the page shows (null when it has no run selector). */
  selectedRunIndex: number | null;
  /** Where the screenshot was saved, when asked for. */
  screenshotPath?: string;
}

/**
 * Opens an HTML report (a file path) in headless Chromium with playwright-core, waits for its
 * charts, and reports console and page errors, network requests, how much every canvas has
 * drawn and how many table rows there are; optionally saves a full-page screenshot.
 */
export async function checkHtmlReport(htmlPath: string, options: HtmlReportCheckOptions = {}): Promise<HtmlReportCheck> {
  // Loaded on demand: playwright-core is a dev dependency, only needed for this check.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: options.executablePath ?? defaultChromiumPath, args: headlessChromiumArgs });
  try {
    const page = await browser.newPage({ viewport: { width: options.viewportWidth ?? 1280, height: 900 }, deviceScaleFactor: 1 });
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    const externalRequests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => {
      if (!/^(file|data|blob):/.test(request.url())) externalRequests.push(request.url());
    });
    const hash = options.runId === undefined ? '' : `#run=${encodeURIComponent(options.runId)}`;
    await page.goto(pathToFileURL(htmlPath).href + hash, { waitUntil: 'load' });
    const timeout = options.timeoutMs ?? 15_000;
    const ready = await page
      .waitForFunction('window.__trancheReportReady === true || window.__trancheReportFailed === true', undefined, { timeout })
      .then(() => page.evaluate<boolean>('window.__trancheReportReady === true'))
      .catch(() => false);
    const canvases = await page.evaluate<CanvasCheck[]>(inspectCanvasesScript);
    const tableRows = await page.locator('#backtest-table tbody tr').count();
    const selector = page.locator('#run-select');
    const selectedRunIndex = (await selector.count()) === 0 ? null : Number(await selector.inputValue());
    if (options.screenshotPath) {
      const png = await page.screenshot({ fullPage: true });
      await writeFile(options.screenshotPath, options.paletteColours === undefined ? png : quantizePng(png, options.paletteColours));
    }
    return { ready, consoleErrors, pageErrors, externalRequests, canvases, tableRows, selectedRunIndex, screenshotPath: options.screenshotPath };
  } finally {
    await browser.close();
  }
}

/** Runs in the page (a string, since this package compiles without the DOM types). */
const inspectCanvasesScript = `(() => Array.from(document.querySelectorAll('canvas')).map((canvas) => {
  const context = canvas.getContext('2d');
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let paintedPixels = 0, inkPixels = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] === 0) continue;
    paintedPixels++;
    if (pixels[i + 3] > 96 && Math.min(pixels[i], pixels[i + 1], pixels[i + 2]) < 200) inkPixels++;
  }
  const chart = window.Chart && window.Chart.getChart(canvas);
  const dataPoints = chart ? chart.data.datasets.reduce((sum, dataset) => sum + dataset.data.length, 0) : 0;
  return { id: canvas.id, width: canvas.width, height: canvas.height, paintedPixels, inkPixels, dataPoints };
}))()`;
