// The data card of the shipped grounder: what it was trained on, its size, and its accuracy
// per category on held-out screens, measured with onnxruntime-web on the exported file.
import { CATEGORIES, type GroundingCategory } from './data';
import type { Evaluation } from './train';

export interface CardFacts {
  command: string;
  seed: number;
  steps: number;
  batch: number;
  params: number;
  bytes: number;
  trainScreens: number;
  trainCounts: Record<GroundingCategory, number>;
  trainTemplates: string[];
  heldOutTemplates: string[];
  train: Evaluation;
  heldOut: Record<string, Evaluation>;
  vagueConfidence: number;
  specificConfidence: number;
  msPerScreen: number;
  failures: string[];
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

function row(name: string, e: Evaluation): string {
  const cells = [...CATEGORIES, 'all' as const].map((c) =>
    e[c].n ? `${pct(e[c].accuracy)} (${e[c].n})` : '–',
  );
  return `| ${name} | ${cells.join(' | ')} |`;
}

export function cardMarkdown(f: CardFacts): string {
  const head = `| split | ${[...CATEGORIES, 'all'].join(' | ')} |`;
  const rule = `|${' --- |'.repeat(CATEGORIES.length + 2)}`;
  return `# TraceLab GUI grounder — data card

The frozen tool agent of stage 2 (DESIGN.md §2): given a screen (element list without internal
keys, and the rendered pixels) and a step's target description ("the Delete button in the row
'Invoice 3'"), it scores every element and a "not found" option, and clicks the centre of the
chosen element's box. A small model trained once by TraceLab, exported to ONNX
(\`grounder.onnx\`), run with onnxruntime-web.

Reproduce: \`${f.command}\` (seeded; prints the numbers below).

## Model
- Element vector: mean of its text-token embeddings + (mean of its row-mates' text) · W +
  role embedding + MLP(box, state and duplicate-rank features) + MLP(8×8 RGB crop).
- Description: mean of its token embeddings, one linear layer.
- Match features per element, computed on the host from the screen and the description: its
  label appears in the description; share of its words in the description; a row-mate's label
  appears in it; share of the description's words among the row-mates' words.
- Score per element: w · gelu((element ⊙ description) · Z + element · H + match · M + b);
  softmax over the elements plus a learned "not found" row. Bag-of-words on both sides: word
  order is not seen.
- ${f.params} parameters, ${(f.bytes / 1024).toFixed(0)} KiB on disk; ${f.msPerScreen.toFixed(2)} ms
  per screen in onnxruntime-web wasm (Node, one thread, this 2-core machine).
- Training: ${f.steps} AdamW steps of ${f.batch} examples, seed ${f.seed}, CPU reference backend.

## Data
Oracle episodes of the train split (templates tagged train / held-out-params, train seeds),
with perturbations (themes, layout jitter, distractor banners, pop-ups, scrolled starts).
Every screen on an oracle trajectory gives: the oracle's own step target; three more elements
described by the world's describer (hard ones — duplicates and unlabelled icons — drawn four
times as often); a colour-only description ("the red item") where one colour singles out one
element of a role; and, on a quarter of the screens, an off-screen description: an element of
another screen of the episode with no look-alike on this one (no element with its label; for
an unlabelled icon, none of the same role and icon).

Off-screen targets are scored as correct only when the model answers "not found" (the null
row wins the softmax); returning any element counts as a miss. A caller that clicks anyway
has no point to click (\`point: null\`).

Training set: ${f.trainScreens} screens, ${Object.entries(f.trainCounts)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ')}.
Train templates: ${f.trainTemplates.length}. Held-out templates (never seen in training):
${f.heldOutTemplates.join(', ')}.

## Accuracy (top-1, onnxruntime-web wasm on the shipped file; examples in brackets)
${head}
${rule}
${row('train (seen screens)', f.train)}
${Object.entries(f.heldOut)
  .map(([name, e]) => row(name, e))
  .join('\n')}

"vague" is a deliberately ambiguous description ("the button" on a screen with at least three
buttons; the target is one of them at random). It is never trained on. The grounder fails it
(below chance: it often answers "not found" when nothing matches the words), and is less sure
(mean confidence ${pct(f.vagueConfidence)} on vague vs ${pct(f.specificConfidence)} on specific
held-out descriptions).

Read these numbers with care: the specific descriptions come from the same describer that made
the training data (describeNode and the colour phrases), so they name each element in words the
model has learned to match; the lexical match features carry unseen names. A planner's own step
instructions (paraphrases, wrong row, missing ordinal) are harder, and stage 2 is where that
shows.

## Known failure modes
${f.failures.map((x) => `- ${x}`).join('\n')}
- Word order is invisible (bags of words): "the first Delete button in the row 'X'" relies on
  the duplicate-rank feature, which counts look-alikes over the whole screen, not within a row.
- Sliders are clicked at their centre, whatever percentage the description asks for.
- Screens with more than 49 elements were not trained on (none occur in the world today).
`;
}
