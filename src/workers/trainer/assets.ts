// The files a run needs from the site: the frozen vocabulary and the shipped stage-0
// checkpoint of the run's model shape (public/models: the quick-demo one is precached by the
// service worker, the larger `small` one is cached on first use). URLs are resolved against the
// page's address, which the page passes in: inside a worker a relative URL would resolve
// against the worker's own script (assets/…).
import type { SettingsPresetName, TrainSettings } from '../../rl/config/schema';
import { plannerConfigOf, settingsPreset } from '../../rl/config/schema';
import { DEFAULT_VOCAB_URL, parseVocab } from '../../rl/data/vocab-file';
import type { Vocab } from '../../text/vocab';
import { decodeCheckpoint, type CheckpointState } from '../../rl/model/checkpoint';

/** The shipped stage-0 checkpoints, relative to the site root, and the preset of their shape. */
export const SHIPPED_STAGE0: readonly { url: string; preset: SettingsPresetName }[] = [
  { url: 'models/stage0.bin', preset: 'quick-demo' },
  { url: 'models/stage0-small.bin', preset: 'teaching' },
];

/** The quick-demo checkpoint: the Agent viewer's and the GRPO explainer's planner. */
export const SHIPPED_STAGE0_URL = SHIPPED_STAGE0[0].url;

/** The shipped checkpoint in these settings' model shape; the quick-demo one when none is. */
export function shippedStage0Url(settings: TrainSettings): string {
  const want = JSON.stringify(plannerConfigOf(settings));
  const hit = SHIPPED_STAGE0.find(
    (s) => JSON.stringify(plannerConfigOf(settingsPreset(s.preset))) === want,
  );
  return (hit ?? SHIPPED_STAGE0[0]).url;
}

export async function fetchVocab(base: string): Promise<Vocab> {
  const url = new URL(DEFAULT_VOCAB_URL, base);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load the vocabulary (${url.pathname}: ${res.status})`);
  return parseVocab(await res.text());
}

export type Shipped =
  { available: true; state: CheckpointState } | { available: false; reason: string };

const shipped = new Map<string, Promise<Shipped>>();

/** A shipped stage-0 checkpoint (default: the quick-demo one), fetched once per worker. */
export function fetchShippedStage0(base: string, path = SHIPPED_STAGE0_URL): Promise<Shipped> {
  const cached = shipped.get(path);
  if (cached) return cached;
  const loading = (async (): Promise<Shipped> => {
    const url = new URL(path, base);
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
  shipped.set(path, loading);
  return loading;
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
