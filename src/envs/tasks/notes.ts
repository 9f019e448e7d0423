// Notes tasks.
import type { Rng } from '../../rng';
import { click, defineTask, typeInto, visit, type Subgoal } from '../task';
import { appState } from '../world';
import { FILLER_NOTES, NOTES_KEYS, type Note, type NotesState } from '../apps/notes';
import type { WorldState } from '../types';

const N = (w: WorldState) => appState<NotesState>(w, 'notes');
const SUITE = 'mobile-online';
/** Titles the filler never uses. */
export const NOTE_TITLES = [
  'Party plan',
  'Wifi code',
  'Birthday',
  'Camping',
  'Renovation',
  'Lecture',
  'Parking',
  'Budget',
  'Wedding',
  'Dentist',
  'Bike repair',
  'Reading list',
];
export const NOTE_TEXTS = [
  'call the venue',
  'buy a tent',
  'bring snacks',
  'ask about prices',
  'pay by Friday',
  'level 3, spot 42',
  'pick up at noon',
  'check the tyres',
];

export function findNote(w: WorldState, title: string): Note | undefined {
  return N(w).notes.find((n) => n.title === title);
}

/** Notes a task adds get the ids n1, n2, ... (see NotesOptions.extra). */
const FIRST = 'n1';

function noteById(w: WorldState, id: string): Note | undefined {
  return N(w).notes.find((n) => n.id === id);
}

/** A task's note was deleted: it cannot come back. */
export function noteLost(w: WorldState, id = FIRST): boolean {
  return N(w).deleted.includes(id);
}

/** The editor's draft while it edits this note (or a new one, for id null). */
function draftFor(w: WorldState, id: string | null | undefined) {
  const s = N(w);
  return s.page === 'edit' && s.draft && id !== undefined && s.open === id ? s.draft : null;
}

/** The editor of a note is open (a stepping stone). */
export function openNote(id = FIRST): Subgoal {
  return visit('open note', 'notes', `note:${id}`, (w) => !!draftFor(w, id));
}

/**
 * Save a note with this title and text, editing `target(w)` (an id) or creating one (null).
 * Both fields are subgoals, so a detour that changed one is repaired before saving.
 */
function saveNotePlan(
  want: { title: string; body: string },
  target: (w: WorldState) => string | null,
): Subgoal[] {
  const saved = (w: WorldState) => {
    const id = target(w);
    const n = id ? noteById(w, id) : undefined;
    return !!n && n.title === want.title && n.body === want.body;
  };
  const draft = (w: WorldState) => draftFor(w, target(w));
  return [
    {
      name: 'open the editor',
      done: (w) => !!draft(w),
      act: (w) => {
        const id = target(w);
        return { click: { app: 'notes', key: id ? `note:${id}` : 'new' } };
      },
      ephemeral: true,
    },
    typeInto(
      'title',
      'notes',
      'field:title',
      want.title,
      (w) => saved(w) || draft(w)?.title === want.title,
      false,
    ),
    typeInto(
      'text',
      'notes',
      'field:body',
      want.body,
      (w) => saved(w) || draft(w)?.body === want.body,
      false,
    ),
    click('save', 'notes', 'save', saved),
  ];
}

/** Write and save a new note (or fix the one already written with this title). */
export function createNotePlan(p: { title: string; body: string }): Subgoal[] {
  return saveNotePlan(p, (w) => findNote(w, p.title)?.id ?? null);
}

function newNote(rng: Rng): { title: string; body: string } {
  return { title: rng.pick(NOTE_TITLES), body: rng.pick(NOTE_TEXTS) };
}

