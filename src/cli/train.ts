// `npm run train -- --stage 0|1|2 --out <dir> [--config <file>] [--seed N] …`: train the
// planner headless, the same code as the browser's trainer worker (see train-command.ts).
//   npm run train -- --stage 0 --preset ci-tiny --backend cpu --out runs/tiny
//   npm run train -- --resume runs/tiny --updates 80        # continue exactly, then further
//   npm run train -- --rebuild-vocab                         # rewrite public/models/vocab.json
import { runTrain } from './train-command';

process.exitCode = await runTrain(process.argv.slice(2));
