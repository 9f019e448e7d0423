// TraceLab's simulated GUI world: apps drawn as screens of UI elements, tasks checked from app
// state, an oracle that solves any task from any reachable state, and a deterministic renderer.
//
// ── Adding an app (one file: src/envs/apps/<name>.ts) ──────────────────────────────────────
//   export interface NotesState { page: 'list' | 'edit'; open: string | null; notes: Note[] }
//   export default defineApp<NotesState>({
//     name: 'notes', label: 'Notes', icon: 'note', color: 'yellow', platforms: ['mobile'],
//     ui: ['page', 'open'],              // UI-only fields: changing them is navigation
//     init: (rng, options) => ({ page: 'list', open: null, notes: [...] }),   // seeded content
//     view: (s, ctx) => { const col = new Column(ctx.width, 2); col.item('note:1', 'Groceries');
//                         return { screen: s.page, title: 'Notes', body: col.nodes } },
//     on: (s, ev) => ev.kind === 'click' && ev.key.startsWith('note:') ? { ...s, page: 'edit' } : s,
//     back: (s) => (s.page === 'edit' ? { ...s, page: 'list' } : undefined),
//   });
//   Rules: `on` is pure (return new objects, never mutate); node keys are unique per screen;
//   return `fail(s, 'why')` for impossible events; `dialog` in the view makes a modal; long
//   content simply goes in `body` (it scrolls); put pixel-only facts in icon/color/imageText.
//   Content that an agent must not destroy while navigating must NOT be in `ui`.
//   The registry picks the file up by itself (import.meta.glob); no list to edit.
//
// ── Adding task templates (src/envs/tasks/<group>.ts, default export: a list) ──────────────
//   // "Delete the note 'Groceries'."
//   defineTask<{ title: string }>({
//     id: 'notes.delete', apps: ['notes'],
//     tags: { suite: 'android-world', split: 'train', category: 'irreversible' },
//     generate: (rng) => { const title = rng.pick(TITLES);
//       return { params: { title }, instruction: `Delete the note '${title}'.`, apps: { notes: { ensure: [title] } } } },
//     check: (w, p) => !appState<NotesState>(w, 'notes').notes.some((n) => n.title === p.title),
//     failed: (w, p) => /* another note was deleted */ false,
//     plan: (p) => [
//       visit('open note', 'notes', `note:${p.title}`, (w) => ...open === p.title),  // stepping stone
//       click('delete', 'notes', 'delete', (w) => !...some(...)),
//     ],
//   }),
//   A plan is an ordered list of subgoals (task.ts): each says when it holds and which node
//   to act on (click, longPress, typeInto, answer). The oracle takes the first one pending,
//   finds the node by navigating (clicks, scrolls, back, open app: moves that change no
//   content), acts, and repeats, so it works from any state an agent can reach. Mark
//   stepping stones `ephemeral` (visit/typeInto do) so they count as done once a later
//   subgoal holds. Tests in tests/envs run every template through the oracle from the start
//   and from random intermediate states; the template must be solvable unless `failed`.
//
// ── Using the world ───────────────────────────────────────────────────────────────────────
//   const ep = new Episode(getTemplate('settings.wifi'), seed, { perturb: { theme: true } });
//   let obs = ep.reset(); describeElements(obs); render(obs).pixels;   // Uint8Array RGB
//   ep.step({ type: 'click', id: 3 }); ep.oracle();                    // RefStep[] from here
export * from './types';
export * from './app';
export * from './task';
export { APPS, TEMPLATES, getApp, getTemplate } from './registry';
export {
  createWorld,
  observe,
  applyAction,
  appState,
  appView,
  LAUNCHER,
  type WorldOptions,
} from './world';
export {
  Episode,
  instantiate,
  type EpisodeOptions,
  type StepResult,
  type TaskInstance,
} from './episode';
export { solve, describeStep, type RefStep, type SolveResult, type SolveOptions } from './oracle';
export { describeElements, describeNode } from './describe';
export { pickPerturbation, type PerturbOptions } from './perturb';
export { render, hashPixels, Canvas, type Frame } from './render/render';
export { THEMES, THEME_NAMES, NAMED_COLORS, getTheme, type Theme, type RGB } from './render/theme';
export {
  GLYPH_ROWS,
  GLYPH_W,
  GLYPH_H,
  ADVANCE,
  FIRST_CODE,
  LAST_CODE,
  glyphPixel,
  glyphTable,
} from './render/font';
export { ICON_ROWS, ICON_NAMES, ICON_SIZE } from './render/icons';
export { Column, dialog, image, iconButton, box, fit, textWidth, ROW_H } from './ui';
export { randomAction } from './random';
