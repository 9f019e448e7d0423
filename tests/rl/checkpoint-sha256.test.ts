// The checkpoint checksum's SHA-256 against node:crypto, at every length around the block and
// padding boundaries and on a few megabytes (the size of a checkpoint).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256, toHex } from '../../src/rl/model/checkpoint-sha256';
import { Rng } from '../../src/rng';

const reference = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('sha256', () => {
  it('matches node:crypto for the empty input, "abc" and every length 0..200', () => {
    expect(toHex(sha256(new Uint8Array()))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(toHex(sha256(new TextEncoder().encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const rng = new Rng(3);
    const data = Uint8Array.from({ length: 200 }, () => Math.floor(rng.next() * 256));
    for (let n = 0; n <= 200; n++) {
      expect(toHex(sha256(data.subarray(0, n))), `length ${n}`).toBe(
        reference(data.subarray(0, n)),
      );
    }
  });

  it('matches on 3 MB at an unaligned offset', () => {
    const big = new Uint8Array(3_000_001);
    for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
    const view = big.subarray(1);
    expect(toHex(sha256(view))).toBe(reference(view));
  });
});
