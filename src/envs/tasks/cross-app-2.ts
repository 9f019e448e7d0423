// Cross-app tasks between calendar, contacts and notes and the mail and shop apps: read a
// fact in one app, use it in another. Those that touch the calendar are held out with it.
import { click, defineTask, typeInto, visit, type Subgoal } from '../task';
import { appState } from '../world';
import { MAIL_KEYS, SENDERS, addressOf, type MailState } from '../apps/mail';
import { SHOP_KEYS, cap, type ShopState } from '../apps/shop';
import { emailOf, randomPhone } from '../apps/contacts';
import { HOURS, spokenDate } from '../apps/calendar';
import { addContactPlan, contactLost, findContact, personName, viewContact } from './contacts';
import { NOTE_TEXTS, createNotePlan, findNote, noteLost, openNote } from './notes';
import { EVENT_TITLES, createEventPlan, futureDate, hasEvent } from './calendar';
import type { WorldState } from '../types';

const M = (w: WorldState) => appState<MailState>(w, 'mail');
const SUITE = 'cross-app';

/** The message with this subject was opened (read) in Mail. */
function readMail(subject: string): Subgoal {
  const id = (w: WorldState) => M(w).messages.find((m) => m.subject === subject)?.id ?? '';
  return {
    name: `read '${subject}'`,
    done: (w) => M(w).page === 'thread' && M(w).open === id(w),
    act: (w) => ({ click: { app: 'mail', key: MAIL_KEYS.message(id(w)) } }),
    ephemeral: true,
  };
}

/** The email the task reads from was deleted before its fact was used. */
function mailLost(w: WorldState, subject: string): boolean {
  return !M(w).messages.some((m) => m.subject === subject);
}

/** Compose and send an email with this recipient and text (no subject needed). */
function sendMailPlan(to: string, body: string): Subgoal[] {
  const sent = (w: WorldState) => M(w).sent.some((m) => m.to === to && m.body === body);
  const composing = (w: WorldState) => M(w).page === 'compose' && M(w).draft.replyTo === null;
  return [
    visit('compose', 'mail', 'compose', composing),
    typeInto(
      'to',
      'mail',
      'field:to',
      to,
      (w) => sent(w) || (composing(w) && M(w).draft.to === to),
      false,
    ),
    typeInto(
      'text',
      'mail',
      'field:body',
      body,
      (w) => sent(w) || (composing(w) && M(w).draft.body === body),
      false,
    ),
    click('send', 'mail', 'send', sent),
  ];
}

