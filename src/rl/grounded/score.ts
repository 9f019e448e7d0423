// Scoring a stage-2 rollout: each sampled forecast is parsed, its first step executed by the
// frozen tool agent on its prompt's state (GUI prompts: the grounder clicks on the prompt's own
// screen, which nothing mutates — the copy of the environment; tool prompts: the toolbox runs
// the call), and rewarded with reward.ts. Grounding answers are cached per (prompt, description):
// the G forecasts of a group often name the same target.
import { render } from '../../envs/render/render';
import { decideFirstStep, type Grounder } from '../agent';
import { forecastOf } from '../agent/forecaster';
import type { Prompt } from '../data/prompts';
import type { Vocab } from '../../text/vocab';
import { groundedTotal, guiStepSuccess, toolStepOutcome } from './reward';

export interface GroundedScore {
  /** (B) success + formatWeight · format: the GRPO signal. */
  rewards: Float32Array;
  /** (B) 1 when the executed first step succeeded. */
  success: Float32Array;
  /** Means: reward, success, format, and success on GUI and on tool prompts. */
  summary: Record<string, number>;
}

export async function scoreGrounded(
  vocab: Vocab,
  forecasts: readonly (readonly number[])[],
  prompts: readonly Prompt[],
  grounder: Grounder,
  H: number,
  formatWeight: number,
): Promise<GroundedScore> {
  const B = forecasts.length;
  if (prompts.length !== B)
    throw new Error(`scoreGrounded: ${B} forecasts but ${prompts.length} prompts`);
  const rewards = new Float32Array(B);
  const success = new Float32Array(B);
  const pixels = new Map<Prompt, Uint8Array>();
  const groundings = new Map<string, ReturnType<Grounder>>();
  let format = 0;
  const kinds = { gui: [0, 0], tool: [0, 0] };
  for (let b = 0; b < B; b++) {
    const p = prompts[b];
    const forecast = forecastOf(vocab, [...forecasts[b]], H, H, p.encoded.labels);
    const formatOk = forecast.errors.length === 0;
    let ok: boolean;
    if (p.tool) {
      ok = toolStepOutcome(forecast.steps[0], p.tool.task, p.t).success;
      kinds.tool[0] += ok ? 1 : 0;
      kinds.tool[1]++;
    } else {
      let px = pixels.get(p);
      if (!px) pixels.set(p, (px = render(p.obs).pixels));
      const cached: Grounder = (obs, image, description) => {
        const key = `${prompts.indexOf(p)}/${description}`;
        let g = groundings.get(key);
        if (!g) groundings.set(key, (g = grounder(obs, image, description)));
        return g;
      };
      const input = { obs: p.obs, pixels: px, instruction: p.instruction, executed: p.executed, H };
      const decision = await decideFirstStep(input, forecast, cached);
      ok = p.next.length > 0 && guiStepSuccess(decision.action, p.obs, p.next[0]);
      kinds.gui[0] += ok ? 1 : 0;
      kinds.gui[1]++;
    }
    success[b] = ok ? 1 : 0;
    rewards[b] = groundedTotal(ok, formatOk, formatWeight);
    format += formatOk ? 1 : 0;
  }
  const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / Math.max(1, B);
  const summary: Record<string, number> = {
    reward: mean(rewards),
    success: mean(success),
    format: format / Math.max(1, B),
  };
  if (kinds.gui[1]) summary.guiSuccess = kinds.gui[0] / kinds.gui[1];
  if (kinds.tool[1]) summary.toolSuccess = kinds.tool[0] / kinds.tool[1];
  return { rewards, success, summary };
}
