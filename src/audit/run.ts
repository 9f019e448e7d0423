// `npm run audit`: Lighthouse (pinned 12.2.x, Node ≥ 20) over every view of the built app.
// Serves dist/ with Vite's preview server, starts headless /usr/bin/chromium with a fresh
// profile and a DevTools port, audits each view's URL (#/train, #/selftest, …) for
// performance, accessibility, best practices and SEO. The score moves between runs of the same
// page, so each view is audited `--runs=N` times (default 3, each a fresh profile, the views
// taken in turn so that a slow spell of the machine falls on all of them alike); the table
// gives per view the median score with its range and the median total blocking time.
// audit-results/lighthouse.json keeps every run and the summary. Exits non-zero when a view's
// median misses the bar (performance ≥ 90, accessibility 100, best practices 100).
// `--desktop` uses Lighthouse's desktop settings instead of its default (a throttled mid-range
// phone); `--views=train,runs` audits only those views; `--dist=DIR` audits the build in DIR
// instead of dist/ (an older commit's, for a side-by-side comparison); `--long-tasks` lists
// each run's long main-thread tasks and where the time went, and keeps each run's trace in
// audit-results/traces/.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import lighthouse, { desktopConfig } from 'lighthouse';
import { preview } from 'vite';
import { VIEWS } from '../ui/state/nav.svelte';
import { formatSpread, summarize, type AuditRun } from './summary';

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
function printLongTasks(label: string, details: unknown): void {
  const items = (details as { items?: { url: string; duration: number; startTime: number }[] })
    ?.items;
  for (const t of items ?? []) {
    const at = `${Math.round(t.startTime)} ms`.padStart(8);
    console.log(`  ${label} long task at ${at}: ${Math.round(t.duration)} ms  ${t.url}`);
  }
}

/** `--runs=N`: how many times each view is audited. */
function runCount(): number {
  const arg = process.argv.find((a) => a.startsWith('--runs='));
  if (!arg) return 3;
  const n = Number(arg.slice('--runs='.length));
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--runs wants a whole number ≥ 1, got '${arg}'`);
  return n;
}

interface RunRecord extends AuditRun {
  run: number;
  metrics: Record<string, string>;
}

/** One Lighthouse audit of one view in a fresh Chromium profile. */
async function auditOnce(
  url: string,
  port: number,
  desktop: boolean,
): Promise<NonNullable<Awaited<ReturnType<typeof lighthouse>>>> {
  // A fresh profile per audit: each is somebody's first visit.
  const profile = mkdtempSync(join(tmpdir(), 'tracelab-audit-'));
  const chrome = await startChromium(port, profile);
  try {
    const result = await lighthouse(
      url,
      { port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] },
      desktop ? desktopConfig : undefined,
    );
    if (!result) throw new Error(`no Lighthouse result for ${url}`);
    return result;
  } finally {
    // The profile goes once Chromium has exited (it writes to it until then).
    await new Promise((ok) => {
      chrome.once('exit', ok);
      chrome.kill();
    });
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Where the main thread's time went (by kind of work, then by script), over 50 ms each. */
function printWork(label: string, audits: Record<string, { details?: unknown }>): void {
  type Item = {
    group?: string;
    groupLabel?: string;
    url?: string;
    duration?: number;
    total?: number;
    scripting?: number;
  };
  const items = (id: string) =>
    (audits[id]?.details as { items?: Item[] } | undefined)?.items ?? [];
  const kinds = items('mainthread-work-breakdown')
    .filter((i) => (i.duration ?? 0) >= 50)
    .map((i) => `${i.groupLabel ?? i.group} ${Math.round(i.duration ?? 0)}`);
  console.log(`  ${label} main thread (ms): ${kinds.join(', ')}`);
  for (const i of items('bootup-time').filter((i) => (i.total ?? 0) >= 50))
    console.log(
      `  ${label} script ${i.url}: ${Math.round(i.total ?? 0)} ms (scripting ${Math.round(i.scripting ?? 0)})`,
    );
}

async function main(): Promise<void> {
  const desktop = process.argv.includes('--desktop');
  const longTasks = process.argv.includes('--long-tasks');
  const runs = runCount();
  // `--views=train,runs` audits only those views.
  const only = process.argv.find((a) => a.startsWith('--views='))?.slice('--views='.length);
  const views = VIEWS.filter((v) => v.ready && (!only || only.split(',').includes(v.id)));
  // `--dist=DIR` audits another build (say, an older commit's) instead of dist/.
  const outDir = process.argv.find((a) => a.startsWith('--dist='))?.slice('--dist='.length);
  const server = await preview({
    root: ROOT,
    build: outDir ? { outDir } : undefined,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('vite preview did not report a URL');
  const records: RunRecord[] = [];
  const port = 9300 + Math.floor(Math.random() * 500);
  try {
    for (let run = 1; run <= runs; run++) {
      for (const view of views) {
        const result = await auditOnce(`${base}#/${view.id}`, port, desktop);
        const scores = Object.fromEntries(
          CATEGORIES.map((c) => [c, Math.round((result.lhr.categories[c]?.score ?? 0) * 100)]),
        );
        // What the performance score is made of, as Lighthouse displays it.
        const metrics = Object.fromEntries(
          METRICS.map((m) => [m, result.lhr.audits[m]?.displayValue ?? '–']),
        );
        const tbtMs = result.lhr.audits['total-blocking-time']?.numericValue ?? NaN;
        records.push({ view: view.id, run, scores, tbtMs, metrics });
        const label = `${view.id} #${run}`;
        if (longTasks) {
          printLongTasks(label, result.lhr.audits['long-tasks']?.details);
          printWork(label, result.lhr.audits);
          // The raw trace, for a closer look at what the long tasks did.
          mkdirSync(join(ROOT, 'audit-results', 'traces'), { recursive: true });
          writeFileSync(
            join(ROOT, 'audit-results', 'traces', `${view.id}-${run}.json`),
            JSON.stringify(result.artifacts.Trace),
          );
        }
        console.log(
          `${label}: ${CATEGORIES.map((c) => `${c} ${scores[c]}`).join(', ')} (${METRICS.map((m) => `${m} ${metrics[m]}`).join(', ')})`,
        );
      }
    }
  } finally {
    await server.close();
  }

  const summary = summarize(records);
  const header = `| view | ${CATEGORIES.join(' | ')} | TBT (ms) |\n|---|${CATEGORIES.map(() => '---:').join('|')}|---:|`;
  const table = summary.map(
    (s) =>
      `| ${s.view} | ${CATEGORIES.map((c) => formatSpread(s.scores[c])).join(' | ')} | ${formatSpread(s.tbtMs)} |`,
  );
  const setting = desktop ? 'desktop' : 'mobile, default throttling';
  console.log(`\nLighthouse 12.2 (${setting}), median (min–max) of ${runs} run(s) per view\n`);
  console.log([header, ...table].join('\n'));
  mkdirSync(join(ROOT, 'audit-results'), { recursive: true });
  writeFileSync(
    join(ROOT, 'audit-results', 'lighthouse.json'),
    JSON.stringify(
      { date: new Date().toISOString(), dist: outDir ?? 'dist', desktop, runs, summary, records },
      null,
      2,
    ),
  );
  const misses = summary.flatMap((s) =>
    Object.entries(BAR)
      .filter(([c, min]) => s.scores[c].median < min!)
      .map(([c, min]) => `${s.view}: median ${c} ${s.scores[c].median} < ${min}`),
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
