// Counter-based random streams: every update draws from its own Rng, derived from the run's
// seed, the stage, the update index and a purpose. A run's randomness is then fixed by
// (seed, update) alone, so resuming at update n needs no saved generator state and continues
// exactly as the uninterrupted run would.
import { hashString, Rng } from '../../rng';

export type StreamPurpose = 'data' | 'sample' | 'eval' | 'init' | 'extend-vocab';

export function streamRng(
  seed: number,
  stage: number,
  update: number,
  purpose: StreamPurpose,
): Rng {
  return new Rng(hashString(`tracelab/${purpose}/seed${seed}/stage${stage}/update${update}`));
}
