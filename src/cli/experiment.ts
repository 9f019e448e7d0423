// `npm run experiment -- --preset small|full --seeds 3`: the methods and ablations of the
// paper's table in miniature, evaluated on the seven suites (src/cli/experiment-command.ts).
//   npm run experiment -- --preset small --seeds 3 --jobs 2
import { runExperiment } from './experiment-command';

process.exitCode = await runExperiment(process.argv.slice(2));
