// Evaluation on the seven suites: the oracle scores 100 %, a wrapped suite agent scores exactly
// what the suites' own evaluate() gives it (the random agent's floor numbers, as
// `npm run world -- baselines` prints them), batching does not change scores, and the CLI
// evaluates a checkpoint file.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  evaluate,
  heuristicAgent,
  oracleAgent,
  randomAgent,
  SUITE_NAMES,
  type SuiteName,
} from '../../src/envs/suites';
import { CpuBackend } from '../../src/kernels/cpu';
import { runEval } from '../../src/cli/eval-command';
import { fromSuiteAgent } from '../../src/rl/agent';
import { evaluateSuite } from '../../src/rl/eval';
import { DEFAULT_OPTIMIZER, Planner, PRESETS } from '../../src/rl/model';
import { captureCheckpoint } from '../../src/rl/model/checkpoint';
import { saveCheckpointFile } from '../../src/rl/model/checkpoint-node';
import { Rng } from '../../src/rng';
import { testVocab } from './model-fixtures';

const COUNT = 12;
const ONLINE: SuiteName[] = ['mobile-online', 'desktop-online'];

describe('evaluation of the suite baselines', () => {
  it('scores the oracle 100 % on every online suite, every offline step and every tool answer', async () => {
    for (const suite of SUITE_NAMES) {
      // Online suites in full (every template and held-out split they draw from).
      const count = ONLINE.includes(suite) ? undefined : COUNT;
      const r = await evaluateSuite(fromSuiteAgent(oracleAgent()), suite, { count });
      if (r.kind === 'online') expect(r.tasks).toBe(100);
      if (r.kind === 'online') expect(r.successRate, suite).toBe(1);
      if (r.kind === 'offline') expect(r.stepSuccessRate, suite).toBe(1);
      if (r.kind === 'tools') expect([r.answerAccuracy, r.toolAccuracy], suite).toEqual([1, 1]);
    }
  }, 120_000);

  it("reproduces the World's floor numbers: the random agent scores what evaluate() gives it", async () => {
    for (const suite of SUITE_NAMES) {
      const ours = await evaluateSuite(fromSuiteAgent(randomAgent(0)), suite, { count: COUNT });
      const world = evaluate(randomAgent(0), suite, { count: COUNT, minSteps: COUNT });
      expect(ours, suite).toEqual(world);
    }
  }, 120_000);

  it('scores the same with many episodes per decision call as one at a time', async () => {
    // The heuristic keeps no state between calls, so it may decide a whole batch at once.
    const batched = { ...fromSuiteAgent(heuristicAgent()), batch: 5 };
    for (const suite of [...ONLINE, 'web-offline', 'tools-multihop'] as SuiteName[]) {
      const ours = await evaluateSuite(batched, suite, { count: COUNT });
      expect(ours, suite).toEqual(
        evaluate(heuristicAgent(), suite, { count: COUNT, minSteps: COUNT }),
      );
    }
  }, 120_000);
});

describe('npm run eval', () => {
  const be = new CpuBackend();
  afterAll(() => be.destroy());

  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runEval(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('evaluates a checkpoint file on the suites asked for and writes the JSON', async () => {
    const vocab = testVocab();
    const config = { ...PRESETS.tiny, forecastTokens: 16 };
    const planner = new Planner(be, config, vocab.size, 1);
    planner.init(new Rng(3));
    const dir = mkdtempSync(join(tmpdir(), 'tracelab-eval-'));
    const file = join(dir, 'tiny.bin');
    await saveCheckpointFile(
      file,
      await captureCheckpoint(planner, vocab, DEFAULT_OPTIMIZER, { meta: { stage: 0 } }),
    );
    planner.release();
    const json = join(dir, 'eval.json');
    const r = await run([
      '--grounder',
      'stand-in',
      '--checkpoint',
      file,
      '--suites',
      'mobile-online,tools',
      '--count',
      '2',
      '--batch',
      '2',
      '--json',
      json,
      '--misses',
    ]);
    expect(r.err).not.toMatch(/eval:/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /\| mobile-online \| AndroidWorld \| planner stage 0 H=3 \| 2 tasks \| success rate \d+\.\d/,
    );
    expect(r.out).toMatch(/\| tools \| GTA \| .* \| 2 tasks \| answer accuracy/);
    const saved = JSON.parse(readFileSync(json, 'utf8'));
    expect(saved.grounder).toBe('text-match STAND-IN');
    expect(saved.runs.map((x: { result: { suite: string } }) => x.result.suite)).toEqual([
      'mobile-online',
      'tools',
    ]);
    // An untrained planner fails both episodes: where each first left the oracle's path.
    expect(r.out).toMatch(/first misses of the 2 failed mobile-online episodes \(of 2\): \S/);
    expect(saved.firstMisses).toHaveLength(1);
    expect(saved.firstMisses[0]).toMatchObject({ suite: 'mobile-online', episodes: 2, failed: 2 });
  }, 120_000);

  it('evaluates a baseline agent and refuses bad usage with exit code 2', async () => {
    const ok = await run(['--agent', 'oracle', '--suites', 'tools', '--count', '3']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(
      '| tools | GTA | oracle | 3 tasks | answer accuracy 100.0 · tool accuracy 100.0',
    );
    expect((await run(['--suites', 'tools'])).code).toBe(2);
    const badSuite = await run(['--agent', 'oracle', '--suites', 'toolz']);
    expect(badSuite.code).toBe(2);
    expect(badSuite.err).toMatch(/unknown suite 'toolz'/);
    const missing = await run(['--checkpoint', '/nonexistent/x.bin']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot load --checkpoint/);
    const badSplit = await run(['--agent', 'oracle', '--split', 'train']);
    expect(badSplit.code).toBe(2);
    expect(badSplit.err).toMatch(/unknown split 'train'/);
  });

  it('evaluates one held-out split at a time, leaving out suites that have none of it', async () => {
    const r = await run([
      '--agent',
      'oracle',
      '--split',
      'held-out-apps',
      '--suites',
      'mobile-online,web-offline,tools,cross-app-offline',
      '--count',
      '3',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('split: held-out-apps only');
    expect(r.out).toMatch(
      /\| mobile-online \| AndroidWorld \| oracle \| 3 tasks \| success rate 100\.0/,
    );
    expect(r.out).toMatch(/\| cross-app-offline \|/);
    // Web tasks and tool tasks have no held-out apps.
    expect(r.out).not.toMatch(/\| web-offline \||\| tools \|/);
    const online = await evaluateSuite(fromSuiteAgent(oracleAgent()), 'mobile-online', {
      count: 4,
      split: 'held-out-apps',
    });
    expect(online.kind === 'online' && Object.keys(online.bySplit)).toEqual(['held-out-apps']);
  });
});
