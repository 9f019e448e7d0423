// Extending a checkpoint's vocabulary. A planner trained before tokens were appended to the
// vocabulary (the label marks, say) keeps every weight it learnt: only appended tokens are
// accepted, so no token id changes meaning. The new rows of the token embedding start as a
// fresh model's do, N(0, 0.02), and their AdamW moments at zero; then stage 0 teaches them.
import type { Rng } from '../../rng';
import type { Vocab } from '../../text/vocab';
import type { CheckpointState } from './checkpoint';

/** The std a fresh token embedding row is drawn with (params.ts, initParams). */
const WTE_INIT_STD = 0.02;

/** True when `wider` is `narrower` with tokens appended (and at least one of them). */
export function appendsTo(wider: Vocab, narrower: Vocab): boolean {
  if (wider.size <= narrower.size) return false;
  return narrower.tokens.every((key, id) => wider.tokens[id] === key);
}

/** The checkpoint with `vocab`, its embedding grown by the appended tokens' rows. */
export function extendVocabulary(state: CheckpointState, vocab: Vocab, rng: Rng): CheckpointState {
  if (!appendsTo(vocab, state.vocab))
    throw new Error(
      `extendVocabulary: ${vocab.fingerprint()} does not append tokens to the checkpoint's ${state.vocab.fingerprint()}`,
    );
  const C = state.config.C;
  const grow = (region: 'params' | 'm' | 'v'): Map<string, Float32Array> => {
    const tensors = new Map(state.tensors[region]);
    const old = tensors.get('wte');
    if (!old) throw new Error(`extendVocabulary: the checkpoint has no ${region}/wte`);
    const wte = new Float32Array(vocab.size * C);
    wte.set(old);
    if (region === 'params')
      for (let i = old.length; i < wte.length; i++) wte[i] = rng.normal(0, WTE_INIT_STD);
    tensors.set('wte', wte);
    return tensors;
  };
  return {
    ...state,
    vocab,
    tensors: { params: grow('params'), m: grow('m'), v: grow('v') },
  };
}
