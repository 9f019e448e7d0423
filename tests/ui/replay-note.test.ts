// The note shown while a resumed run recomputes updates it already has curves for.
import { describe, expect, it } from 'vitest';
import { replayNote } from '../../src/ui/state/replay-note';

describe('replay note', () => {
  it('names the checkpoint and the updates recomputed, and says nothing when none are', () => {
    expect(replayNote({ stage: 0, update: 100 }, { stage: 0, update: 177 })).toBe(
      'Replaying from update 100: updates 101–177 are recomputed from the last checkpoint (their curves are already stored).',
    );
    expect(replayNote({ stage: 0, update: 100 }, { stage: 0, update: 100 })).toBeNull();
    expect(replayNote({ stage: 1, update: 0 }, { stage: 0, update: 200 })).toBeNull();
    expect(replayNote({ stage: 0, update: 0 }, null)).toBeNull();
  });
});
