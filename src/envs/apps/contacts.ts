// Contacts: an alphabetical list with letter headers that runs past the screen, a search
// field, a detail page, an editor (name, phone, email) and a delete behind a confirm dialog.
// Favourites show only as a yellow star (pixels): the element text never says so.
import type { Rng } from '../../rng';
import { defineApp, fail } from '../app';
import { Column, iconButton, image, dialog } from '../ui';
import type { ColorName, UiNode } from '../types';

export interface Contact {
  id: string;
  name: string;
  phone: string;
  email: string;
  favourite: boolean;
}

/** The contact being created (id null) or edited. */
export interface ContactDraft {
  id: string | null;
  name: string;
  phone: string;
  email: string;
}

export interface ContactsState {
  page: 'list' | 'detail' | 'edit';
  open: string | null;
  query: string;
  draft: ContactDraft | null;
  /** The delete dialog is showing (for the open contact). */
  confirm: boolean;
  contacts: Contact[];
  /** Ids of deleted contacts: deleting cannot be undone. */
  deleted: string[];
  nextId: number;
}

export interface ContactsOptions {
  /** Contacts to add, with ids c1, c2, ... (a filler contact of the same name is dropped). */
  extra?: (Omit<Contact, 'id' | 'favourite'> & { favourite?: boolean })[];
  /** Names that must not exist. */
  without?: string[];
  /** Exactly these are favourites (else a few at random). */
  favourites?: string[];
  /** Filler contacts (default 18). */
  filler?: number;
}

export const FIRST_NAMES = [
  'Aaron',
  'Alice',
  'Amir',
  'Bella',
  'Bruno',
  'Chen',
  'Chloe',
  'Diego',
  'Elena',
  'Farah',
  'Felix',
  'Gina',
  'Hana',
  'Igor',
  'Jonas',
  'Kira',
  'Leo',
  'Lina',
  'Marco',
  'Maya',
  'Nadia',
  'Noah',
  'Olga',
  'Omar',
  'Paula',
  'Quinn',
  'Rosa',
  'Sam',
  'Tara',
  'Uma',
  'Victor',
  'Wendy',
  'Yusuf',
  'Zoe',
];
export const LAST_NAMES = [
  'Adams',
  'Brooks',
  'Cole',
  'Diaz',
  'Evans',
  'Ford',
  'Gray',
  'Hill',
  'Ito',
  'Jensen',
  'Khan',
  'Lee',
  'Moss',
  'Novak',
  'Ortiz',
  'Park',
  'Reed',
  'Silva',
  'Tan',
  'Young',
];
const AVATAR_COLORS: ColorName[] = ['teal', 'purple', 'orange', 'green', 'pink', 'blue'];