export default [
  // "Email Omar Diaz's phone number to bob@mail.com (just the number as the text)."
  defineTask<{ name: string; phone: string; to: string }>({
    id: 'cross.contact-phone-to-mail',
    apps: ['contacts', 'mail'],
    tags: { suite: SUITE, split: 'train', category: 'cross-app' },
    generate: (rng) => {
      const name = personName(rng);
      const phone = randomPhone(rng);
      const to = addressOf(rng.pick(SENDERS));
      return {
        params: { name, phone, to },
        instruction: `Email ${name}'s phone number to ${to} (just the number as the text).`,
        apps: { contacts: { extra: [{ name, phone, email: emailOf(name) }] } },
      };
    },
    check: (w, p) => M(w).sent.some((m) => m.to === p.to && m.body.includes(p.phone)),
    failed: (w, p) =>
      contactLost(w) && !M(w).sent.some((m) => m.to === p.to && m.body.includes(p.phone)),
    plan: (p) => [viewContact(), ...sendMailPlan(p.to, p.phone)],
  }),

  // "Create a note titled 'Zoe' with Zoe Young's email address as its text."
  defineTask<{ name: string; title: string; email: string }>({
    id: 'cross.contact-email-to-note',
    apps: ['contacts', 'notes'],
    tags: { suite: SUITE, split: 'train', category: 'cross-app' },
    generate: (rng) => {
      const name = personName(rng);
      const email = emailOf(name).replace('@', `${rng.int(1, 99)}@`);
      const title = name.split(' ')[0];
      return {
        params: { name, title, email },
        instruction: `Create a note titled '${title}' with ${name}'s email address as its text.`,
        apps: {
          contacts: { extra: [{ name, phone: randomPhone(rng), email }] },
          notes: { without: [title] },
        },
      };
    },
    check: (w, p) => findNote(w, p.title)?.body === p.email,
    failed: (w, p) => contactLost(w) && findNote(w, p.title)?.body !== p.email,
    plan: (p) => [viewContact(), ...createNotePlan({ title: p.title, body: p.email })],
  }),

  // "Email the text of the note 'Wifi code' to carol@mail.com."
  defineTask<{ title: string; body: string; to: string }>({
    id: 'cross.note-to-mail',
    apps: ['notes', 'mail'],
    tags: { suite: SUITE, split: 'held-out-templates', category: 'cross-app' },
    generate: (rng) => {
      const title = rng.pick(['Wifi code', 'Parking', 'Door code', 'Locker']);
      const body = `${rng.pick(['code', 'spot', 'pin'])} ${rng.int(100, 9999)}`;
      const to = addressOf(rng.pick(SENDERS));
      return {
        params: { title, body, to },
        instruction: `Email the text of the note '${title}' to ${to}.`,
        apps: { notes: { extra: [{ title, body }] } },
      };
    },
    check: (w, p) => M(w).sent.some((m) => m.to === p.to && m.body === p.body),
    failed: (w, p) => noteLost(w) && !M(w).sent.some((m) => m.to === p.to && m.body === p.body),
    plan: (p) => [openNote(), ...sendMailPlan(p.to, p.body)],
  }),

  // "Add Heidi to your contacts as 'Heidi Moss' with the phone number from her email
  // 'New number'." (the number is only in the email)
  defineTask<{ sender: string; name: string; phone: string }>({
    id: 'cross.mail-number-to-contact',
    apps: ['mail', 'contacts'],
    tags: { suite: SUITE, split: 'train', category: 'cross-app' },
    generate: (rng) => {
      const sender = rng.pick(SENDERS);
      const name = `${sender} ${rng.pick(['Moss', 'Hart', 'Stone', 'Wells', 'Brandt'])}`;
      const phone = randomPhone(rng);
      return {
        params: { sender, name, phone },
        instruction: `Add ${sender} to your contacts as '${name}' with the phone number from ${sender}'s email 'New number'.`,
        apps: {
          mail: {
            extra: [
              {
                from: sender,
                subject: 'New number',
                body: `Hi! My new number is ${phone}.`,
                at: rng.int(0, 10),
              },
            ],
          },
          contacts: { without: [name] },
        },
      };
    },
    check: (w, p) => findContact(w, p.name)?.phone === p.phone,
    failed: (w, p) => mailLost(w, 'New number') && findContact(w, p.name)?.phone !== p.phone,
    plan: (p) => [readMail('New number'), ...addContactPlan(p)],
  }),

  // "Find the price of the Retro lamp in Shop and save it in a note titled 'Lamp price'
  // (the text like $42)."
  defineTask<{ product: string; price: number; title: string }>({
    id: 'cross.shop-price-to-note',
    apps: ['shop', 'notes'],
    tags: { suite: SUITE, split: 'train', category: 'cross-app' },
    generate: (rng) => {
      const kind = rng.pick(['lamp', 'chair', 'mug']);
      const names = rng.shuffle(['Retro', 'Nordic', 'Studio', 'Garden']).slice(0, 3);
      const products = names.map((a, i) => ({
        id: `x-${kind}-${i}`,
        name: `${a} ${kind}`,
        kind,
        color: rng.pick(['red', 'blue', 'green'] as const),
        price: rng.int(8, 95),
        sizes: [],
      }));
      const p = rng.pick(products);
      const title = `${cap(kind)} price`;
      return {
        params: { product: p.name, price: p.price, title },
        instruction: `Find the price of the ${p.name} in Shop and save it in a note titled '${title}' (the text like $42).`,
        apps: { shop: { products, exclusive: [kind] }, notes: { without: [title] } },
      };
    },
    check: (w, p) => findNote(w, p.title)?.body === `$${p.price}`,
    plan: (p) => {
      const product = (w: WorldState) =>
        appState<ShopState>(w, 'shop').catalog.find((x) => x.name === p.product)?.id;
      return [
        {
          name: 'see the product',
          done: (w) => {
            const s = appState<ShopState>(w, 'shop');
            return s.page === 'product' && s.product === product(w);
          },
          act: (w) => ({ click: { app: 'shop', key: SHOP_KEYS.product(String(product(w))) } }),
          ephemeral: true,
        },
        ...createNotePlan({ title: p.title, body: `$${p.price}` }),
      ];
    },
  }),

  // "Carol's latest email proposes a meeting. Add it to the calendar as 'Meeting with Carol'
  // at the date and time she proposes."
  defineTask<{ sender: string; title: string; date: string; time: string }>({
    id: 'cross.mail-date-to-calendar',
    apps: ['mail', 'calendar'],
    tags: { suite: SUITE, split: 'held-out-apps', category: 'cross-app' },
    generate: (rng) => {
      const sender = rng.pick(SENDERS);
      const date = futureDate(rng);
      const time = `${rng.pick(HOURS)}:00`;
      return {
        params: { sender, title: `Meeting with ${sender}`, date, time },
        instruction: `${sender}'s latest email proposes a meeting. Add it to the calendar as 'Meeting with ${sender}' at the date and time proposed.`,
        apps: {
          mail: {
            extra: [
              {
                from: sender,
                subject: 'Next meeting',
                body: `How about ${spokenDate(date)} at ${time}?`,
                at: 0,
              },
            ],
          },
        },
      };
    },
    check: (w, p) => hasEvent(w, p.title, p.date, p.time),
    failed: (w, p) => mailLost(w, 'Next meeting') && !hasEvent(w, p.title, p.date, p.time),
    plan: (p) => [readMail('Next meeting'), ...createEventPlan(p)],
  }),

  // "Save the text of Bob's email 'Vet visit info' in a new note titled 'Vet visit info'."
  defineTask<{ sender: string; title: string; body: string }>({
    id: 'cross.mail-to-note',
    apps: ['mail', 'notes'],
    tags: { suite: SUITE, split: 'train', category: 'cross-app' },
    generate: (rng) => {
      const sender = rng.pick(SENDERS);
      const title = rng.pick(EVENT_TITLES.slice(0, 6)) + ' info';
      const body = rng.pick(NOTE_TEXTS);
      return {
        params: { sender, title, body },
        instruction: `Save the text of ${sender}'s email '${title}' in a new note titled '${title}'.`,
        apps: {
          mail: { extra: [{ from: sender, subject: title, body, at: rng.int(0, 14) }] },
          notes: { without: [title] },
        },
      };
    },
    check: (w, p) => findNote(w, p.title)?.body === p.body,
    failed: (w, p) => mailLost(w, p.title) && findNote(w, p.title)?.body !== p.body,
    plan: (p) => [readMail(p.title), ...createNotePlan({ title: p.title, body: p.body })],
  }),
];
