// `npm run train`: invalid settings exit 2 naming the field; a tiny run writes metrics.jsonl,
// settings.json and a checkpoint that loads; --resume continues the same run directory;
// --init starts from a checkpoint whose model fits the settings, and names the field if not.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateSettings } from '../../src/rl/config';
import { loadCheckpointFile } from '../../src/rl/model/checkpoint-node';
import { PRESETS } from '../../src/rl/model/config';
import { runMetaOf } from '../../src/rl/trainer';
import { tempDir, trainCli as cli } from './cli-fixtures';

const dir = () => tempDir('tracelab-train-');

describe('train command line', () => {
  it('rejects an invalid config with exit 2, naming the field', async () => {
    const d = dir();
    const config = join(d, 'bad.json');
    writeFileSync(config, JSON.stringify({ preset: 'ci-tiny', grpo: { klBeta: -1 } }));
    const r = await cli('--stage', '0', '--config', config, '--out', join(d, 'run'));
    expect(r.code).toBe(2);
    expect(r.err).toContain("setting 'grpo.klBeta'");
    writeFileSync(config, JSON.stringify({ optimiser: { learningRate: 1 } }));
    const r2 = await cli('--stage', '0', '--config', config, '--out', join(d, 'run'));
    expect(r2.code).toBe(2);
    expect(r2.err).toContain("'optimiser.learningRate': is not a setting");
    const r3 = await cli('--stage', '0', '--preset', 'ci-tiny', '--backend', 'tpu', '--out', d);
    expect(r3.code).toBe(2);
    expect(r3.err).toContain("'run.backend'");
    const r4 = await cli('--stage', '0', '--preset', 'ci-tiny');
    expect(r4.code).toBe(2);
    expect(r4.err).toContain('needs --out');
  });

  it('trains a tiny run, writes its files, and resumes it', async () => {
    const out = join(dir(), 'run');
    const r = await cli(
      '--stage',
      '0',
      '--preset',
      'ci-tiny',
      '--seed',
      '7',
      '--updates',
      '3',
      '--out',
      out,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = () =>
      readFileSync(join(out, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    expect(lines().map((m) => m.update)).toEqual([1, 2, 3]);
    expect(lines()[0].reward).toBeNull(); // NaN in JSON
    const settings = validateSettings(JSON.parse(readFileSync(join(out, 'settings.json'), 'utf8')));
    expect(settings.run.seed).toBe(7);
    const ckpt = await loadCheckpointFile(join(out, 'checkpoint.bin'));
    expect(ckpt.config).toEqual(PRESETS.tiny);
    expect(ckpt.step).toBe(3);
    expect(runMetaOf(ckpt).update).toBe(3);
    const evaluation = JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8'));
    expect(evaluation.start['held-out'].loss).toBeGreaterThan(evaluation.final['held-out'].loss);
    // Which backend ran and why, beside the run's other files.
    const backend = JSON.parse(readFileSync(join(out, 'backend.json'), 'utf8'));
    expect(backend).toMatchObject({ setting: settings.run.backend, reason: expect.any(String) });

    const again = await cli('--resume', out, '--updates', '5');
    expect(again.code).toBe(0);
    expect(lines().map((m) => m.update)).toEqual([1, 2, 3, 4, 5]);
    expect((await loadCheckpointFile(join(out, 'checkpoint.bin'))).step).toBe(5);
    // --init starts a new run from the weights (a fresh optimiser: step counts from 0).
    const next = join(out, '..', 'from-init');
    const ckptPath = join(out, 'checkpoint.bin');
    const init = await cli(
      '--stage',
      '0',
      '--preset',
      'ci-tiny',
      '--init',
      ckptPath,
      '--updates',
      '1',
      '--out',
      next,
    );
    expect(init.code).toBe(0);
    expect((await loadCheckpointFile(join(next, 'checkpoint.bin'))).step).toBe(1);
    const wrongShape = await cli(
      '--stage',
      '0',
      '--preset',
      'quick-demo',
      '--backend',
      'cpu',
      '--init',
      ckptPath,
      '--out',
      next,
    );
    expect(wrongShape.code).toBe(2);
    expect(wrongShape.err).toContain("'model.C' is 32 in the checkpoint, 64 in the settings");
    const mismatch = await cli('--resume', out, '--updates', '6', '--seed', '8');
    expect(mismatch.code).toBe(2);
    expect(mismatch.err).toContain("setting 'run.seed' differs");
  });
});
