// `npm run bench` runner (Node, vite-node): serves the built bench page (dist-bench/, built by
// `vite build -c vite.bench.config.ts`) with Vite's preview server on a free port, opens it in
// headless /usr/bin/chromium with WebGPU on and a fresh profile, relays the page's progress,
// then prints the markdown summary and writes bench-results/<date>.json and .md, then the CPU
// rows (src/bench/cpu). `npm run bench -- --gpu` is the GPU mode: it prints the adapter and
// adds WebGPU on it (Node's Dawn) to the stage-1 update rows, with fewer repetitions.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { preview } from 'vite';
import { createNodeBackend } from '../kernels/node';
import { cpuBench } from './cpu/bench';
import { formatMarkdown } from './report';
import type { BenchReport } from './types';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
/** The page gives up long before this; it only guards against a hung browser. */
const TIMEOUT_MS = 15 * 60 * 1000;
const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `--only=ours,tfjs,ort` and `--sizes=128,512` narrow a run; they become the page's query. */
function pageQuery(argv: readonly string[]): string {
  const q = new URLSearchParams();
  for (const arg of argv) {
    const m = /^--(only|sizes)=(.+)$/.exec(arg);
    if (m) q.set(m[1], m[2]);
    else
      throw new Error(
        `unknown argument '${arg}' (use --gpu --stage1-shapes=quick-demo,small --only=ours,tfjs,ort --sizes=128,256,512,1024)`,
      );
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2).filter((a) => a !== '--');
  // --gpu: the GPU mode (for a machine with a real GPU): the adapter first, then the same
  // tables with WebGPU on that adapter in the stage-1 rows, sized to finish in minutes.
  const gpuMode = argv.includes('--gpu');
  // --stage1-shapes=quick-demo narrows the stage-1 rows (e.g. a dry run on a software adapter).
  const shapesArg = argv.find((a) => a.startsWith('--stage1-shapes='));
  const stage1Shapes = shapesArg ? shapesArg.split('=')[1].split(',') : ['quick-demo', 'small'];
  const query = pageQuery(argv.filter((a) => a !== '--gpu' && a !== shapesArg));
  const gpu = gpuMode ? await createNodeBackend() : undefined;
  if (gpu) console.log(`GPU mode: adapter ${gpu.description}`);
  if (!existsSync(join(ROOT, 'dist-bench', 'index.html'))) {
    throw new Error('dist-bench/ is missing: run `vite build -c vite.bench.config.ts` first');
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium`);

  const server = await preview({
    configFile: join(ROOT, 'vite.bench.config.ts'),
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');

  const profile = mkdtempSync(join(tmpdir(), 'tracelab-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning')
        console.error(`[page ${m.type()}] ${m.text()}`);
    });
    const report = new Promise<BenchReport>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bench timed out')), TIMEOUT_MS);
      void page.exposeFunction('tracelabBenchLog', (line: string) => console.log(`  ${line}`));
      void page.exposeFunction('tracelabBenchDone', (json: string) => {
        clearTimeout(timer);
        resolve(JSON.parse(json) as BenchReport);
      });
      void page.exposeFunction('tracelabBenchFailed', (message: string) => {
        clearTimeout(timer);
        reject(new Error(`bench page failed: ${message}`));
      });
      page.once('crash', () => reject(new Error('the bench page crashed')));
    });
    console.log(`bench: ${url}${query} in ${CHROMIUM} (headless, WebGPU on)`);
    await page.goto(url + query);
    const result = await report;

    const md = formatMarkdown(result);
    console.log('\n' + md);
    const dir = join(ROOT, 'bench-results');
    mkdirSync(dir, { recursive: true });
    const stamp = result.startedAt.replace(/[:.]/g, '-');
    writeFileSync(join(dir, `${stamp}.json`), JSON.stringify(result, null, 2) + '\n');
    writeFileSync(join(dir, `${stamp}.md`), md);
    console.log(`wrote bench-results/${stamp}.json and .md`);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    await server.close();
  }
  // The CPU rows (our wasm backend vs TF.js and onnxruntime-web wasm), in this process.
  const sizes = new URLSearchParams(query).get('sizes');
  const cpu = await cpuBench({
    sizes: sizes ? sizes.split(',').map(Number) : gpu ? [512] : [256, 512, 1024],
    reps: gpu ? 3 : 7,
    step: true,
    stage1: true,
    stage1Blocks: gpu ? 2 : 3,
    stage1Updates: gpu ? 2 : 3,
    stage1Shapes,
    gpu,
  });
  gpu?.destroy();
  console.log('\n' + cpu);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
