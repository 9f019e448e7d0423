// What the Train page says while a resumed run recomputes the updates between its last
// checkpoint and its last stored metrics: the counter and curves hold still meanwhile, so
// without it the run looks frozen.
import type { Stage } from '../../rl/metrics';

interface Position {
  stage: Stage;
  update: number;
}

export function replayNote(checkpoint: Position, stored: Position | null): string | null {
  if (!stored || stored.stage !== checkpoint.stage || stored.update <= checkpoint.update)
    return null;
  return `Replaying from update ${checkpoint.update}: updates ${checkpoint.update + 1}–${stored.update} are recomputed from the last checkpoint (their curves are already stored).`;
}