export default [
  // "Create a note titled 'Camping' with the text 'buy a tent'."
  defineTask<{ title: string; body: string }>({
    id: 'notes.create',
    apps: ['notes'],
    tags: { suite: SUITE, split: 'train', category: 'form' },
    generate: (rng) => {
      const p = newNote(rng);
      return {
        params: p,
        instruction: `Create a note titled '${p.title}' with the text '${p.body}'.`,
      };
    },
    check: (w, p) => findNote(w, p.title)?.body === p.body,
    plan: createNotePlan,
  }),

  // "Pin the note 'Budget'." (far down the list)
  defineTask<{ title: string }>({
    id: 'notes.pin',
    apps: ['notes'],
    tags: { suite: SUITE, split: 'train', category: 'target-off-screen' },
    generate: (rng) => {
      const n = newNote(rng);
      return {
        params: { title: n.title },
        instruction: `Pin the note '${n.title}'.`,
        apps: { notes: { extra: [{ ...n, at: 30 }] } },
      };
    },
    check: (w) => !!noteById(w, FIRST)?.pinned,
    failed: (w) => noteLost(w),
    plan: () => [click('pin', 'notes', `pin:${FIRST}`, (w) => !!noteById(w, FIRST)?.pinned)],
  }),

  // "Delete the note 'Parking 2'." (a note 'Parking' sits beside it; no undo)
  defineTask<{ title: string }>({
    id: 'notes.delete',
    apps: ['notes'],
    tags: { suite: SUITE, split: 'train', category: 'irreversible' },
    generate: (rng) => {
      const n = newNote(rng);
      const plain = rng.chance(0.5);
      const title = plain ? n.title : `${n.title} 2`;
      const decoy = plain ? `${n.title} 2` : n.title;
      const at = rng.int(0, 8);
      return {
        params: { title },
        instruction: `Delete the note '${title}'.`,
        apps: {
          notes: {
            extra: [
              { title, body: n.body, at },
              { title: decoy, body: rng.pick(NOTE_TEXTS), at: at + rng.int(0, 1) },
            ],
          },
        },
      };
    },
    // The look-alike (n2) must survive: no other note may be deleted.
    check: (w) => N(w).deleted.length === 1 && noteLost(w),
    failed: (w) => N(w).deleted.some((id) => id !== FIRST),
    plan: () => [
      openNote(),
      visit('delete', 'notes', `delete:${FIRST}`, (w) => N(w).confirm && N(w).open === FIRST),
      click('confirm', 'notes', 'confirm:delete', (w) => noteLost(w)),
    ],
  }),

  // "Change the text of the note 'Groceries' to 'bring snacks'."
  defineTask<{ title: string; body: string }>({
    id: 'notes.edit-text',
    apps: ['notes'],
    tags: { suite: SUITE, split: 'train', category: 'basic' },
    generate: (rng) => {
      const [title, old] = rng.pick(FILLER_NOTES);
      const body = rng.pick(NOTE_TEXTS);
      return {
        params: { title, body },
        instruction: `Change the text of the note '${title}' to '${body}'.`,
        apps: { notes: { extra: [{ title, body: old }] } },
      };
    },
    check: (w, p) => {
      const n = noteById(w, FIRST);
      return !!n && n.title === p.title && n.body === p.body;
    },
    failed: (w) => noteLost(w),
    plan: (p) => saveNotePlan(p, () => FIRST),
  }),

  // "Create a note titled 'Wedding' with the text 'pay by Friday' and pin it."
  // Order matters: a note can be pinned only after it is saved.
  defineTask<{ title: string; body: string }>({
    id: 'notes.create-pinned',
    apps: ['notes'],
    tags: { suite: SUITE, split: 'held-out-templates', category: 'order-matters' },
    generate: (rng) => {
      const p = newNote(rng);
      return {
        params: p,
        instruction: `Create a note titled '${p.title}' with the text '${p.body}' and pin it.`,
        apps: { notes: { nonePinned: rng.chance(0.5) } },
      };
    },
    check: (w, p) => {
      const n = findNote(w, p.title);
      return !!n && n.body === p.body && n.pinned;
    },
    plan: (p) => [
      ...createNotePlan(p),
      {
        name: 'pin',
        done: (w) => !!findNote(w, p.title)?.pinned,
        act: (w) => ({
          click: { app: 'notes', key: NOTES_KEYS.pin(String(findNote(w, p.title)?.id)) },
        }),
      },
    ],
  }),
];
