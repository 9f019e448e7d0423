// The stage-1 update rows time whole trainer updates: `count` spans between metrics
// callbacks, neither the first update (set-up) nor the last (final evaluation) among them.
import { describe, expect, it } from 'vitest';
import { benchSettings, stage1SideBySide, timeStage1Updates } from '../../src/bench/cpu/stage1';
import { CpuBackend } from '../../src/kernels/cpu';
import { WasmBackend } from '../../src/kernels/wasm';
import { loadVocabFile } from '../../src/rl/data/vocab-node';

describe('stage-1 update timing', () => {
  const vocab = loadVocabFile();
  const settings = benchSettings('ci-tiny');

  it('times exactly `count` updates, each with its wall and CPU time', async () => {
    expect(settings.run.evalEvery).toBe(0);
    const times = await timeStage1Updates(new CpuBackend(), settings, vocab, undefined, 2);
    expect(times).toHaveLength(2);
    for (const t of times) {
      expect(t.wall).toBeGreaterThan(0);
      expect(Number.isFinite(t.cpu)).toBe(true);
    }
  });

  it('runs each contender its own blocks and counts its updates', async () => {
    const wasm = await WasmBackend.create();
    const r = await stage1SideBySide(
      [
        { name: 'wasm', be: wasm, blocks: 2, updates: 1 },
        { name: 'cpu', be: new CpuBackend(), blocks: 1, updates: 1 },
      ],
      settings,
      vocab,
      undefined,
    );
    expect(r.wasm.updates).toBe(2);
    expect(r.cpu.updates).toBe(1);
    wasm.destroy();
  });
});
