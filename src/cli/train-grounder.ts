// npm run train:grounder — trains the frozen GUI grounder once (seeded), exports it to ONNX,
// measures it with onnxruntime-web on held-out screens, and writes the model and its data card.
//   --episodes N          oracle episodes of the train split (default 700)
//   --held-out-episodes N episodes per held-out split (default 60)
//   --steps N --batch N --seed N --lr-milli N (learning rate × 1000, default 3)
//   --backend cpu|webgpu  training backend (default cpu; WebGPU in Node is SwiftShader here)
//   --out PATH --card PATH
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { CpuBackend } from '../kernels/cpu';
import type { Backend } from '../kernels/backend';
import { Vocab } from '../text/vocab';
import { buildVocab } from '../rl/lang/build-vocab';
import { GROUNDER_CONFIG, grounderDims } from '../grounder/config';
import {
  CATEGORIES,
  categoryCounts,
  iterateGroundingScreens,
  splitTemplates,
  type GroundingCategory,
} from '../grounder/data';
import { encodeGroundingScreen, type GroundingExample } from '../grounder/examples';
import { trainGrounder, type Evaluation } from '../grounder/train';
import { exportGrounderOnnx } from '../grounder/onnx-export';
import { createGrounder, type OrtGrounder } from '../grounder/runner';
import { BackendGrounder } from '../grounder/backend-grounder';
import { cardMarkdown } from '../grounder/card';
import { grounderLayout } from '../grounder/model';
import { choose, parseArgs, UsageError } from './args';
import type { Split } from '../envs/task';

const SPEC = {
  episodes: 'int',
  'held-out-episodes': 'int',
  steps: 'int',
  batch: 'int',
  seed: 'int',
  'lr-milli': 'int',
  backend: 'string',
  out: 'string',
  card: 'string',
} as const;

const ROWS = [12, 20, 32, 50];
const VOCAB_PATH = 'public/models/vocab.json';
const HELD_OUT: readonly Split[] = ['held-out-params', 'held-out-templates', 'held-out-apps'];

async function evaluateOrt(
  g: OrtGrounder,
  data: readonly GroundingExample[],
  misses?: string[],
): Promise<{ ev: Evaluation; confidence: Record<GroundingCategory, number[]> }> {
  const ev = Object.fromEntries(
    [...CATEGORIES, 'all'].map((c) => [c, { n: 0, correct: 0, accuracy: 0 }]),
  ) as Evaluation;
  const confidence = Object.fromEntries(CATEGORIES.map((c) => [c, [] as number[]])) as Record<
    GroundingCategory,
    number[]
  >;
  for (const x of data) {
    const out = await g.run(x.screen, x.desc, x.match);
    const want = x.target >= 0 ? x.target : x.screen.n;
    const ok = out.choice === want;
    confidence[x.category].push(out.probs[out.choice]);
    for (const c of [x.category, 'all'] as const) {
      if (c === 'all' && x.category === 'vague') continue;
      ev[c].n++;
      if (ok) ev[c].correct++;
    }
    if (!ok && misses && x.category !== 'vague') {
      const name = (i: number) => (i >= x.screen.n ? '"not found"' : `[${x.labels[i]}]`);
      misses.push(`${x.category}: "${x.description}" → ${name(out.choice)}, wanted ${name(want)}`);
    }
  }
  for (const c of Object.values(ev)) c.accuracy = c.n ? c.correct / c.n : 0;
  return { ev, confidence };
}

function table(name: string, e: Evaluation): string {
  return `${name.padEnd(20)} ${[...CATEGORIES, 'all' as const]
    .map((c) => `${c} ${(100 * e[c].accuracy).toFixed(1)}% (${e[c].n})`)
    .join('  ')}`;
}

