// The storage-full warning only promises a kept checkpoint when one was stored.
import { describe, expect, it } from 'vitest';
import { checkpointNotStoredWarning } from '../../src/ui/state/checkpoint-warning';

describe('checkpoint storage warning', () => {
  it('names the kept checkpoint, or says none is stored yet', () => {
    const full = 'Browser storage is full: the checkpoint at stage 0, update 5 was not saved.';
    expect(checkpointNotStoredWarning(full, { stage: 0, update: 3 })).toBe(
      `${full} The run goes on; its previous checkpoint (stage 0, update 3) is kept.`,
    );
    const none = checkpointNotStoredWarning(full, undefined);
    expect(none).not.toContain('is kept');
    expect(none).toContain('none of its checkpoints is stored yet');
  });
});
