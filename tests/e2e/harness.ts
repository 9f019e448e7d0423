// End-to-end harness: serves the built app (dist/) with `vite preview` on a free port and
// drives it in the system Chromium through playwright-core, with a fresh profile each time.
// It records console errors and page errors, saves screenshots to test-artifacts/, and
// tears everything down. `npm run test:e2e` builds dist/ before running the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';

// No network on CI machines: keep Chromium from phoning home, and run as root.
const BASE_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const WEBGPU_ON = ['--enable-unsafe-webgpu'];
const WEBGPU_OFF = ['--disable-features=WebGPU'];

export interface PreviewServer {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

/** Start `vite preview` on dist/ and resolve once it prints its URL. */
export async function startPreview(): Promise<PreviewServer> {
  if (!existsSync(join(ROOT, 'dist', 'index.html'))) {
    throw new Error('dist/ is missing: run `npm run test:e2e` (it builds first) or `vite build`.');
  }
  const port = await freePort();
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const child = spawn(
    process.execPath,
    [vite, 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let log = '';
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`vite preview did not start:\n${log}`)), 30_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      // Output is a pipe with NO_COLOR set, so there are no colour codes to strip.
      const match = /Local:\s+(http:\/\/\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        ok(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`vite preview exited with ${code}:\n${log}`));
    });
  });
  return { url, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    child.once('exit', () => ok());
    child.kill('SIGTERM');
  });
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors, in order. */
  errors: string[];
  /** Save a full-page screenshot as test-artifacts/<name>.png and return its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface BrowserOptions {
  /** Launch with WebGPU enabled (software adapter on machines without a GPU) or disabled. */
  webgpu: boolean;
  viewport?: { width: number; height: number };
}

/** Launch Chromium with a fresh profile and open one page. */
export async function openBrowser(options: BrowserOptions): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'tracelab-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...BASE_ARGS, ...(options.webgpu ? WEBGPU_ON : WEBGPU_OFF)],
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  // Errors logged inside workers (the self-test runs in one) may not reach the page's console.
  page.on('worker', (worker) => {
    worker.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`worker console: ${msg.text()}`);
    });
  });
  return {
    context,
    page,
    errors,
    async screenshot(name) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface SelfTestRow {
  op: string;
  name: string;
  passed: boolean;
  detail: string;
}

/** Wait for the in-page self-test to finish; return its summary attributes and rows. */
export async function waitForSelfTest(page: Page, timeoutMs: number) {
  const summary = page.getByTestId('selftest-summary');
  await summary.waitFor();
  await page.waitForFunction(
    () => {
      const s = document
        .querySelector('[data-testid="selftest-summary"]')
        ?.getAttribute('data-status');
      return s === 'passed' || s === 'failed';
    },
    undefined,
    { timeout: timeoutMs },
  );
  const rows: SelfTestRow[] = await page.getByTestId('selftest-row').evaluateAll((els) =>
    els.map((el) => ({
      op: el.getAttribute('data-op') ?? '',
      name: el.getAttribute('data-name') ?? '',
      passed: el.getAttribute('data-passed') === 'true',
      detail: [...el.querySelectorAll('td')]
        .map((td) => td.textContent?.replace(/\s+/g, ' ').trim())
        .join(' | '),
    })),
  );
  return {
    status: await summary.getAttribute('data-status'),
    backend: await summary.getAttribute('data-backend'),
    passed: Number(await summary.getAttribute('data-passed')),
    total: Number(await summary.getAttribute('data-total')),
    headline: (await summary.locator('h2').textContent())?.trim() ?? '',
    rows,
  };
}

// ---------------------------------------------------------------------------------------------
// A training run on the Train page, through the data-testid hooks the page exposes.

/** A 'ci-tiny' run of stage 0 on the software GPU, long enough to pause, resume and reload
 * in; a test appends its own settings (`&run.checkpointEvery=0`, …). */
export const TINY_GPU_RUN = '#/train?preset=ci-tiny&run.backend=webgpu&run.sftUpdates=200';

/** Open the Train page at `url` and wait until it is drawn. */
export async function openTrainPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('heading', { name: 'Train', level: 1 }).waitFor({ timeout: 30_000 });
}

/** Open the Train page at `url` with stage 0 chosen as the start, ready for `start`. */
export async function setUpStage0Run(page: Page, url: string): Promise<void> {
  await openTrainPage(page, url);
  await page.getByLabel('Start at').selectOption('0');
}

/** Updates the live run's charts hold. */
export async function points(page: Page): Promise<number> {
  return Number(await page.getByTestId('live-run').getAttribute('data-points'));
}

/** Wait until the live run holds at least `atLeast` updates; return how many it holds. */
export async function waitForPoints(
  page: Page,
  atLeast: number,
  timeout = 120_000,
): Promise<number> {
  await page.waitForFunction(
    (n) =>
      Number(document.querySelector('[data-testid="live-run"]')?.getAttribute('data-points')) >= n,
    atLeast,
    { timeout },
  );
  return points(page);
}

/** Wait until the run's status is `state` (running, paused, stopped, device-lost, …). */
export async function waitForState(page: Page, state: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    (s) => document.querySelector('[data-testid="run-status"]')?.getAttribute('data-state') === s,
    state,
    { timeout },
  );
}
