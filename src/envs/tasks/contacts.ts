// Contacts tasks.
import type { Rng } from '../../rng';
import { answer, click, defineTask, sameAnswer, typeInto, visit, type Subgoal } from '../task';
import { appState } from '../world';
import {
  FIRST_NAMES,
  LAST_NAMES,
  emailOf,
  randomPhone,
  type Contact,
  type ContactsState,
} from '../apps/contacts';
import type { WorldState } from '../types';

const K = (w: WorldState) => appState<ContactsState>(w, 'contacts');
const SUITE = 'mobile-online';

export function findContact(w: WorldState, name: string): Contact | undefined {
  return K(w).contacts.find((c) => c.name === name);
}

/** A full name; late initials put it far down the alphabetical list. */
export function personName(rng: Rng, late = false): string {
  const firsts = late ? FIRST_NAMES.filter((f) => f >= 'P') : FIRST_NAMES;
  return `${rng.pick(firsts)} ${rng.pick(LAST_NAMES)}`;
}

/** Contacts a task adds get the ids c1, c2, ... (see ContactsOptions.extra). */
export const FIRST = 'c1';

export function contactById(w: WorldState, id: string): Contact | undefined {
  return K(w).contacts.find((c) => c.id === id);
}

/** A task's contact was deleted: it cannot come back. */
export function contactLost(w: WorldState, id = FIRST): boolean {
  return K(w).deleted.includes(id);
}

/** The detail page of a contact is showing (a stepping stone). */
export function viewContact(id = FIRST): Subgoal {
  return visit('view contact', 'contacts', `contact:${id}`, (w) => {
    const s = K(w);
    return s.page === 'detail' && s.open === id;
  });
}

/** The editor's draft while it edits this contact (or a new one, for id null). */
function draftFor(w: WorldState, id: string | null | undefined) {
  const s = K(w);
  return s.page === 'edit' && s.draft && id !== undefined && s.draft.id === id ? s.draft : null;
}

/**
 * Save a contact with these fields, editing `target(w)` (an id) or creating one (null).
 * Every field is a subgoal, so a detour that mangled one (a bad email) is repaired first.
 */
export function saveContactPlan(
  want: { name: string; phone: string; email: string },
  target: (w: WorldState) => string | null,
): Subgoal[] {
  const saved = (w: WorldState) => {
    const id = target(w);
    const c = id ? contactById(w, id) : undefined;
    return !!c && c.name === want.name && c.phone === want.phone && c.email === want.email;
  };
  const draft = (w: WorldState) => draftFor(w, target(w));
  const field = (name: 'name' | 'phone' | 'email') =>
    typeInto(
      name,
      'contacts',
      `field:${name}`,
      want[name],
      (w) => saved(w) || draft(w)?.[name] === want[name],
      false,
    );
  return [
    {
      name: 'open the editor',
      done: (w) => !!draft(w),
      act: (w) => {
        const id = target(w);
        return { click: { app: 'contacts', key: id ? `edit:${id}` : 'new' } };
      },
      ephemeral: true,
    },
    field('name'),
    field('phone'),
    field('email'),
    click('save', 'contacts', 'save', saved),
  ];
}

/** The id of the contact with this name, or null (a new contact). */
function byName(name: string) {
  return (w: WorldState) => findContact(w, name)?.id ?? null;
}

/** Add a contact with a name and phone (no email), or fix the one already added. */
export function addContactPlan(p: { name: string; phone: string }): Subgoal[] {
  return saveContactPlan({ ...p, email: '' }, byName(p.name));
}

