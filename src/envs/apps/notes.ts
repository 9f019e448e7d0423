// Notes: a searchable list (pinned notes first, marked only by a yellow swatch: pixels), an
// editor with a title and a text field that saves with a button (back discards the draft),
// a pin star and a delete that asks first. A new note can be pinned only once it is saved.
import type { Rng } from '../../rng';
import { defineApp, fail } from '../app';
import { Column, dialog, iconButton } from '../ui';
import type { UiNode } from '../types';

/** Node keys of the notes app that carry a note; its tasks click these (update() reads them back). */
export const NOTES_KEYS = {
  pin: (ref: string) => `pin:${ref}`,
};

export interface Note {
  id: string;
  title: string;
  body: string;
  pinned: boolean;
}

export interface NotesState {
  page: 'list' | 'edit';
  /** Note being edited, or null for a new one. */
  open: string | null;
  query: string;
  /** Unsaved contents of the editor. */
  draft: { title: string; body: string } | null;
  /** The delete dialog is showing (for the open note). */
  confirm: boolean;
  /** Newest first. */
  notes: Note[];
  /** Ids of deleted notes: deleting cannot be undone. */
  deleted: string[];
  nextId: number;
}

export interface NotesOptions {
  /** Notes to add, with ids n1, n2, ..., placed at `at` in the list (else at random). */
  extra?: { title: string; body: string; pinned?: boolean; at?: number }[];
  /** Titles that must not exist. */
  without?: string[];
  /** No filler note is pinned. */
  nonePinned?: boolean;
}

export const FILLER_NOTES: [string, string][] = [
  ['Groceries', 'milk, eggs, bread, apples'],
  ['Packing list', 'socks, charger, passport'],
  ['Books to read', 'Dune, Emma, Ulysses'],
  ['Gift ideas', 'scarf for mom, lego for Sam'],
  ['Recipes', 'pancakes: flour, milk, eggs'],
  ['Meeting notes', 'ship v2 by Friday'],
  ['Workout plan', 'Mon legs, Wed arms, Fri run'],
  ['Movies', 'Alien, Up, Heat'],
  ['Garden', 'water tomatoes daily'],
  ['Ideas', 'a bike trip along the coast'],
  ['Car', 'oil change at 90000 km'],
  ['Quotes', 'less is more'],
  ['Travel', 'visa for Japan, book hotel'],
  ['Bills', 'rent on the 1st, power on the 15th'],
  ['Kids school', 'trip form due Monday'],
  ['Podcasts', 'Radiolab, Planet Money'],
  ['Plants', 'repot the fern in spring'],
  ['Work todo', 'slides, expenses, review'],
];

function ordered(notes: Note[]): Note[] {
  return [...notes.filter((n) => n.pinned), ...notes.filter((n) => !n.pinned)];
}

function listed(s: NotesState): Note[] {
  const q = s.query.trim().toLowerCase();
  const all = ordered(s.notes);
  if (!q) return all;
  return all.filter((n) => n.title.toLowerCase().includes(q) || n.body.toLowerCase().includes(q));
}

