// `npm run bench:cpu [-- --sizes=256,512 --reps=N --no-matmul --no-step --no-stage1 --stage1-blocks=N
// --stage1-updates=N --stage1-shapes=quick-demo,small]`: the CPU rows alone.
import { cpuBench, type CpuBenchOptions } from './bench';

function args(): CpuBenchOptions {
  const a: CpuBenchOptions = {
    sizes: [256, 512, 1024],
    reps: 7,
    step: true,
    stage1: true,
    stage1Blocks: 3,
    stage1Updates: 3,
    stage1Shapes: ['quick-demo', 'small'],
  };
  for (const arg of process.argv.slice(2)) {
    const m = /^--(sizes|reps|stage1-blocks|stage1-updates|stage1-shapes)=(.+)$/.exec(arg);
    if (m?.[1] === 'sizes') a.sizes = m[2].split(',').map(Number);
    else if (m?.[1] === 'reps') a.reps = Number(m[2]);
    else if (m?.[1] === 'stage1-blocks') a.stage1Blocks = Number(m[2]);
    else if (m?.[1] === 'stage1-updates') a.stage1Updates = Number(m[2]);
    else if (m?.[1] === 'stage1-shapes') a.stage1Shapes = m[2].split(',');
    else if (arg === '--no-matmul') a.sizes = [];
    else if (arg === '--no-step') a.step = false;
    else if (arg === '--no-stage1') a.stage1 = false;
    else if (arg !== '--') throw new Error(`bench:cpu: unknown argument '${arg}'`);
  }
  return a;
}

console.log(await cpuBench(args()));
