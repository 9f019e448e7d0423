// Mail: an inbox that runs past the screen, threads (reply, star, delete behind a confirm),
// and a compose form. Some messages carry their key fact inside an image (pixels only).
import type { Rng } from '../../rng';
import { defineApp, fail } from '../app';
import { Column, dialog, iconButton, image } from '../ui';
import type { UiNode } from '../types';

/** Node keys of the mail app that carry an id; its tasks click these (update() reads them back). */
export const MAIL_KEYS = {
  message: (id: string) => `msg:${id}`,
  star: (id: string) => `star:${id}`,
};

export interface Message {
  id: string;
  from: string;
  subject: string;
  body: string;
  starred: boolean;
  /** Text drawn inside an attached image (not in the element text). */
  imageText?: string;
}

export interface SentMail {
  to: string;
  subject: string;
  body: string;
}

export interface Draft {
  to: string;
  subject: string;
  body: string;
  /** Message being replied to. */
  replyTo: string | null;
}

export interface MailState {
  page: 'inbox' | 'thread' | 'compose';
  tab: 'Inbox' | 'Starred' | 'Sent';
  open: string | null;
  /** Opened messages (what the user has seen). */
  readIds: string[];
  draft: Draft;
  /** Message awaiting delete confirmation. */
  confirm: string | null;
  messages: Message[];
  sent: SentMail[];
}

export interface MailOptions {
  /** Messages to add; `at` is the inbox position (else random). */
  extra?: (Omit<Message, 'id' | 'starred'> & { at?: number; starred?: boolean })[];
  /** Filler messages (default 16). */
  filler?: number;
}

export const SENDERS = [
  'Alice',
  'Bob',
  'Carol',
  'Dan',
  'Erin',
  'Frank',
  'Grace',
  'Heidi',
  'Ivan',
  'Judy',
];
const FILLER_SUBJECTS = [
  'Lunch on Friday?',
  'Weekly update',
  'Photos from the trip',
  'Team meeting',
  'Quick question',
  'Weekend plans',
  'Newsletter',
  'Book club',
  'Re: slides',
  'Parking permit',
  'Gym schedule',
  'Holiday list',
  'Recipe',
  'Car repair',
];
const FILLER_BODIES = [
  'See you there.',
  'Let me know what you think.',
  'Thanks a lot!',
  'Details inside.',
  'Call me later.',
];

