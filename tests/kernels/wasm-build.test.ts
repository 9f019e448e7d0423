// The committed WebAssembly kernels are exactly what the pinned compiler makes of their
// source: edit src/kernels/wasm/assembly, run `npm run build:wasm`, commit both.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildGeneratedModule, GENERATED_MODULE } from '../../src/kernels/wasm/compile';

describe('wasm kernels build', () => {
  it('kernels-wasm.ts matches a fresh build of src/kernels/wasm/assembly', async () => {
    const fresh = await buildGeneratedModule();
    const committed = readFileSync(GENERATED_MODULE, 'utf8');
    expect(
      committed === fresh,
      'src/kernels/wasm/kernels-wasm.ts is stale: run `npm run build:wasm` and commit it',
    ).toBe(true);
  });
});
