// Browser (platform 'web'): a browser chrome (back, home, address bar showing the URL) over
// three small websites — SkyFare (flight booking), City Library (catalogue) and the Acme
// intranet (forum, directory, leave requests). History, form drafts and the open drop-down
// are UI; what the sites' servers hold (bookings, reservations, posts) is content.
import type { Rng } from '../../rng';
import { defineApp, fail } from '../app';
import { Column, box, fit } from '../ui';
import type { UiNode } from '../types';
import { go, parseUrl, trail, type BrowserState, type Site } from './web/site';
import { travel, initTravel } from './web/travel';
import { library, initLibrary } from './web/library';
import { intranet, initIntranet } from './web/intranet';
import type { Book, Booking, Flight, Staff } from './web/content';

export type { BrowserState } from './web/site';

export const SITES: Site[] = [travel, library, intranet];
export const START = 'start';

export interface WebOptions {
  /** URL shown at the start (default: the start page). */
  url?: string;
  flights?: Flight[];
  /** Bookings the user already has (after the seeded ones). */
  trips?: Booking[];
  books?: Book[];
  /** Ids of (extra) books the user has on loan. */
  onLoan?: string[];
  staff?: Staff[];
  topics?: string[];
}

const USERS = [
  { name: 'Ana Silva', email: 'ana@mail.com' },
  { name: 'Ben Okoro', email: 'ben@mail.com' },
  { name: 'Chen Wei', email: 'chen@mail.com' },
];

function current(b: BrowserState): string {
  return b.history.at(-1) ?? START;
}

function siteOf(host: string): Site | undefined {
  return SITES.find((s) => s.host === host);
}

function startPage(width: number): UiNode[] {
  const col = new Column(width, 4, 6);
  col.text('start:title', 'Bookmarks', { scale: 2 });
  col.gap(2);
  for (const s of SITES) {
    col.nodes.push({
      key: `start:tile:${s.host}`,
      role: 'image',
      color: s.color,
      icon: 'globe',
      box: box(6, col.y, 22, 22),
    });
    col.nodes.push({
      key: `link:${s.host}/`,
      role: 'link',
      text: s.name,
      box: box(34, col.y + 2, fit(s.name, 200).length * 6 + 1, 11),
    });
    col.nodes.push({
      key: `start:host:${s.host}`,
      role: 'text',
      text: s.host,
      muted: true,
      box: box(34, col.y + 14, 120, 8),
    });
    col.y += 28;
  }
  return col.nodes;
}

/** Two links to the same URL on one page get distinct keys ('link:<url>|2'). */
function uniqueKeys(nodes: UiNode[]): UiNode[] {
  const seen = new Map<string, number>();
  return nodes.map((n) => {
    const k = seen.get(n.key) ?? 0;
    seen.set(n.key, k + 1);
    return k ? { ...n, key: `${n.key}|${k + 1}` } : n;
  });
}

export default defineApp<BrowserState>({
  name: 'browser',
  label: 'Browser',
  icon: 'globe',
  color: 'blue',
  platforms: ['web'],
  ui: ['history', 'form', 'open', 'errors'],
  init(rng: Rng, options) {
    const o = (options ?? {}) as WebOptions;
    const user = rng.pick(USERS);
    const t = initTravel(rng.fork(1), user);
    return {
      history: trail(o.url ?? START),
      form: {},
      open: null,
      errors: [],
      travel: { ...t, extra: o.flights ?? [], bookings: [...t.bookings, ...(o.trips ?? [])] },
      library: initLibrary(rng.fork(2), o.books, o.onLoan),
      intranet: initIntranet(rng.fork(3), o.staff, o.topics),
    };
  },
  view(b, ctx) {
    const url = current(b);
    const bar: UiNode[] = [
      {
        key: 'nav:back',
        role: 'icon',
        icon: 'back',
        text: 'Back',
        enabled: b.history.length > 1,
        box: box(2, 2, 11, 11),
      },
      { key: 'nav:home', role: 'icon', icon: 'home', text: 'Home', box: box(15, 2, 11, 11) },
      { key: 'addr:bg', role: 'panel', color: 'white', box: box(29, 2, ctx.width - 32, 11) },
      { key: 'addr:line', role: 'panel', color: 'grey', box: box(29, 13, ctx.width - 32, 1) },
      {
        key: 'addr',
        role: 'text',
        text: fit(url, ctx.width - 38),
        box: box(32, 4, ctx.width - 38, 8),
      },
    ];
    const site = siteOf(parseUrl(url).host);
    const page = site
      ? site.view(b, parseUrl(url), ctx.width)
      : { title: 'New tab', body: startPage(ctx.width) };
    return { screen: url, title: page.title, bar, barHeight: 16, body: uniqueKeys(page.body) };
  },
  on(b0, ev) {
    if (ev.kind === 'longpress') return b0;
    const key = ev.key.split('|')[0];
    if (ev.kind === 'type') {
      if (!key.startsWith('field:')) return b0;
      return { ...b0, form: { ...b0.form, [key.slice(6)]: ev.text.slice(0, 40) }, errors: [] };
    }
    if (key.startsWith('sel:')) {
      const name = key.slice(4);
      return { ...b0, open: b0.open === name ? null : name };
    }
    if (key.startsWith('opt:')) {
      const [, name, value] = key.split(':');
      return { ...b0, open: null, form: { ...b0.form, [name]: value }, errors: [] };
    }
    // Any other click closes an open drop-down first.
    const b = b0.open ? { ...b0, open: null } : b0;
    if (key === 'nav:back')
      return b.history.length > 1
        ? { ...b, history: b.history.slice(0, -1), form: {}, errors: [] }
        : fail(b0, 'no page to go back to');
    if (key === 'nav:home') return current(b) === START ? b : go(b, START);
    if (key.startsWith('link:')) return go(b, key.slice(5));
    if (key.startsWith('check:')) {
      const name = key.slice(6);
      return { ...b, form: { ...b.form, [name]: b.form[name] === '1' ? '' : '1' } };
    }
    if (key.startsWith('btn:')) {
      const url = parseUrl(current(b));
      const site = siteOf(url.host);
      return site ? site.on(b, url, key) : b;
    }
    return b;
  },
  back(b) {
    if (b.open) return { ...b, open: null };
    if (b.history.length > 1)
      return { ...b, history: b.history.slice(0, -1), form: {}, errors: [] };
    return undefined;
  },
});