export default defineApp<NotesState>({
  name: 'notes',
  label: 'Notes',
  icon: 'note',
  color: 'yellow',
  platforms: ['mobile'],
  ui: ['page', 'open', 'query', 'draft', 'confirm'],
  init(rng: Rng, options) {
    const o = (options ?? {}) as NotesOptions;
    const drop = new Set([...(o.without ?? []), ...(o.extra ?? []).map((e) => e.title)]);
    const extra = o.extra ?? [];
    // Added notes get the ids n1, n2, ... wherever they are placed.
    const list: Note[] = rng
      .shuffle(FILLER_NOTES)
      .filter(([title]) => !drop.has(title) && rng.chance(0.85))
      .map(([title, body], i) => ({
        id: `n${extra.length + i + 1}`,
        title,
        body,
        pinned: !o.nonePinned && rng.chance(0.12),
      }));
    extra.forEach((e, i) => {
      const { at, ...n } = e;
      const pos = Math.min(at ?? rng.int(0, list.length), list.length);
      list.splice(pos, 0, { id: `n${i + 1}`, pinned: false, ...n });
    });
    return {
      page: 'list',
      open: null,
      query: '',
      draft: null,
      confirm: false,
      notes: list,
      deleted: [],
      nextId: list.length + 1,
    };
  },
  view(s, ctx) {
    const W = ctx.width;
    if (s.page === 'edit' && s.draft) {
      const note = s.notes.find((n) => n.id === s.open);
      const ref = note?.id ?? 'new';
      // The star's colour is the only sign that a note is pinned.
      const bar: UiNode[] = [
        iconButton(NOTES_KEYS.pin(ref), 'star', W - 30, 2, {
          text: 'Pin',
          color: note?.pinned ? 'yellow' : 'grey',
          enabled: !!note,
        }),
        iconButton(`delete:${ref}`, 'trash', W - 16, 2, { text: 'Delete', enabled: !!note }),
      ];
      const col = new Column(W, 2);
      col.field('field:title', 'Title', s.draft.title);
      col.field('field:body', 'Text', s.draft.body);
      col.gap(6).button('save', 'Save', { icon: 'check' });
      const view = {
        screen: `edit:${ref}`,
        title: note ? 'Note' : 'New note',
        bar,
        barHeight: 15,
        body: col.nodes,
      };
      if (!s.confirm || !note) return view;
      return {
        ...view,
        dialog: dialog('dialog:delete', 'Delete note?', W, ctx.height, (d) => {
          d.text('what', note.title, { muted: true });
          d.text('warn', 'It cannot be undone.', { muted: true });
          d.gap(2).buttons([
            { key: 'confirm:cancel', text: 'Cancel', tone: 'plain' },
            { key: 'confirm:delete', text: 'Delete', tone: 'danger' },
          ]);
        }),
      };
    }
    const bar: UiNode[] = [
      {
        key: 'field:search',
        role: 'textfield',
        text: 'Search notes',
        value: s.query,
        box: { x: 4, y: 2, w: W - 8, h: 13 },
      },
    ];
    const col = new Column(W, 2);
    const list = listed(s);
    if (!list.length)
      col.text('empty', s.query.trim() ? 'No matching notes' : 'No notes yet', { muted: true });
    for (const n of list) {
      col.item(`note:${n.id}`, n.title, {
        icon: 'note',
        context: n.title,
        ...(n.pinned ? { color: 'yellow' as const } : {}),
      });
    }
    const bottom: UiNode[] = [
      {
        key: 'new',
        role: 'button',
        text: 'New note',
        icon: 'plus',
        tone: 'primary',
        box: { x: W - 66, y: 3, w: 62, h: 12 },
      },
    ];
    return {
      screen: s.query.trim() ? 'list:search' : 'list',
      title: 'Notes',
      bar,
      barHeight: 17,
      body: col.nodes,
      bottom,
      bottomHeight: 18,
    };
  },
  on(s, ev) {
    const key = ev.key;
    if (ev.kind === 'type') {
      if (key === 'field:search') return { ...s, query: ev.text.slice(0, 24) };
      if (!s.draft || s.page !== 'edit') return s;
      if (key === 'field:title')
        return { ...s, draft: { ...s.draft, title: ev.text.slice(0, 30) } };
      if (key === 'field:body') return { ...s, draft: { ...s.draft, body: ev.text.slice(0, 60) } };
      return s;
    }
    if (ev.kind !== 'click') return s;
    if (key.startsWith('note:')) {
      const n = s.notes.find((x) => x.id === key.slice(5));
      if (!n) return s;
      return {
        ...s,
        page: 'edit',
        open: n.id,
        draft: { title: n.title, body: n.body },
        confirm: false,
      };
    }
    if (key === 'new')
      return { ...s, page: 'edit', open: null, draft: { title: '', body: '' }, confirm: false };
    const note = s.notes.find((n) => n.id === s.open);
    if (key.startsWith('pin:')) {
      if (!note) return fail(s, 'save the note before pinning it');
      return { ...s, notes: s.notes.map((n) => (n === note ? { ...n, pinned: !n.pinned } : n)) };
    }
    if (key.startsWith('delete:') && note) return { ...s, confirm: true };
    if (key === 'confirm:cancel') return { ...s, confirm: false };
    if (key === 'confirm:delete' && note) {
      return {
        ...s,
        notes: s.notes.filter((n) => n !== note),
        deleted: [...s.deleted, note.id],
        page: 'list',
        open: null,
        draft: null,
        confirm: false,
      };
    }
    if (key === 'save' && s.draft) {
      const title = s.draft.title.trim();
      const body = s.draft.body.trim();
      if (!title) return fail(s, 'the note needs a title');
      if (!note) {
        const id = `n${s.nextId}`;
        const notes = [{ id, title, body, pinned: false }, ...s.notes];
        return { ...s, notes, nextId: s.nextId + 1, open: id, draft: { title, body } };
      }
      const notes = s.notes.map((n) => (n === note ? { ...n, title, body } : n));
      return { ...s, notes, draft: { title, body } };
    }
    return s;
  },
  back(s) {
    if (s.confirm) return { ...s, confirm: false };
    if (s.page === 'edit') return { ...s, page: 'list', open: null, draft: null };
    if (s.query) return { ...s, query: '' };
    return undefined;
  },
});
