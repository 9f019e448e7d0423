// Why the default reward is the prototype's: on forecasts the shipped stage-0 planner samples,
// its repetition term (runs of identical action types) fires, so λ_rep = 0 changes rewards;
// the earlier rule (runs of identical whole steps, excused when the reference has them) fired
// on none, which made the λ_rep ablation null by construction. Seeded: 120 held-out prompts,
// one forecast each at temperature 1, wasm backend.
import { describe, expect, it } from 'vitest';
import { WasmBackend } from '../../src/kernels/wasm';
import { validateSettings } from '../../src/rl/config/schema';
import { PromptSource } from '../../src/rl/data/prompts';
import { parseForecast } from '../../src/rl/lang/action-language';
import { restoreCheckpoint } from '../../src/rl/model/checkpoint';
import { loadCheckpointFile } from '../../src/rl/model/checkpoint-node';
import { Planner } from '../../src/rl/model/planner';
import { Sampler } from '../../src/rl/model/sample';
import { rewardSettings } from '../../src/rl/reward/settings';
import { trajectoryReward } from '../../src/rl/reward/trajectory';
import { Rng } from '../../src/rng';
import { shippedVocab } from './stage1-fixtures';

describe('the repetition term on sampled stage-0 forecasts', () => {
  it('fires under the prototype rules and changes rewards when λ_rep = 0; the earlier rule never fired', async () => {
    const be = await WasmBackend.create();
    const vocab = shippedVocab();
    const init = await loadCheckpointFile('public/models/stage0.bin', { vocab });
    const B = 40;
    const planner = new Planner(be, init.config, vocab.size, B);
    restoreCheckpoint(planner, init);
    const source = new PromptSource(validateSettings({}).data, vocab, init.config);
    const prompts = source.heldOut(120);
    const sampler = new Sampler(planner, vocab);
    const rng = new Rng(1);
    const H = init.config.horizon;
    const [prototype, tracelab] = [rewardSettings(), rewardSettings({ variant: 'tracelab' })];
    const noRepetition = rewardSettings({ repetitionPenalty: 0 });
    const fired = { prototype: 0, tracelab: 0 };
    let changed = 0;
    for (let from = 0; from < prompts.length; from += B) {
      const chunk = prompts.slice(from, from + B);
      const out = await sampler.sample(
        chunk.map((p) => p.encoded),
        { temperature: 1, topP: 1 },
        rng,
      );
      chunk.forEach((p, b) => {
        const ids = Array.from(out.ids.subarray(b * out.F, b * out.F + out.lengths[b]));
        const parsed = parseForecast(vocab, ids, { H });
        const ref = p.target.steps;
        const r = trajectoryReward(parsed, ref, prototype, H);
        if (r.repeatedRuns > 0) fired.prototype++;
        if (trajectoryReward(parsed, ref, tracelab, H).repeatedRuns > 0) fired.tracelab++;
        if (trajectoryReward(parsed, ref, noRepetition, H).total !== r.total) changed++;
      });
    }
    sampler.release();
    planner.release();
    be.destroy();
    // Measured on the shipped stage0.bin, wasm: 35 of 120 (prototype), 0 of 120 (tracelab);
    // λ_rep = 0 changed 35 rewards.
    expect(fired.prototype).toBeGreaterThanOrEqual(10);
    expect(fired.tracelab).toBe(0);
    expect(changed).toBeGreaterThanOrEqual(10);
  }, 300_000);
});
