// `npm run world -- <command>`: look at the simulated world and its benchmark suites.
//   list                                   suites with sizes, metrics and templates per suite
//   tasks [--suite S]                      task templates (id, apps, split, category, suites)
//   render <template> --seed N [--step K] [--out file.png] [--marks] [--scale S] [--next H]
//                                          the screen after K oracle steps, as a PNG
//   trajectory <template> --seed N [--elements]   the oracle's reference steps from the start
//   baselines [--count N]                  floor table: random and heuristic agents, markdown
import { main } from './world-commands';

// Piping into `head` closes stdout early; that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
process.exitCode = main(process.argv.slice(2));
