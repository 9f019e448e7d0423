// `npm run bench:cpu [-- --sizes=256,512 --reps=N --no-step]`: the CPU rows alone.
import { cpuBench, type CpuBenchOptions } from './bench';

function args(): CpuBenchOptions {
  const a = { sizes: [256, 512, 1024], reps: 7, step: true };
  for (const arg of process.argv.slice(2)) {
    const m = /^--(sizes|reps)=(.+)$/.exec(arg);
    if (m?.[1] === 'sizes') a.sizes = m[2].split(',').map(Number);
    else if (m?.[1] === 'reps') a.reps = Number(m[2]);
    else if (arg === '--no-step') a.step = false;
    else if (arg !== '--') throw new Error(`bench:cpu: unknown argument '${arg}'`);
  }
  return a;
}

console.log(await cpuBench(args()));
