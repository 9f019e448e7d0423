// Mail tasks.
import type { Rng } from '../../rng';
import { answer, click, defineTask, sameAnswer, typeInto, visit } from '../task';
import { appState } from '../world';
import { addressOf, MAIL_KEYS, SENDERS, type MailState, type Message } from '../apps/mail';
import type { WorldState } from '../types';

const M = (w: WorldState) => appState<MailState>(w, 'mail');
const SUITE = 'android-world';
const TOPICS = ['Invoice', 'Order', 'Ticket', 'Report', 'Contract', 'Receipt', 'Booking', 'Survey'];
const REPLIES = ['On my way', 'Sounds good', 'See you at 5', 'Thanks, got it', 'I will call you'];

/** A message with a unique subject, e.g. 'Invoice 17' from Carol. */
function target(rng: Rng): { from: string; subject: string } {
  return { from: rng.pick(SENDERS), subject: `${rng.pick(TOPICS)} ${rng.int(10, 99)}` };
}

function find(w: WorldState, from: string, subject: string): Message | undefined {
  return M(w).messages.find((m) => m.from === from && m.subject === subject);
}

/** The id a target message gets: the one with this subject (subjects are unique). */
function idOf(w: WorldState, subject: string): string {
  return M(w).messages.find((m) => m.subject === subject)?.id ?? '';
}

