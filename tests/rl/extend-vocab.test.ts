// A stage-0 checkpoint made before the label marks were appended to the vocabulary keeps every
// weight when stage 0 continues from it with the build's vocabulary: the embedding grows by
// fresh rows for the appended tokens; anything but an append is refused.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import { plannerConfigOf } from '../../src/rl/config/schema';
import { captureCheckpoint, type CheckpointState } from '../../src/rl/model/checkpoint';
import { appendsTo, extendVocabulary } from '../../src/rl/model/extend-vocab';
import { Planner } from '../../src/rl/model/planner';
import { train } from '../../src/rl/trainer';
import { Rng } from '../../src/rng';
import { Vocab } from '../../src/text/vocab';
import { frozenVocab, tinySettings } from './train-fixtures';

const build = frozenVocab();
const beforeMarks = new Vocab(build.tokens.filter((t) => !t.startsWith('<m:')));

async function checkpointWith(vocab: Vocab): Promise<CheckpointState> {
  const be = new CpuBackend();
  const planner = new Planner(be, plannerConfigOf(tinySettings()), vocab.size, 1);
  planner.init(new Rng(3));
  const optimizer = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };
  const state = await captureCheckpoint(planner, vocab, optimizer);
  state.tensors.m.get('wte')!.fill(0.5);
  planner.release();
  return state;
}

describe('extending a checkpoint to an appended vocabulary', () => {
  it('keeps every row and tensor, and draws the new rows fresh with zero moments', async () => {
    expect(appendsTo(build, beforeMarks)).toBe(true);
    expect(appendsTo(beforeMarks, build)).toBe(false);
    const old = await checkpointWith(beforeMarks);
    const grown = extendVocabulary(old, build, new Rng(1));
    const C = old.config.C;
    const oldWte = old.tensors.params.get('wte')!;
    const wte = grown.tensors.params.get('wte')!;
    expect(wte.length).toBe(build.size * C);
    expect(wte.subarray(0, oldWte.length)).toEqual(oldWte);
    const fresh = Array.from(wte.subarray(oldWte.length));
    const std = Math.sqrt(fresh.reduce((s, x) => s + x * x, 0) / fresh.length);
    expect(std).toBeGreaterThan(0.015);
    expect(std).toBeLessThan(0.025);
    const m = grown.tensors.m.get('wte')!;
    expect(m.subarray(0, oldWte.length).every((x) => x === 0.5)).toBe(true);
    expect(m.subarray(oldWte.length).every((x) => x === 0)).toBe(true);
    for (const [name, t] of old.tensors.params)
      if (name !== 'wte') expect(grown.tensors.params.get(name)).toBe(t);
    expect(grown.vocab).toBe(build);
  });

  it('refuses a vocabulary that is not the checkpoint one with tokens appended', async () => {
    const old = await checkpointWith(beforeMarks);
    const reordered = new Vocab([...beforeMarks.tokens].reverse());
    expect(() => extendVocabulary(old, reordered, new Rng(1))).toThrow(/does not append tokens/);
  });

  it('stage 0 continues from it with the new vocabulary; stage 1 refuses it', async () => {
    const be = new CpuBackend();
    const init = await checkpointWith(beforeMarks);
    const settings = tinySettings();
    const saved: CheckpointState[] = [];
    const result = await train({
      be,
      settings,
      stage: 0,
      vocab: build,
      init,
      updates: 1,
      saveCheckpoint: async (_name, _update, state) => void saved.push(state),
    });
    expect(result.update).toBe(1);
    expect(saved.at(-1)!.vocab.fingerprint()).toBe(build.fingerprint());
    await expect(train({ be, settings, stage: 1, vocab: build, init, updates: 1 })).rejects.toThrow(
      /predates label marks/,
    );
  });
});
