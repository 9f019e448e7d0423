// The frozen vocabulary. The vocabulary follows from the registered templates, so building it
// at run time would change the model's token ids whenever the world grows; instead it is built
// once and shipped as public/models/vocab.json (words unknown to it fall back to characters
// and bytes, so it stays valid for new templates). Rebuild: `npm run train -- --rebuild-vocab`.
// The browser fetches DEFAULT_VOCAB_URL; Node reads DEFAULT_VOCAB_PATH (vocab-node.ts).
import { Vocab } from '../../text/vocab';

/** Relative to the site root (public/ is served at /). */
export const DEFAULT_VOCAB_URL = 'models/vocab.json';
/** Relative to the repository root. */
export const DEFAULT_VOCAB_PATH = 'public/models/vocab.json';

/** The vocabulary of a vocab.json text; a stated fingerprint must match the tokens. */
export function parseVocab(text: string): Vocab {
  const json = JSON.parse(text) as { fingerprint?: unknown };
  const vocab = Vocab.fromJSON(json);
  if (json.fingerprint !== undefined && json.fingerprint !== vocab.fingerprint())
    throw new Error(
      `vocab file: fingerprint ${JSON.stringify(json.fingerprint)} does not match its tokens (${vocab.fingerprint()})`,
    );
  return vocab;
}

/** The file's text: one token per line inside the JSON list, so diffs stay readable. */
export function vocabFileText(vocab: Vocab): string {
  const { format, tokens } = vocab.toJSON();
  const lines = tokens.map((t) => `    ${JSON.stringify(t)}`).join(',\n');
  return `{\n  "format": ${JSON.stringify(format)},\n  "fingerprint": ${JSON.stringify(vocab.fingerprint())},\n  "tokens": [\n${lines}\n  ]\n}\n`;
}
