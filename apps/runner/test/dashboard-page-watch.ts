import type { Browser, Page } from 'playwright-core';
import { defaultChromiumPath, headlessChromiumArgs } from '../src/backtest/screenshot.js';

/** What a watched dashboard page reported while a test drove it. */
export interface PageProblems {
  /** Console errors and uncaught page errors. */
  readonly consoleErrors: string[];
  /** Requests that failed or answered 400 or more. */
  readonly failedRequests: string[];
  /** Requests to anything but the dashboard (data: and blob: URLs excepted). */
  readonly foreignRequests: string[];
}

/** Launches Debian's headless Chromium on a 1360-wide page that records every console error, failed and foreign request. */
export async function openWatchedPage(url: string): Promise<{ browser: Browser; page: Page; problems: PageProblems }> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: defaultChromiumPath, args: headlessChromiumArgs });
  const page = await browser.newPage({ viewport: { width: 1360, height: 1000 }, deviceScaleFactor: 1 });
  const problems: PageProblems = { consoleErrors: [], failedRequests: [], foreignRequests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.consoleErrors.push(error.message));
  page.on('requestfailed', (request) => problems.failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? ''}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.failedRequests.push(`${response.url()}: HTTP ${response.status()}`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(url) && !/^(data|blob):/.test(request.url())) problems.foreignRequests.push(request.url());
  });
  return { browser, page, problems };
}
