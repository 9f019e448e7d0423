// The frozen vocabulary file in Node (the CLI and tests); see vocab-file.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { buildVocab } from '../lang/build-vocab';
import type { Vocab } from '../../text/vocab';
import { DEFAULT_VOCAB_PATH, parseVocab, vocabFileText } from './vocab-file';

export function loadVocabFile(path = DEFAULT_VOCAB_PATH): Vocab {
  return parseVocab(readFileSync(path, 'utf8'));
}

/** Builds the vocabulary from the world as registered now and writes it to `path`. */
export function rebuildVocabFile(path = DEFAULT_VOCAB_PATH): Vocab {
  const vocab = buildVocab();
  writeFileSync(path, vocabFileText(vocab));
  return vocab;
}