export default [
  // "Add a contact named 'Quinn Moss' with the phone number 555-0142."
  defineTask<{ name: string; phone: string }>({
    id: 'contacts.add',
    apps: ['contacts'],
    tags: { suite: SUITE, split: 'train', category: 'form' },
    generate: (rng) => {
      const p = { name: personName(rng), phone: randomPhone(rng) };
      return {
        params: p,
        instruction: `Add a contact named '${p.name}' with the phone number ${p.phone}.`,
        apps: { contacts: { without: [p.name] } },
      };
    },
    check: (w, p) => findContact(w, p.name)?.phone === p.phone,
    plan: addContactPlan,
  }),

  // "Mark Tara Young as a favourite." (near the end of the list)
  defineTask<{ name: string }>({
    id: 'contacts.favourite',
    apps: ['contacts'],
    tags: { suite: SUITE, split: 'train', category: 'target-off-screen' },
    generate: (rng) => {
      const name = personName(rng, true);
      return {
        params: { name },
        instruction: `Mark ${name} as a favourite.`,
        apps: {
          contacts: {
            extra: [{ name, phone: randomPhone(rng), email: emailOf(name), favourite: false }],
          },
        },
      };
    },
    check: (w) => !!contactById(w, FIRST)?.favourite,
    failed: (w) => contactLost(w),
    plan: () => [
      click('star', 'contacts', `fav:${FIRST}`, (w) => !!contactById(w, FIRST)?.favourite),
    ],
  }),

  // "Change Omar Diaz's phone number to 555-0199."
  defineTask<{ name: string; phone: string; email: string }>({
    id: 'contacts.edit-phone',
    apps: ['contacts'],
    tags: { suite: SUITE, split: 'train', category: 'basic' },
    generate: (rng) => {
      const name = personName(rng);
      const phone = randomPhone(rng);
      const email = emailOf(name);
      return {
        params: { name, phone, email },
        instruction: `Change ${name}'s phone number to ${phone}.`,
        apps: { contacts: { extra: [{ name, phone: randomPhone(rng), email }] } },
      };
    },
    check: (w, p) => {
      const c = contactById(w, FIRST);
      return !!c && c.name === p.name && c.phone === p.phone && c.email === p.email;
    },
    failed: (w) => contactLost(w),
    plan: (p) => saveContactPlan(p, () => FIRST),
  }),

  // "Delete the contact Maya Lee." (Maya Lin is in the list too; no undo)
  defineTask<{ name: string; decoy: string }>({
    id: 'contacts.delete',
    apps: ['contacts'],
    tags: { suite: SUITE, split: 'train', category: 'irreversible' },
    generate: (rng) => {
      const first = rng.pick(FIRST_NAMES);
      const [last, other] = rng.shuffle(LAST_NAMES);
      const name = `${first} ${last}`;
      const decoy = `${first} ${other}`;
      const person = (n: string) => ({ name: n, phone: randomPhone(rng), email: emailOf(n) });
      return {
        params: { name, decoy },
        instruction: `Delete the contact ${name}.`,
        apps: { contacts: { extra: [person(name), person(decoy)] } },
      };
    },
    // The look-alike (c2) must survive: no other contact may be deleted.
    check: (w) => K(w).deleted.length === 1 && contactLost(w),
    failed: (w) => K(w).deleted.some((id) => id !== FIRST),
    plan: () => [
      viewContact(),
      visit('delete', 'contacts', `delete:${FIRST}`, (w) => K(w).confirm && K(w).open === FIRST),
      click('confirm', 'contacts', 'confirm:delete', (w) => contactLost(w)),
    ],
  }),

  // "Which contact is your only favourite? Answer with the full name." (the star is pixels only)
  defineTask<{ name: string }>({
    id: 'contacts.which-favourite',
    apps: ['contacts'],
    tags: { suite: SUITE, split: 'held-out-templates', category: 'info' },
    generate: (rng) => {
      const name = personName(rng);
      return {
        params: { name },
        instruction: 'Which contact is your only favourite? Answer with the full name.',
        apps: {
          contacts: {
            extra: [{ name, phone: randomPhone(rng), email: emailOf(name) }],
            favourites: [name],
          },
        },
      };
    },
    check: (w, p) => sameAnswer(w.answer, p.name),
    failed: (w, p) => contactLost(w) && !sameAnswer(w.answer, p.name),
    plan: (p) => [viewContact(), answer(p.name)],
  }),

  // "Save 555-0142 as Nora Quinn's phone number; add her if she is not in your contacts."
  // Whether she exists decides the path: edit her, or create her (a duplicate is refused).
  defineTask<{ name: string; phone: string; exists: boolean }>({
    id: 'contacts.upsert',
    apps: ['contacts'],
    tags: { suite: SUITE, split: 'train', category: 'early-choice' },
    generate: (rng) => {
      const name = personName(rng);
      const phone = randomPhone(rng);
      const exists = rng.chance(0.5);
      const extra = [{ name, phone: randomPhone(rng), email: emailOf(name) }];
      return {
        params: { name, phone, exists },
        instruction: `Save ${phone} as ${name}'s phone number; add ${name.split(' ')[0]} if missing from your contacts.`,
        apps: { contacts: exists ? { extra } : { without: [name] } },
      };
    },
    check: (w, p) => findContact(w, p.name)?.phone === p.phone,
    // Edit the existing contact (keeping its email), else create one.
    plan: (p) =>
      saveContactPlan(
        { name: p.name, phone: p.phone, email: p.exists ? emailOf(p.name) : '' },
        (w) => (p.exists && !contactLost(w) ? FIRST : (findContact(w, p.name)?.id ?? null)),
      ),
  }),
];
