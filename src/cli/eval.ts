// `npm run eval -- --checkpoint <file> [--suites a,b] [--count N] [--horizon H]`: evaluate a
// planner checkpoint on the seven suites with their own metrics (see eval-command.ts).
//   npm run eval -- --checkpoint public/models/stage0.bin --count 20
//   npm run eval -- --agent random --suites tools,tools-multihop
import { runEval } from './eval-command';

process.exitCode = await runEval(process.argv.slice(2));
