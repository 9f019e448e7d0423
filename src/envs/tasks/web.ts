// Web tasks (suite 'web'): three small websites in one browser — SkyFare (flights), City
// Library (catalogue) and the Acme intranet (forum, directory, leave). Forms have drop-down
// selects, check boxes and validation; lists are paged and sortable, so targets are often
// on a page not yet shown.
import type { Rng } from '../../rng';
import {
  answer,
  click,
  defineTask,
  sameAnswer,
  typeInto,
  visit,
  type Act,
  type Subgoal,
  type Tags,
} from '../task';
import { appState } from '../world';
import type { WorldState } from '../types';
import type { BrowserState, WebOptions } from '../apps/web';
import { makeUrl, parseUrl } from '../apps/web/site';
import {
  CITIES,
  DATES,
  HOST as SKY,
  cheapest,
  earliestDirect,
  resultsUrl,
} from '../apps/web/travel';
import { HOST as LIB, bookUrl } from '../apps/web/library';
import type { Book, Booking, Flight } from '../apps/web/content';
import {
  CATEGORIES,
  HOST as INTRA,
  LEAVE_DAYS,
  LEAVE_KINDS,
  dirUrl,
  topicUrl,
} from '../apps/web/intranet';

const B = (w: WorldState) => appState<BrowserState>(w, 'browser');
const APP = 'browser';
const tags = (split: Tags['split'], category: Tags['category']): Tags => ({
  suite: 'web',
  split,
  category,
});
const base = { apps: [APP], platform: 'web' as const, maxSteps: 24 };

const url = (w: WorldState) => B(w).history.at(-1) ?? 'start';
const at = (w: WorldState, host: string, path: string) => {
  const u = parseUrl(url(w));
  return u.host === host && u.path === path;
};

function start(opts: WebOptions = {}) {
  return { apps: { browser: opts }, start: APP };
}

type Field = [kind: 'select' | 'text' | 'check', name: string, value: string];

/**
 * Fill a form on one page, field by field. Each step's "done" includes the ones before it, so
 * a later field filled early never makes the oracle skip an earlier empty one.
 */
function fill(page: (w: WorldState) => boolean, fields: Field[]): Subgoal[] {
  const holds: ((w: WorldState) => boolean)[] = [];
  return fields.map(([kind, name, value]) => {
    const prev = [...holds];
    const own = (w: WorldState) => (B(w).form[name] ?? '') === value;
    const done = (w: WorldState) => page(w) && own(w) && prev.every((h) => h(w));
    holds.push(own);
    if (kind === 'text') return typeInto(`type ${name}`, APP, `field:${name}`, value, done);
    const key = kind === 'select' ? `opt:${name}:${value}` : `check:${name}`;
    return visit(`set ${name}`, APP, key, done);
  });
}

/** Click a link whose URL depends on the state (e.g. the cheapest flight's "Select"). */
function follow(name: string, target: (w: WorldState) => string): Subgoal {
  return {
    name,
    done: (w) => url(w) === target(w),
    act: (w): Act => ({
      click: { app: APP, where: (n) => n.key.split('|')[0] === `link:${target(w)}` },
    }),
    ephemeral: true,
  };
}

const STEMS1 = ['Winter', 'Paper', 'Glass', 'Iron', 'Velvet', 'Amber'];
const STEMS2 = ['Orchard', 'Kingdom', 'Letters', 'Voyage', 'Horizon', 'Meadow'];
const FIRST = ['Maria', 'Omar', 'Lena', 'Kofi', 'Aiko', 'Pablo'];
const LAST = ['Quinn', 'Abbott', 'Vargas', 'Lindqvist', 'Moreno', 'Tanaka'];

function route(rng: Rng): { from: string; to: string; date: string } {
  const [from, to] = rng.shuffle(CITIES);
  return { from, to, date: rng.pick(DATES) };
}

function newBook(rng: Rng, extra: Partial<Book> = {}): Book {
  const title = `${rng.pick(STEMS1)} ${rng.pick(STEMS2)}`;
  return {
    id: 'x1',
    title,
    author: 'K. Ivers',
    year: rng.int(1980, 2024),
    genre: 'Fiction',
    available: rng.int(1, 4),
    ...extra,
  };
}

const onSearch = (w: WorldState) => at(w, SKY, '/');
const onLibHome = (w: WorldState) => at(w, LIB, '/');