export function emailOf(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@mail.com`;
}

export function randomPhone(rng: Rng): string {
  return `555-${rng.int(1000, 9999)}`;
}

function sortByName(list: Contact[]): Contact[] {
  return [...list].sort((a, b) => a.name.localeCompare(b.name));
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((w) => w[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
}

function avatarColor(name: string): ColorName {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return AVATAR_COLORS[h % AVATAR_COLORS.length];
}

function listed(s: ContactsState): Contact[] {
  const q = s.query.trim().toLowerCase();
  return q ? s.contacts.filter((c) => c.name.toLowerCase().includes(q)) : s.contacts;
}

function validate(d: ContactDraft, s: ContactsState): string | undefined {
  const name = d.name.trim();
  if (!name) return 'the contact needs a name';
  if (!d.phone.trim() && !d.email.trim()) return 'add a phone number or an email';
  if (d.phone.trim() && !/^\+?[0-9][0-9 ()-]{2,19}$/.test(d.phone.trim()))
    return 'the phone number is not valid';
  if (d.email.trim() && !/^[^@\s]+@[^@\s]+\.[a-z]+$/.test(d.email.trim()))
    return 'the email address is not valid';
  if (s.contacts.some((c) => c.id !== d.id && c.name.toLowerCase() === name.toLowerCase()))
    return `a contact named ${name} exists`;
  return undefined;
}

export default defineApp<ContactsState>({
  name: 'contacts',
  label: 'Contacts',
  icon: 'person',
  color: 'teal',
  platforms: ['mobile'],
  ui: ['page', 'open', 'query', 'draft', 'confirm'],
  init(rng: Rng, options) {
    const o = (options ?? {}) as ContactsOptions;
    const drop = new Set([...(o.without ?? []), ...(o.extra ?? []).map((e) => e.name)]);
    // Added contacts come first, so the i-th one always has the id `c${i + 1}`.
    const list: Omit<Contact, 'id'>[] = (o.extra ?? []).map((e) => ({ favourite: false, ...e }));
    const taken = new Set<string>();
    for (const first of rng.shuffle(FIRST_NAMES).slice(0, o.filler ?? 18)) {
      const name = `${first} ${rng.pick(LAST_NAMES)}`;
      if (drop.has(name) || taken.has(first)) continue;
      taken.add(first);
      list.push({
        name,
        phone: randomPhone(rng),
        email: emailOf(name),
        favourite: rng.chance(0.15),
      });
    }
    if (o.favourites) for (const c of list) c.favourite = o.favourites.includes(c.name);
    const contacts = sortByName(list.map((c, i) => ({ ...c, id: `c${i + 1}` })));
    return {
      page: 'list',
      open: null,
      query: '',
      draft: null,
      confirm: false,
      contacts,
      deleted: [],
      nextId: list.length + 1,
    };
  },
  view(s, ctx) {
    const W = ctx.width;
    if (s.page === 'edit' && s.draft) {
      const col = new Column(W, 2);
      col.field('field:name', 'Name', s.draft.name);
      col.field('field:phone', 'Phone', s.draft.phone);
      col.field('field:email', 'Email', s.draft.email);
      col.gap(6).button('save', 'Save', { icon: 'check' });
      return {
        screen: 'edit',
        title: s.draft.id ? 'Edit contact' : 'New contact',
        body: col.nodes,
      };
    }
    const c = s.contacts.find((x) => x.id === s.open);
    if (s.page === 'detail' && c) {
      const bar: UiNode[] = [
        // The star's colour is the only sign of a favourite.
        iconButton(`fav:${c.id}`, 'star', W - 16, 2, {
          text: 'Favourite',
          color: c.favourite ? 'yellow' : 'grey',
        }),
      ];
      const col = new Column(W, 4);
      col.push(
        image(
          'avatar',
          { x: Math.floor(W / 2) - 16, y: col.y, w: 32, h: 32 },
          avatarColor(c.name),
          {
            imageText: initials(c.name),
          },
        ),
        36,
      );
      const nameW = c.name.length * 12;
      col.text('name', c.name, {
        scale: nameW <= col.inner ? 2 : 1,
        box: {
          x: Math.max(4, Math.floor((W - Math.min(nameW, col.inner)) / 2)),
          y: col.y,
          w: Math.min(nameW, col.inner),
          h: 18,
        },
      });
      col.gap(4);
      if (c.phone) col.item('phone', c.phone, { icon: 'phone', clickable: false });
      if (c.email) col.item('email', c.email, { icon: 'mail', clickable: false });
      col.gap(6).buttons([
        { key: `edit:${c.id}`, text: 'Edit' },
        { key: `delete:${c.id}`, text: 'Delete', tone: 'danger' },
      ]);
      const view = {
        screen: `detail:${c.id}`,
        title: 'Contact',
        bar,
        barHeight: 15,
        body: col.nodes,
      };
      if (!s.confirm) return view;
      return {
        ...view,
        dialog: dialog('dialog:delete', 'Delete contact?', W, ctx.height, (d) => {
          d.text('who', c.name, { muted: true });
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
        text: 'Search contacts',
        value: s.query,
        box: { x: 4, y: 2, w: W - 8, h: 13 },
      },
    ];
    const col = new Column(W, 2);
    const list = listed(s);
    if (!list.length) col.text('empty', 'No contacts found', { muted: true });
    let letter = '';
    for (const x of list) {
      if (!s.query.trim() && x.name[0] !== letter) {
        letter = x.name[0];
        col.push({ key: `letter:${letter}`, role: 'text', text: letter, muted: true }, 9);
      }
      col.item(`contact:${x.id}`, x.name, {
        icon: x.favourite ? 'star' : 'person',
        context: x.name,
      });
    }
    const bottom: UiNode[] = [
      {
        key: 'count',
        role: 'text',
        text: `${s.contacts.length} contacts`,
        muted: true,
        box: { x: 4, y: 5, w: 70, h: 9 },
      },
      {
        key: 'new',
        role: 'button',
        text: 'New',
        icon: 'plus',
        tone: 'primary',
        box: { x: W - 44, y: 3, w: 40, h: 12 },
      },
    ];
    return {
      screen: s.query.trim() ? 'list:search' : 'list',
      title: 'Contacts',
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
      const d = s.draft;
      if (!d || s.page !== 'edit') return s;
      const field = key.slice(6);
      if (field !== 'name' && field !== 'phone' && field !== 'email') return s;
      return { ...s, draft: { ...d, [field]: ev.text.slice(0, 30) } };
    }
    if (ev.kind !== 'click') return s;
    if (key.startsWith('contact:'))
      return { ...s, page: 'detail', open: key.slice(8), confirm: false };
    if (key === 'new')
      return { ...s, page: 'edit', draft: { id: null, name: '', phone: '', email: '' } };
    const id = key.slice(key.indexOf(':') + 1);
    const c = s.contacts.find((x) => x.id === id);
    if (key.startsWith('fav:') && c)
      return {
        ...s,
        contacts: s.contacts.map((x) => (x === c ? { ...x, favourite: !x.favourite } : x)),
      };
    if (key.startsWith('edit:') && c)
      return {
        ...s,
        page: 'edit',
        draft: { id: c.id, name: c.name, phone: c.phone, email: c.email },
      };
    if (key.startsWith('delete:') && c) return { ...s, confirm: true };
    if (key === 'confirm:cancel') return { ...s, confirm: false };
    if (key === 'confirm:delete' && s.open) {
      return {
        ...s,
        contacts: s.contacts.filter((x) => x.id !== s.open),
        deleted: [...s.deleted, s.open],
        page: 'list',
        open: null,
        confirm: false,
      };
    }
    if (key === 'save' && s.draft) {
      const d = s.draft;
      const error = validate(d, s);
      if (error) return fail(s, error);
      const fields = { name: d.name.trim(), phone: d.phone.trim(), email: d.email.trim() };
      if (d.id === null) {
        const id = `c${s.nextId}`;
        const contacts = sortByName([...s.contacts, { id, ...fields, favourite: false }]);
        return { ...s, contacts, nextId: s.nextId + 1, page: 'detail', open: id, draft: null };
      }
      const contacts = sortByName(s.contacts.map((x) => (x.id === d.id ? { ...x, ...fields } : x)));
      return { ...s, contacts, page: 'detail', open: d.id, draft: null };
    }
    return s;
  },
  back(s) {
    if (s.confirm) return { ...s, confirm: false };
    if (s.page === 'edit') {
      const to = s.draft?.id && s.contacts.some((c) => c.id === s.draft?.id) ? 'detail' : 'list';
      return {
        ...s,
        page: to,
        open: to === 'detail' ? (s.draft?.id ?? null) : s.open,
        draft: null,
      };
    }
    if (s.page === 'detail') return { ...s, page: 'list', open: null };
    if (s.query) return { ...s, query: '' };
    return undefined;
  },
});
