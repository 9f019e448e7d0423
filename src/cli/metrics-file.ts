// metrics.jsonl of a run folder: one UpdateMetrics per line, appended as the run goes. A crash
// can cut the last line short (a torn write); resume drops that line and says so. Any other
// damaged line is refused naming the file and the line, so nothing is silently lost.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { UsageError } from './args';

export class MetricsFileError extends UsageError {}

interface MetricsLine {
  text: string;
  update: number;
  /** The parsed record (NaN and ±Infinity were written as null). */
  record: Record<string, unknown>;
}

/** The records of `path`; a torn last line (no newline, not JSON) comes back as `torn`. */
export function readMetricsFile(path: string): { lines: MetricsLine[]; torn: string | null } {
  const text = readFileSync(path, 'utf8');
  const raw = text.split('\n');
  const endsCleanly = raw[raw.length - 1] === '';
  if (endsCleanly) raw.pop();
  const lines: MetricsLine[] = [];
  let torn: string | null = null;
  raw.forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${path} line ${i + 1}`;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (e) {
      if (i === raw.length - 1 && !endsCleanly) {
        torn = line;
        return;
      }
      throw new MetricsFileError(
        `${where} is damaged (${(e as Error).message}): ${line.length > 60 ? line.slice(0, 57) + '...' : line}`,
      );
    }
    const update = (record as { update?: unknown } | null)?.update;
    if (!Number.isInteger(update) || (update as number) < 1)
      throw new MetricsFileError(`${where} has no update number: not a metrics record`);
    lines.push({ text: line, update: update as number, record: record as Record<string, unknown> });
  });
  return { lines, torn };
}

/**
 * Keeps the records up to `update` (a resumed run writes what follows) and drops a torn last
 * line; returns the kept records and a note for the user when it dropped one.
 */
export function truncateMetricsFile(
  path: string,
  update: number,
): { kept: Record<string, unknown>[]; note: string | null } {
  if (!existsSync(path)) return { kept: [], note: null };
  const { lines, torn } = readMetricsFile(path);
  const kept = lines.filter((l) => l.update <= update);
  writeFileSync(`${path}.tmp`, kept.map((l) => l.text + '\n').join(''));
  renameSync(`${path}.tmp`, path);
  const note =
    torn === null
      ? null
      : `${path}: dropped a torn last line (${torn.length} characters, cut short by a crash)`;
  return { kept: kept.map((l) => l.record), note };
}