export default [
  // "Star the email from Carol about 'Invoice 17'." (far down the inbox)
  defineTask<{ from: string; subject: string }>({
    id: 'mail.star',
    apps: ['mail'],
    tags: { suite: SUITE, split: 'train', category: 'target-off-screen' },
    generate: (rng) => {
      const t = target(rng);
      return {
        params: t,
        instruction: `Star the email from ${t.from} about '${t.subject}'.`,
        apps: {
          mail: { extra: [{ ...t, body: 'Please see the attached file.', at: rng.int(15, 18) }] },
        },
      };
    },
    check: (w, p) => !!find(w, p.from, p.subject)?.starred,
    plan: (p) => [
      {
        name: 'star',
        done: (w) => !!find(w, p.from, p.subject)?.starred,
        act: (w) => ({ click: { app: 'mail', key: MAIL_KEYS.star(idOf(w, p.subject)) } }),
      },
    ],
  }),

  // "Reply 'On my way' to Bob's email about 'Ticket 42'."
  defineTask<{ from: string; subject: string; text: string }>({
    id: 'mail.reply',
    apps: ['mail'],
    tags: { suite: SUITE, split: 'train', category: 'form' },
    generate: (rng) => {
      const t = target(rng);
      const text = rng.pick(REPLIES);
      return {
        params: { ...t, text },
        instruction: `Reply '${text}' to ${t.from}'s email about '${t.subject}'.`,
        apps: { mail: { extra: [{ ...t, body: 'Can you confirm?', at: rng.int(0, 8) }] } },
      };
    },
    check: (w, p) =>
      M(w).sent.some(
        (m) => m.to === addressOf(p.from) && m.subject === `Re: ${p.subject}` && m.body === p.text,
      ),
    plan: (p) => {
      const replying = (w: WorldState) =>
        M(w).page === 'compose' && M(w).draft.replyTo === idOf(w, p.subject);
      return [
        {
          name: 'open thread',
          done: (w) => M(w).page === 'thread' && M(w).open === idOf(w, p.subject),
          act: (w) => ({ click: { app: 'mail', key: MAIL_KEYS.message(idOf(w, p.subject)) } }),
          ephemeral: true,
        },
        visit('reply', 'mail', 'reply', replying),
        typeInto(
          'type reply',
          'mail',
          'field:body',
          p.text,
          (w) => replying(w) && M(w).draft.body === p.text,
        ),
        click('send', 'mail', 'send', (w) =>
          M(w).sent.some((m) => m.subject === `Re: ${p.subject}` && m.body === p.text),
        ),
      ];
    },
  }),

  // "Send an email to dan@mail.com with the subject 'Booking 12' and the text 'See you at 5'."
  defineTask<{ to: string; subject: string; text: string }>({
    id: 'mail.compose',
    apps: ['mail'],
    tags: { suite: SUITE, split: 'train', category: 'form' },
    generate: (rng) => {
      const to = addressOf(rng.pick(SENDERS));
      const subject = target(rng).subject;
      const text = rng.pick(REPLIES);
      return {
        params: { to, subject, text },
        instruction: `Send an email to ${to} with the subject '${subject}' and the text '${text}'.`,
      };
    },
    check: (w, p) =>
      M(w).sent.some((m) => m.to === p.to && m.subject === p.subject && m.body === p.text),
    plan: (p) => {
      const composing = (w: WorldState) => M(w).page === 'compose' && M(w).draft.replyTo === null;
      return [
        visit('compose', 'mail', 'compose', composing),
        typeInto(
          'to',
          'mail',
          'field:to',
          p.to,
          (w) => composing(w) && M(w).draft.to === p.to,
          false,
        ),
        typeInto(
          'subject',
          'mail',
          'field:subject',
          p.subject,
          (w) => composing(w) && M(w).draft.subject === p.subject,
          false,
        ),
        typeInto(
          'text',
          'mail',
          'field:body',
          p.text,
          (w) => composing(w) && M(w).draft.body === p.text,
          false,
        ),
        click('send', 'mail', 'send', (w) =>
          M(w).sent.some((m) => m.to === p.to && m.subject === p.subject && m.body === p.text),
        ),
      ];
    },
  }),

  // "Delete the email from Erin about 'Receipt 31'." (deleting is permanent)
  defineTask<{ from: string; subject: string; count: number }>({
    id: 'mail.delete',
    apps: ['mail'],
    tags: { suite: SUITE, split: 'train', category: 'irreversible' },
    generate: (rng) => {
      const t = target(rng);
      // A look-alike from another sender makes the wrong delete easy.
      const other = SENDERS.filter((s) => s !== t.from);
      const decoy = {
        from: rng.pick(other),
        subject: t.subject.replace(/\d+/, (d) => String(Number(d) + 1)),
      };
      return {
        params: { ...t, count: 18 },
        instruction: `Delete the email from ${t.from} about '${t.subject}'.`,
        apps: {
          mail: {
            extra: [
              { ...t, body: 'Old, can go.', at: rng.int(0, 10) },
              { ...decoy, body: 'Keep this one.', at: rng.int(0, 10) },
            ],
          },
        },
      };
    },
    check: (w, p) => !find(w, p.from, p.subject) && M(w).messages.length === p.count - 1,
    failed: (w, p) => M(w).messages.length < p.count - (find(w, p.from, p.subject) ? 0 : 1),
    plan: (p) => [
      {
        name: 'open thread',
        done: (w) => M(w).page === 'thread' && M(w).open === idOf(w, p.subject),
        act: (w) => ({ click: { app: 'mail', key: MAIL_KEYS.message(idOf(w, p.subject)) } }),
        ephemeral: true,
      },
      visit(
        'delete',
        'mail',
        'delete',
        (w) => M(w).confirm !== null && M(w).confirm === idOf(w, p.subject),
      ),
      click('confirm', 'mail', 'confirm:delete', (w) => !find(w, p.from, p.subject)),
    ],
  }),

  // "What is the verification code in the email from PayFast? Answer with the code."
  // Half the time the code is only in an image attached to the email.
  defineTask<{ service: string; code: string; inImage: boolean }>({
    id: 'mail.read-code',
    apps: ['mail'],
    tags: { suite: SUITE, split: 'train', category: 'info' },
    generate: (rng) => {
      const service = rng.pick(['PayFast', 'CloudBox', 'TrainCo', 'BankOne']);
      const code = String(rng.int(1000, 9999));
      const inImage = rng.chance(0.5);
      const body = inImage
        ? 'Your code is in the image below.'
        : `Your verification code is ${code}.`;
      return {
        params: { service, code, inImage },
        instruction: `What is the verification code in the email from ${service}? Answer with the code.`,
        apps: {
          mail: {
            extra: [
              {
                from: service,
                subject: 'Verification code',
                body,
                at: rng.int(0, 12),
                ...(inImage ? { imageText: code } : {}),
              },
            ],
          },
        },
      };
    },
    check: (w, p) => sameAnswer(w.answer, p.code),
    plan: (p) => [
      {
        name: 'read the email',
        done: (w) => M(w).readIds.includes(idOf(w, 'Verification code')),
        act: (w) => ({
          click: { app: 'mail', key: MAIL_KEYS.message(idOf(w, 'Verification code')) },
        }),
        ephemeral: true,
      },
      answer(p.code),
    ],
  }),
];
