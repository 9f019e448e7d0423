// What the Train page says when a checkpoint could not be stored (storage full, an IndexedDB
// error): whether an older checkpoint of the run is still there, since only then can a
// reload resume it.
import type { Stage } from '../../rl/metrics';

export function checkpointNotStoredWarning(
  error: string,
  kept: { stage: Stage; update: number } | undefined,
): string {
  return kept
    ? `${error} The run goes on; its previous checkpoint (stage ${kept.stage}, update ${kept.update}) is kept.`
    : `${error} The run goes on, but none of its checkpoints is stored yet: closing or reloading the page now would lose it.`;
}