export function addressOf(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@mail.com`;
}

export function emptyDraft(): Draft {
  return { to: '', subject: '', body: '', replyTo: null };
}

function fillerMessage(rng: Rng): Omit<Message, 'id'> {
  return {
    from: rng.pick(SENDERS),
    subject: rng.pick(FILLER_SUBJECTS),
    body: rng.pick(FILLER_BODIES),
    starred: rng.chance(0.15),
  };
}

/** Messages as the current tab lists them. */
function listed(s: MailState): Message[] {
  return s.tab === 'Starred' ? s.messages.filter((m) => m.starred) : s.messages;
}

export default defineApp<MailState>({
  name: 'mail',
  label: 'Mail',
  icon: 'mail',
  color: 'blue',
  platforms: ['mobile', 'desktop'],
  ui: ['page', 'tab', 'open', 'readIds', 'draft', 'confirm'],
  init(rng, options) {
    const o = (options ?? {}) as MailOptions;
    const list: Omit<Message, 'id'>[] = [];
    for (let i = 0; i < (o.filler ?? 16); i++) list.push(fillerMessage(rng));
    for (const e of o.extra ?? []) {
      const { at, ...m } = e;
      const pos = at ?? rng.int(0, list.length);
      list.splice(Math.min(pos, list.length), 0, { starred: false, ...m });
    }
    return {
      page: 'inbox',
      tab: 'Inbox',
      open: null,
      readIds: [],
      draft: emptyDraft(),
      confirm: null,
      messages: list.map((m, i) => ({ ...m, id: `m${i + 1}` })),
      sent: [],
    };
  },
  view(s, ctx) {
    if (s.page === 'thread') {
      const m = s.messages.find((x) => x.id === s.open);
      const col = new Column(ctx.width, 2);
      if (m) {
        col.text('subject', m.subject);
        col.text('from', `From: ${m.from}`, { muted: true });
        col.gap(2).paragraph('body', m.body);
        if (m.imageText) {
          col.gap(2);
          col.push(
            {
              ...image('attachment', { x: 4, y: col.y, w: 80, h: 28 }, 'teal', {
                imageText: m.imageText,
              }),
            },
            30,
          );
        }
        col.gap(4).buttons([
          { key: 'reply', text: 'Reply' },
          { key: 'delete', text: 'Delete', tone: 'danger' },
        ]);
      }
      const bar: UiNode[] = m
        ? [
            iconButton('star', 'star', ctx.width - 14, 2, {
              checked: m.starred,
              text: m.starred ? 'Unstar' : 'Star',
            }),
          ]
        : [];
      const view = { screen: 'thread', title: 'Mail', bar, barHeight: 15, body: col.nodes };
      if (s.confirm) {
        return {
          ...view,
          dialog: dialog('dialog:delete', 'Delete email?', ctx.width, ctx.height, (d) => {
            d.text('warn', 'This cannot be undone.', { muted: true });
            d.gap(2).buttons([
              { key: 'confirm:cancel', text: 'Cancel', tone: 'plain' },
              { key: 'confirm:delete', text: 'Delete', tone: 'danger' },
            ]);
          }),
        };
      }
      return view;
    }
    if (s.page === 'compose') {
      const col = new Column(ctx.width, 2);
      col.field('field:to', 'To', s.draft.to);
      col.field('field:subject', 'Subject', s.draft.subject);
      col.field('field:body', 'Message', s.draft.body);
      col.gap(4).button('send', 'Send', { icon: 'share' });
      return { screen: 'compose', title: s.draft.replyTo ? 'Reply' : 'New email', body: col.nodes };
    }
    const bar = new Column(ctx.width, 1);
    bar.tabs('tab', ['Inbox', 'Starred', 'Sent'], s.tab);
    const col = new Column(ctx.width, 2);
    if (s.tab === 'Sent') {
      s.sent.forEach((m, i) =>
        col.item(`sent:${i}`, `To ${m.to}: ${m.subject}`, { clickable: false }),
      );
      if (!s.sent.length) col.text('empty', 'Nothing sent yet', { muted: true });
    } else {
      for (const m of listed(s)) {
        const label = `${m.from}: ${m.subject}`;
        const row = col.item(MAIL_KEYS.message(m.id), label, { context: label });
        row.box = { ...row.box, w: row.box.w - 14 };
        col.nodes.push(
          iconButton(MAIL_KEYS.star(m.id), 'star', ctx.width - 16, row.box.y + 1, {
            checked: m.starred,
            text: m.starred ? 'Unstar' : 'Star',
            context: label,
            color: m.starred ? 'yellow' : undefined,
          }),
        );
      }
    }
    const bottom = [
      {
        key: 'compose',
        role: 'button' as const,
        text: 'Compose',
        icon: 'pencil' as const,
        tone: 'primary' as const,
        box: { x: ctx.width - 62, y: 3, w: 58, h: 12 },
      },
    ];
    return {
      screen: `inbox:${s.tab}`,
      title: 'Mail',
      bar: bar.nodes,
      barHeight: 16,
      body: col.nodes,
      bottom,
      bottomHeight: 18,
    };
  },
  on(s, ev) {
    const key = ev.key;
    if (ev.kind === 'type') {
      if (s.page !== 'compose') return s;
      const field = key.slice(6) as 'to' | 'subject' | 'body';
      if (!['to', 'subject', 'body'].includes(field)) return s;
      return { ...s, draft: { ...s.draft, [field]: ev.text.slice(0, 60) } };
    }
    if (ev.kind !== 'click') return s;
    if (key.startsWith('tab:')) return { ...s, tab: key.slice(4) as MailState['tab'] };
    if (key.startsWith('msg:')) {
      const id = key.slice(4);
      return {
        ...s,
        page: 'thread',
        open: id,
        readIds: s.readIds.includes(id) ? s.readIds : [...s.readIds, id],
      };
    }
    const toggleStar = (id: string) => ({
      ...s,
      messages: s.messages.map((m) => (m.id === id ? { ...m, starred: !m.starred } : m)),
    });
    if (key.startsWith('star:')) return toggleStar(key.slice(5));
    if (key === 'star' && s.open) return toggleStar(s.open);
    if (key === 'compose') return { ...s, page: 'compose', draft: emptyDraft() };
    if (key === 'reply') {
      const m = s.messages.find((x) => x.id === s.open);
      if (!m) return s;
      return {
        ...s,
        page: 'compose',
        draft: { to: addressOf(m.from), subject: `Re: ${m.subject}`, body: '', replyTo: m.id },
      };
    }
    if (key === 'delete') return { ...s, confirm: s.open };
    if (key === 'confirm:cancel') return { ...s, confirm: null };
    if (key === 'confirm:delete') {
      return {
        ...s,
        messages: s.messages.filter((m) => m.id !== s.confirm),
        confirm: null,
        open: null,
        page: 'inbox',
      };
    }
    if (key === 'send') {
      const d = s.draft;
      if (!/^[^@\s]+@[^@\s]+\.[a-z]+$/.test(d.to.trim()))
        return fail(s, 'the To address is not valid');
      if (!d.body.trim() && !d.subject.trim()) return fail(s, 'the email is empty');
      return {
        ...s,
        sent: [...s.sent, { to: d.to.trim(), subject: d.subject, body: d.body }],
        draft: emptyDraft(),
        page: 'inbox',
      };
    }
    return s;
  },
  back(s) {
    if (s.confirm) return { ...s, confirm: null };
    if (s.page === 'compose')
      return { ...s, page: s.draft.replyTo ? 'thread' : 'inbox', draft: emptyDraft() };
    if (s.page === 'thread') return { ...s, page: 'inbox', open: null };
    if (s.tab !== 'Inbox') return { ...s, tab: 'Inbox' };
    return undefined;
  },
});
