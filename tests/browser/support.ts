// Serves the built site (docs/.vitepress/dist) and drives Debian's Chromium through playwright-core.
// Browser tests import `openSite()`; nothing here is downloaded at run time.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const distDir = fileURLToPath(new URL('../../docs/.vitepress/dist', import.meta.url));
export const screenshotDir = fileURLToPath(new URL('../../.course/screenshots', import.meta.url));
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain',
};

function resolveFile(urlPath: string): string | undefined {
  const clean = normalize(decodeURIComponent(urlPath.split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '');
  const base = join(distDir, clean);
  for (const candidate of [base, `${base}.html`, join(base, 'index.html')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

export interface Site {
  url: string;
  browser: Browser;
  /** A fresh page that records console errors, failed requests and HTTP errors into `problems`. */
  page(): Promise<Page>;
  /** Console errors, page errors, failed requests and HTTP errors seen so far, on every page. */
  problems: string[];
  close(): Promise<void>;
}

export async function openSite(): Promise<Site> {
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new Error(`No built site in ${distDir}: run \`npm run docs:build\` first.`);
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}: install Debian's (\`apt-get install -y chromium\`) or set CHROMIUM_PATH.`,
    );
  }
  const server: Server = createServer((req, res) => {
    const file = resolveFile(req.url ?? '/');
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/html' }).end(readFileSync(join(distDir, '404.html')));
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // Playwright gives the browser a fresh temporary profile itself (it refuses --user-data-dir).
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const problems: string[] = [];
  return {
    url: `http://127.0.0.1:${port}`,
    browser,
    problems,
    async page() {
      const page = await browser.newPage();
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`console error on ${page.url()}: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
      page.on('requestfailed', (r) => {
        // Leaving a page cancels its pending prefetches (net::ERR_ABORTED): nothing is broken.
        if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
        problems.push(`request failed on ${page.url()}: ${r.url()} (${r.failure()?.errorText ?? 'unknown'})`);
      });
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`HTTP ${r.status()} on ${page.url()}: ${r.url()}`);
      });
      return page;
    },
    async close() {
      await browser.close();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** Opens the built site once for a test file and closes it after; returns a getter for it. */
export function useSite(): () => Site {
  let site: Site | undefined;
  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    site = await openSite();
  });
  afterAll(async () => {
    await site?.close();
  });
  return () => {
    if (!site) throw new Error('the site is not open yet');
    return site;
  };
}

/** A page at a desktop size (1280 × 900). */
export async function desktopPage(site: Site): Promise<Page> {
  const page = await site.page();
  await page.setViewportSize({ width: 1280, height: 900 });
  return page;
}

/** Resolves once Vue has hydrated the page, so clicks reach their handlers. */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    Boolean((document.querySelector('#app') as { __vue_app__?: unknown } | null)?.__vue_app__),
  );
}

/** The playground, once its own code has loaded and taken over the server-rendered markup. */
export async function livePlayground(page: Page) {
  await hydrated(page);
  await page.locator('[data-testid="cache-aside-playground"][data-live="true"]').waitFor();
  return page.getByTestId('cache-aside-playground');
}

/** Where a screenshot of that name goes. */
export function shot(name: string): string {
  return join(screenshotDir, `${name}.png`);
}