export default [
  // "On SkyFare, book the cheapest flight from Oslo to Rome on May 12."
  defineTask<{ from: string; to: string; date: string }>({
    id: 'web.travel-book-cheapest',
    ...base,
    tags: tags('train', 'early-choice'),
    generate: (rng) => {
      const r = route(rng);
      return {
        params: r,
        instruction: `On SkyFare, book the cheapest flight from ${r.from} to ${r.to} on ${r.date}.`,
        ...start(),
      };
    },
    check: (w, p) => {
      const best = cheapest(B(w).travel, p.from, p.to, p.date);
      return B(w).travel.bookings.some(
        (bk) => !bk.cancelled && bk.flight.id === best.id && bk.flight.date === p.date,
      );
    },
    plan: (p) => {
      const best = (w: WorldState) => cheapest(B(w).travel, p.from, p.to, p.date);
      const book = (w: WorldState) =>
        makeUrl(SKY, '/book', { id: best(w).id, from: p.from, to: p.to, date: p.date });
      return [
        ...fill(onSearch, [
          ['select', 'from', p.from],
          ['select', 'to', p.to],
          ['select', 'date', p.date],
        ]),
        visit('search', APP, 'btn:search', (w) =>
          url(w).startsWith(resultsUrl(p.from, p.to, p.date, false)),
        ),
        follow('select the cheapest', book),
        ...fill((w) => url(w) === book(w), [['check', 'terms', '1']]),
        {
          name: 'book',
          done: (w) =>
            B(w).travel.bookings.some(
              (bk) => !bk.cancelled && bk.flight.id === best(w).id && bk.flight.date === p.date,
            ),
          act: { click: { app: APP, key: 'btn:book' } },
        },
      ];
    },
  }),

  // "On SkyFare, find the earliest direct flight from Paris to Lisbon on May 11 and tell me its flight number."
  defineTask<{ from: string; to: string; date: string }>({
    id: 'web.travel-earliest-direct',
    ...base,
    tags: tags('train', 'info'),
    generate: (rng) => {
      const r = route(rng);
      return {
        params: r,
        instruction: `On SkyFare, find the earliest direct flight from ${r.from} to ${r.to} on ${r.date} and tell me its flight number.`,
        ...start(),
      };
    },
    check: (w, p) => sameAnswer(w.answer, earliestDirect(B(w).travel, p.from, p.to, p.date).id),
    plan: (p) => {
      const id = (w: WorldState) => earliestDirect(B(w).travel, p.from, p.to, p.date).id;
      return [
        ...fill(onSearch, [
          ['select', 'from', p.from],
          ['select', 'to', p.to],
          ['select', 'date', p.date],
          ['check', 'direct', '1'],
        ]),
        visit('search', APP, 'btn:search', (w) =>
          url(w).startsWith(resultsUrl(p.from, p.to, p.date, true)),
        ),
        {
          ...answer(''),
          done: (w) => sameAnswer(w.answer, id(w)),
          act: (w) => ({ answer: id(w) }),
        },
      ];
    },
  }),

  // "On SkyFare, cancel your booking LH336Q4." (a look-alike booking is listed too; no undo)
  defineTask<{ code: string }>({
    id: 'web.travel-cancel',
    ...base,
    tags: tags('train', 'irreversible'),
    generate: (rng) => {
      const r = route(rng);
      const flight: Flight = {
        id: `TP${rng.int(100, 899)}`,
        ...r,
        time: '09:15',
        stops: 0,
        price: 120,
      };
      const code = `${flight.id}Q${rng.int(1, 8)}`;
      const decoy = `${flight.id}Q${Number(code.at(-1)) + 1}`;
      const trips: Booking[] = rng
        .shuffle([code, decoy])
        .map((c) => ({ code: c, flight, name: 'You', cls: 'Economy', cancelled: false }));
      return {
        params: { code },
        instruction: `On SkyFare, cancel your booking ${code}.`,
        ...start({ trips }),
      };
    },
    check: (w, p) => !!B(w).travel.bookings.find((bk) => bk.code === p.code)?.cancelled,
    failed: (w, p) =>
      B(w).travel.bookings.some(
        (bk) => bk.cancelled && bk.code !== p.code && bk.flight.id === p.code.slice(0, 5),
      ),
    plan: (p) => [
      visit(
        'open the cancel page',
        APP,
        `link:${makeUrl(SKY, '/cancel', { code: p.code })}`,
        (w) => url(w) === makeUrl(SKY, '/cancel', { code: p.code }),
      ),
      click(
        'confirm',
        APP,
        'btn:cancel',
        (w) => !!B(w).travel.bookings.find((bk) => bk.code === p.code)?.cancelled,
      ),
    ],
  }),

  // "Reserve 'Glass Meadow' at City Library."
  defineTask<{ title: string }>({
    id: 'web.library-reserve',
    ...base,
    tags: tags('train', 'form'),
    generate: (rng) => {
      const book = newBook(rng);
      return {
        params: { title: book.title },
        instruction: `Reserve '${book.title}' at City Library.`,
        ...start({ books: [book] }),
      };
    },
    check: (w) => B(w).library.holds.includes('x1'),
    plan: (p) => [
      ...fill(onLibHome, [['text', 'query', p.title]]),
      visit('search', APP, 'btn:search', (w) =>
        url(w).startsWith(makeUrl(LIB, '/search', { q: p.title })),
      ),
      visit('open the book', APP, `link:${bookUrl('x1')}`, (w) => url(w) === bookUrl('x1')),
      click('reserve', APP, 'btn:reserve', (w) => B(w).library.holds.includes('x1')),
    ],
  }),

  // "Renew your loan of 'Iron Voyage' at City Library." (the loans list runs past the screen)
  defineTask<{ title: string }>({
    id: 'web.library-renew',
    ...base,
    tags: tags('train', 'target-off-screen'),
    generate: (rng) => {
      const book = newBook(rng);
      return {
        params: { title: book.title },
        instruction: `Renew your loan of '${book.title}' at City Library.`,
        ...start({ books: [book], onLoan: ['x1'] }),
      };
    },
    check: (w) => !!B(w).library.loans.find((l) => l.book === 'x1')?.renewed,
    plan: () => [
      click(
        'renew',
        APP,
        'btn:renew:x1',
        (w) => !!B(w).library.loans.find((l) => l.book === 'x1')?.renewed,
      ),
    ],
  }),

  // "How many copies of 'Amber Letters' can be borrowed at City Library right now?"
  defineTask<{ title: string }>({
    id: 'web.library-copies',
    ...base,
    tags: tags('held-out-params', 'info'),
    generate: (rng) => {
      const book = newBook(rng, { available: rng.int(0, 6) });
      return {
        params: { title: book.title },
        instruction: `How many copies of '${book.title}' can be borrowed at City Library right now?`,
        ...start({ books: [book] }),
      };
    },
    check: (w) =>
      sameAnswer(w.answer, String(B(w).library.books.find((b) => b.id === 'x1')!.available)),
    plan: (p) => {
      const n = (w: WorldState) => String(B(w).library.books.find((b) => b.id === 'x1')!.available);
      return [
        ...fill(onLibHome, [['text', 'query', p.title]]),
        visit('search', APP, 'btn:search', (w) =>
          url(w).startsWith(makeUrl(LIB, '/search', { q: p.title })),
        ),
        visit('open the book', APP, `link:${bookUrl('x1')}`, (w) => url(w) === bookUrl('x1')),
        { ...answer(''), done: (w) => sameAnswer(w.answer, n(w)), act: (w) => ({ answer: n(w) }) },
      ];
    },
  }),

  // "On the Acme intranet, start a forum topic in IT titled 'Monitor flickers' with the message 'Since Monday'."
  defineTask<{ title: string; cat: string; body: string }>({
    id: 'web.intranet-new-topic',
    ...base,
    tags: tags('train', 'form'),
    generate: (rng) => {
      const title = rng.pick([
        'Monitor flickers',
        'Need a locker',
        'Team lunch',
        'Wifi in room 2',
        'Spare chargers',
      ]);
      const cat = rng.pick(CATEGORIES);
      const body = rng.pick(['Since Monday', 'Who can help?', 'Friday at noon', 'Any ideas?']);
      return {
        params: { title, cat, body },
        instruction: `On the Acme intranet, start a forum topic in ${cat} titled '${title}' with the message '${body}'.`,
        ...start(),
      };
    },
    check: (w, p) =>
      B(w).intranet.topics.some(
        (t) => t.title === p.title && t.category === p.cat && t.posts[0].text === p.body,
      ),
    plan: (p) => {
      const onNew = (w: WorldState) => at(w, INTRA, '/new');
      return [
        visit('new topic', APP, 'btn:newtopic', onNew),
        ...fill(onNew, [
          ['text', 'title', p.title],
          ['select', 'cat', p.cat],
          ['text', 'body', p.body],
        ]),
        click('post', APP, 'btn:post', (w) =>
          B(w).intranet.topics.some(
            (t) => t.title === p.title && t.category === p.cat && t.posts[0].text === p.body,
          ),
        ),
      ];
    },
  }),

  // "What is Lena Vargas's phone extension? Look it up in the Acme intranet directory."
  defineTask<{ name: string; ext: string }>({
    id: 'web.intranet-extension',
    ...base,
    tags: tags('train', 'info'),
    generate: (rng) => {
      const name = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
      const ext = String(rng.int(200, 899));
      return {
        params: { name, ext },
        instruction: `What is ${name}'s phone extension? Look it up in the Acme intranet directory.`,
        ...start({ staff: [{ name, dept: 'Legal', ext }] }),
      };
    },
    check: (w, p) => sameAnswer(w.answer, p.ext),
    plan: (p) => {
      const last = p.name.split(' ')[1];
      return [
        ...fill((w) => at(w, INTRA, '/directory'), [['text', 'who', last]]),
        visit('search', APP, 'btn:find', (w) => url(w) === dirUrl(last)),
        answer(p.ext),
      ];
    },
  }),

  // "Request Annual leave from May 4 to May 7 on the Acme intranet."
  defineTask<{ kind: string; from: number; to: number }>({
    id: 'web.intranet-leave',
    ...base,
    tags: tags('held-out-templates', 'form'),
    generate: (rng) => {
      const kind = rng.pick(LEAVE_KINDS);
      const i = rng.int(0, LEAVE_DAYS.length - 2);
      const j = rng.int(i + 1, LEAVE_DAYS.length - 1);
      const [from, to] = [LEAVE_DAYS[i], LEAVE_DAYS[j]];
      return {
        params: { kind, from, to },
        instruction: `Request ${kind} leave from May ${from} to May ${to} on the Acme intranet.`,
        ...start(),
      };
    },
    check: (w, p) =>
      B(w).intranet.leave.some(
        (r) => !r.withdrawn && r.kind === p.kind && r.from === p.from && r.to === p.to,
      ),
    plan: (p) => [
      ...fill(
        (w) => at(w, INTRA, '/leave'),
        [
          ['select', 'kind', p.kind],
          ['select', 'from', String(p.from)],
          ['select', 'to', String(p.to)],
        ],
      ),
      click('submit', APP, 'btn:leave', (w) =>
        B(w).intranet.leave.some(
          (r) => !r.withdrawn && r.kind === p.kind && r.from === p.from && r.to === p.to,
        ),
      ),
    ],
  }),

  // "Reply 'Same here' to the forum topic 'Glass Horizon' on the Acme intranet." (may be on page 2)
  defineTask<{ title: string; text: string }>({
    id: 'web.intranet-reply',
    ...base,
    tags: tags('train', 'target-off-screen'),
    generate: (rng) => {
      const title = rng.pick([
        'Zoom room booking',
        'Yearly review dates',
        'Window cleaning',
        'Recycling bins',
      ]);
      const text = rng.pick(['Same here', 'Thanks, noted', 'I can help', '+1']);
      return {
        params: { title, text },
        instruction: `Reply '${text}' to the forum topic '${title}' on the Acme intranet.`,
        ...start({ topics: [title] }),
      };
    },
    check: (w, p) =>
      !!B(w)
        .intranet.topics.find((t) => t.id === 't1')
        ?.posts.some((x) => x.author === 'You' && x.text === p.text),
    plan: (p) => {
      const onTopic = (w: WorldState) => url(w) === topicUrl('t1');
      return [
        visit('open the topic', APP, `link:${topicUrl('t1')}`, onTopic),
        ...fill(onTopic, [['text', 'reply', p.text]]),
        click(
          'post',
          APP,
          'btn:reply',
          (w) =>
            !!B(w)
              .intranet.topics.find((t) => t.id === 't1')
              ?.posts.some((x) => x.author === 'You' && x.text === p.text),
        ),
      ];
    },
  }),
];
