// `npm run build:wasm`: compile ./assembly and write kernels-wasm.ts.
import { writeFileSync } from 'node:fs';
import { compileKernels, GENERATED_MODULE, generatedModule } from './compile';

const bytes = await compileKernels();
writeFileSync(GENERATED_MODULE, generatedModule(bytes));
console.log(`wrote ${GENERATED_MODULE} (${bytes.length} bytes of wasm)`);
