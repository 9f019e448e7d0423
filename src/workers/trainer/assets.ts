// The files a run needs from the site: the frozen vocabulary and the shipped stage-0
// checkpoint (public/models, precached by the service worker). URLs are resolved against the
// page's address, which the page passes in: inside a worker a relative URL would resolve
// against the worker's own script (assets/…).
import type { TrainSettings } from '../../rl/config/schema';
import { plannerConfigOf } from '../../rl/config/schema';
import { DEFAULT_VOCAB_URL, parseVocab } from '../../rl/data/vocab-file';
import type { Vocab } from '../../text/vocab';
import { decodeCheckpoint, type CheckpointState } from '../../rl/model/checkpoint';

/** The shipped stage-0 checkpoint, relative to the site root. */
export const SHIPPED_STAGE0_URL = 'models/stage0.bin';

export async function fetchVocab(base: string): Promise<Vocab> {
  const url = new URL(DEFAULT_VOCAB_URL, base);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load the vocabulary (${url.pathname}: ${res.status})`);
  return parseVocab(await res.text());
}

export type Shipped =
  { available: true; state: CheckpointState } | { available: false; reason: string };

let shipped: Promise<Shipped> | null = null;

/** The shipped stage-0 checkpoint, fetched once per worker. */
export function fetchShippedStage0(base: string): Promise<Shipped> {
  shipped ??= (async (): Promise<Shipped> => {
    const url = new URL(SHIPPED_STAGE0_URL, base);
    try {
      const res = await fetch(url);
      if (!res.ok)
        return { available: false, reason: `${url.pathname} is missing (${res.status})` };
      // A static server may answer a missing file with the app's index.html: decoding
      // checks the magic bytes and refuses it.
      return { available: true, state: decodeCheckpoint(await res.arrayBuffer()) };
    } catch (e) {
      return { available: false, reason: e instanceof Error ? e.message : String(e) };
    }
  })();
  return shipped;
}

/** Why the shipped checkpoint cannot start these settings' stage 1, or null when it can. */
export function shippedMismatch(
  state: CheckpointState,
  settings: TrainSettings,
  vocab: Vocab,
): string | null {
  const want = plannerConfigOf(settings);
  for (const key of Object.keys(want) as (keyof typeof want)[]) {
    if (state.config[key] !== want[key])
      return `it was trained with ${key} = ${state.config[key]}, these settings use ${want[key]}`;
  }
  if (state.vocab.fingerprint() !== vocab.fingerprint())
    return 'its vocabulary differs from models/vocab.json';
  return null;
}