async function main(): Promise<void> {
  const { flags } = parseArgs(process.argv.slice(2), SPEC);
  const num = (k: keyof typeof SPEC, d: number) => (flags[k] as number | undefined) ?? d;
  const seed = num('seed', 1);
  const episodes = num('episodes', 700);
  const heldOutEpisodes = num('held-out-episodes', 60);
  const steps = num('steps', 3000);
  const batch = num('batch', 32);
  const lr = num('lr-milli', 3) / 1000;
  const backendName = choose('backend', (flags.backend as string) ?? 'cpu', ['cpu', 'webgpu']);
  const out = (flags.out as string) ?? 'public/models/grounder.onnx';
  const cardPath = (flags.card as string) ?? 'public/models/grounder.card.md';

  // The planner's frozen vocabulary when present (so both read text alike), else built from
  // the world; either way the model file carries its own copy.
  const vocab = existsSync(VOCAB_PATH)
    ? Vocab.fromJSON(JSON.parse(readFileSync(VOCAB_PATH, 'utf8')))
    : buildVocab();
  const cfg = GROUNDER_CONFIG;
  const d = grounderDims(cfg, vocab.size);
  const t0 = performance.now();
  const secs = () => ((performance.now() - t0) / 1000).toFixed(0);

  const train: GroundingExample[] = [];
  let trainScreens = 0;
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<
    GroundingCategory,
    number
  >;
  for (const s of iterateGroundingScreens({ split: 'train', episodes, seed })) {
    trainScreens++;
    for (const [c, n] of Object.entries(categoryCounts([s]))) counts[c as GroundingCategory] += n;
    train.push(...encodeGroundingScreen(vocab, cfg, d, s));
  }
  console.log(`train data: ${trainScreens} screens, ${train.length} examples (${secs()} s)`);
  const heldOut = new Map<Split, GroundingExample[]>();
  for (const split of HELD_OUT) {
    const xs: GroundingExample[] = [];
    for (const s of iterateGroundingScreens({
      split,
      episodes: heldOutEpisodes,
      seed: seed + 100,
      vague: true,
    }))
      xs.push(...encodeGroundingScreen(vocab, cfg, d, s));
    heldOut.set(split, xs);
    console.log(`${split}: ${xs.length} examples (${secs()} s)`);
  }

  let be: Backend;
  if (backendName === 'webgpu') {
    const { createNodeBackend } = await import('../kernels/node');
    be = await createNodeBackend();
  } else be = new CpuBackend();
  const { weights } = await trainGrounder(
    be,
    vocab,
    d,
    train,
    { steps, batch, rows: ROWS, lr, seed },
    (p) => {
      if (p.step % 250 === 0 || p.step === steps)
        console.log(`step ${p.step}/${steps} loss ${p.loss.toFixed(3)} (${secs()} s)`);
    },
  );
  const params = grounderLayout(d).entries.reduce((a, e) => a + e.size, 0);

  // Export, then measure the exported file itself in onnxruntime-web (wasm).
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  let bytes = exportGrounderOnnx(vocab, cfg, d, weights, { trainedSeed: String(seed) });
  const g = await createGrounder({ backend: 'ort-wasm', model: bytes, ort });
  const ours = new BackendGrounder(new CpuBackend(), bytes);
  let maxDiff = 0;
  for (const x of heldOut.get('held-out-templates')!.slice(0, 20)) {
    const [a, b] = [await g.run(x.screen, x.desc, x.match), await ours.forward(x)];
    for (let i = 0; i < a.probs.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(a.probs[i] - b.probs[i]));
  }
  console.log(
    `parity: max |Δprob| between onnxruntime-web and our forward ${maxDiff.toExponential(2)}`,
  );

  const trainEval = (await evaluateOrt(g, train.slice(0, 2000))).ev;
  console.log(table('train', trainEval));
  const heldOutEval: Record<string, Evaluation> = {};
  const misses: string[] = [];
  let vagueConf: number[] = [];
  let specificConf: number[] = [];
  const tStart = performance.now();
  let runs = 0;
  for (const [split, xs] of heldOut) {
    const r = await evaluateOrt(g, xs, misses);
    runs += xs.length;
    heldOutEval[split] = r.ev;
    vagueConf = vagueConf.concat(r.confidence.vague);
    for (const c of CATEGORIES)
      if (c !== 'vague' && c !== 'offscreen') specificConf = specificConf.concat(r.confidence[c]);
    console.log(table(split, r.ev));
  }
  const msPerScreen = (performance.now() - tStart) / runs;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  console.log(
    `vague: mean confidence ${mean(vagueConf).toFixed(3)} vs specific ${mean(specificConf).toFixed(3)}`,
  );

  // Re-export with the measured accuracy in the metadata, and write the card.
  const summary = Object.fromEntries(
    Object.entries(heldOutEval).map(([k, e]) => [`accuracy.${k}`, e.all.accuracy.toFixed(4)]),
  );
  bytes = exportGrounderOnnx(vocab, cfg, d, weights, { trainedSeed: String(seed), ...summary });
  writeFileSync(out, bytes);
  const rng = misses
    .filter((_, i) => i % Math.max(1, Math.floor(misses.length / 8)) === 0)
    .slice(0, 8);
  writeFileSync(
    cardPath,
    cardMarkdown({
      command: 'npm run train:grounder',
      seed,
      steps,
      batch,
      params,
      bytes: bytes.length,
      trainScreens,
      trainCounts: counts,
      trainTemplates: splitTemplates('train').map((t) => t.id),
      heldOutTemplates: [
        ...splitTemplates('held-out-templates'),
        ...splitTemplates('held-out-apps'),
      ].map((t) => t.id),
      train: trainEval,
      heldOut: heldOutEval,
      vagueConfidence: mean(vagueConf),
      specificConfidence: mean(specificConf),
      msPerScreen,
      failures: rng.map((m) => `Held-out miss, ${m}`),
    }),
  );
  console.log(
    `wrote ${out} (${(bytes.length / 1024).toFixed(0)} KiB) and ${cardPath} (${secs()} s)`,
  );
  await g.dispose();
}

main().catch((e) => {
  console.error(e instanceof UsageError ? `train-grounder: ${e.message}` : e);
  process.exit(1);
});
