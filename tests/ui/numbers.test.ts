import { describe, expect, test } from 'vitest';
import { formatCount } from '../../src/ui/numbers';

describe('formatCount', () => {
  test('writes whole numbers as en-US Intl does, rounded', () => {
    const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    const values = [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 2 ** 31, -1, -1234, -1_234_567];
    for (const v of [...values, 1234.4, 1234.6, 99.5]) {
      expect(formatCount(v)).toBe(intl.format(Math.round(v)));
    }
    expect(formatCount(1_234_567)).toBe('1,234,567');
  });

  test('leaves non-finite values readable', () => {
    expect(formatCount(Infinity)).toBe('Infinity');
    expect(formatCount(NaN)).toBe('NaN');
  });
});
