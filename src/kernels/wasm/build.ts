// `npm run build:wasm`: compile ./assembly (plain and shared memory) and write kernels-wasm.ts.
import { writeFileSync } from 'node:fs';
import { buildGeneratedModule, GENERATED_MODULE } from './compile';

writeFileSync(GENERATED_MODULE, await buildGeneratedModule());
console.log(`wrote ${GENERATED_MODULE}`);
