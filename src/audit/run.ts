// `npm run audit`: Lighthouse (pinned 12.2.x, Node ≥ 20) over every view of the built app.
// Serves dist/ with Vite's preview server, starts headless /usr/bin/chromium with a fresh
// profile and a DevTools port, audits each view's URL (#/train, #/selftest, …) for
// performance, accessibility, best practices and SEO, prints a table, writes
// audit-results/lighthouse.json, and exits non-zero when a view misses the bar
// (performance ≥ 90, accessibility 100, best practices 100). `--desktop` uses Lighthouse's
// desktop settings instead of its default (a throttled mid-range phone); `--views=train,runs`
// audits only those views; `--long-tasks` lists each view's long main-thread tasks.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import lighthouse, { desktopConfig } from 'lighthouse';
import { preview } from 'vite';
import { VIEWS } from '../ui/state/nav.svelte';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const METRICS = [
  'first-contentful-paint',
  'largest-contentful-paint',
  'total-blocking-time',
  'cumulative-layout-shift',
  'speed-index',
] as const;
const BAR: Partial<Record<(typeof CATEGORIES)[number], number>> = {
  performance: 90,
  accessibility: 100,
  'best-practices': 100,
};

async function startChromium(port: number, profile: string) {
  const child = spawn(
    CHROMIUM,
    [
      '--headless=new',
      `--remote-debugging-port=${port}`,
      `--user-data-dir=${profile}`,
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-unsafe-webgpu',
      'about:blank',
    ],
    { stdio: 'ignore' },
  );
  // Wait until the DevTools endpoint answers.
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/json/version`);
      return child;
    } catch {
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
  child.kill();
  throw new Error(`chromium did not open its DevTools port ${port}`);
}

/**
 * The main-thread tasks behind total blocking time, as Lighthouse lists them (durations as
 * simulated on the throttled phone, start times from navigation), with the script each is
 * attributed to.
 */
function printLongTasks(view: string, details: unknown): void {
  const items = (details as { items?: { url: string; duration: number; startTime: number }[] })
    ?.items;
  for (const t of items ?? []) {
    const at = `${Math.round(t.startTime)} ms`.padStart(8);
    console.log(`  ${view} long task at ${at}: ${Math.round(t.duration)} ms  ${t.url}`);
  }
}

async function main(): Promise<void> {
  const desktop = process.argv.includes('--desktop');
  const longTasks = process.argv.includes('--long-tasks');
  // `--views=train,runs` audits only those views.
  const only = process.argv.find((a) => a.startsWith('--views='))?.slice('--views='.length);
  const views = VIEWS.filter((v) => v.ready && (!only || only.split(',').includes(v.id)));
  const server = await preview({
    root: ROOT,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('vite preview did not report a URL');
  const rows: { view: string; scores: Record<string, number>; metrics: Record<string, string> }[] =
    [];
  const port = 9300 + Math.floor(Math.random() * 500);
  try {
    for (const view of views) {
      // A fresh profile per view: each audit is somebody's first visit.
      const profile = mkdtempSync(join(tmpdir(), 'tracelab-audit-'));
      const chrome = await startChromium(port, profile);
      try {
        const result = await lighthouse(
          `${base}#/${view.id}`,
          { port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] },
          desktop ? desktopConfig : undefined,
        );
        if (!result) throw new Error(`no Lighthouse result for ${view.id}`);
        const scores = Object.fromEntries(
          CATEGORIES.map((c) => [c, Math.round((result.lhr.categories[c]?.score ?? 0) * 100)]),
        );
        // What the performance score is made of, as Lighthouse displays it.
        const metrics = Object.fromEntries(
          METRICS.map((m) => [m, result.lhr.audits[m]?.displayValue ?? '–']),
        );
        rows.push({ view: view.id, scores, metrics });
        if (longTasks) printLongTasks(view.id, result.lhr.audits['long-tasks']?.details);
        console.log(
          `${view.id}: ${CATEGORIES.map((c) => `${c} ${scores[c]}`).join(', ')} (${METRICS.map((m) => `${m} ${metrics[m]}`).join(', ')})`,
        );
      } finally {
        // The profile goes once Chromium has exited (it writes to it until then).
        await new Promise((ok) => {
          chrome.once('exit', ok);
          chrome.kill();
        });
        rmSync(profile, { recursive: true, force: true });
      }
    }
  } finally {
    await server.close();
  }

  const header = `| view | ${CATEGORIES.join(' | ')} |\n|---|${CATEGORIES.map(() => '---:').join('|')}|`;
  const table = rows.map(
    (r) => `| ${r.view} | ${CATEGORIES.map((c) => r.scores[c]).join(' | ')} |`,
  );
  console.log(`\nLighthouse 12.2 (${desktop ? 'desktop' : 'mobile, default throttling'})\n`);
  console.log([header, ...table].join('\n'));
  mkdirSync(join(ROOT, 'audit-results'), { recursive: true });
  writeFileSync(
    join(ROOT, 'audit-results', 'lighthouse.json'),
    JSON.stringify({ date: new Date().toISOString(), desktop, rows }, null, 2),
  );
  const misses = rows.flatMap((r) =>
    Object.entries(BAR)
      .filter(([c, min]) => r.scores[c] < min!)
      .map(([c, min]) => `${r.view}: ${c} ${r.scores[c]} < ${min}`),
  );
  if (misses.length > 0) {
    console.error(`\nBelow the bar:\n  ${misses.join('\n  ')}`);
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
