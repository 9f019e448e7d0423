// SkyFare, a flight booking site: a search form (from, to, date, direct only), a results table
// sortable by price or departure and paged, a booking form with validation, and "My trips"
// where a booking can be cancelled (behind a confirm page; it cannot be undone).
import { Rng } from '../../../rng';
import { fail } from '../../app';
import { box } from '../../ui';
import {
  Page,
  PAGE_ROWS,
  fieldOf,
  go,
  makeUrl,
  pageOf,
  type BrowserState,
  type Site,
} from './site';
import type { Booking, Flight } from './content';

export const HOST = 'skyfare.com';
export const CITIES = ['Oslo', 'Rome', 'Paris', 'Berlin', 'Madrid', 'Lisbon'];
export const DATES = ['May 10', 'May 11', 'May 12', 'May 13', 'May 14'];
const AIRLINES = ['SK', 'AZ', 'AF', 'LH', 'IB', 'TP'];

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The flights of one route and day: a pure function of the site's seed (the "server"). */
export function flightsOn(
  t: BrowserState['travel'],
  from: string,
  to: string,
  date: string,
): Flight[] {
  const rng = new Rng(hash(`${t.seed}|${from}|${to}|${date}`));
  const n = rng.int(5, 8);
  const prices = rng.shuffle([...Array(40).keys()]).slice(0, n);
  const out: Flight[] = [];
  for (let i = 0; i < n; i++) {
    const hh = String(6 + Math.floor((i * 15) / n)).padStart(2, '0');
    const mm = rng.pick(['00', '15', '30', '45']);
    let id = `${rng.pick(AIRLINES)}${100 + rng.int(0, 899)}`;
    while (out.some((f) => f.id === id)) id = `${id.slice(0, 2)}${Number(id.slice(2)) + 1}`;
    // At least one direct flight on every route.
    out.push({
      id,
      from,
      to,
      date,
      time: `${hh}:${mm}`,
      stops: i === 1 ? 0 : rng.int(0, 1),
      price: 60 + prices[i] * 9,
    });
  }
  const extra = t.extra.filter((f) => f.from === from && f.to === to && f.date === date);
  return [...out.filter((f) => !extra.some((e) => e.id === f.id)), ...extra];
}

export function findFlight(
  t: BrowserState['travel'],
  id: string,
  from: string,
  to: string,
  date: string,
): Flight | undefined {
  return flightsOn(t, from, to, date).find((f) => f.id === id);
}

export function cheapest(
  t: BrowserState['travel'],
  from: string,
  to: string,
  date: string,
  direct = false,
): Flight {
  const fs = flightsOn(t, from, to, date).filter((f) => !direct || f.stops === 0);
  return fs.reduce((a, f) => (f.price < a.price ? f : a), fs[0]);
}

export function earliestDirect(
  t: BrowserState['travel'],
  from: string,
  to: string,
  date: string,
): Flight {
  return [...flightsOn(t, from, to, date)]
    .filter((f) => f.stops === 0)
    .sort((a, b) => a.time.localeCompare(b.time))[0];
}

export function resultsUrl(
  from: string,
  to: string,
  date: string,
  direct: boolean,
  sort?: string,
  page?: number,
): string {
  return makeUrl(HOST, '/flights', {
    from,
    to,
    date,
    direct: direct ? '1' : undefined,
    sort,
    page: page && page > 1 ? page : undefined,
  });
}

function bookUrl(f: Flight): string {
  return makeUrl(HOST, '/book', { id: f.id, from: f.from, to: f.to, date: f.date });
}

export const travel: Site = {
  host: HOST,
  name: 'SkyFare - cheap flights',
  color: 'blue',
  view(b, url, width) {
    const p = new Page(b, this, width, [
      ['Search', HOST + '/'],
      ['My trips', HOST + '/trips'],
    ]);
    const t = b.travel;
    if (url.path === '/flights') {
      const { from = '', to = '', date = '' } = url.q;
      const direct = url.q.direct === '1';
      let fs = flightsOn(t, from, to, date).filter((f) => !direct || f.stops === 0);
      const sort = url.q.sort ?? 'time';
      fs = [...fs].sort((a, c) =>
        sort === 'price' ? a.price - c.price : a.time.localeCompare(c.time),
      );
      p.heading(`${from} to ${to}, ${date}${direct ? ', direct' : ''}`);
      const page = pageOf(url.q);
      p.header([
        ['Depart', 8, resultsUrl(from, to, date, direct, 'time')],
        ['Flight', 56],
        ['Stops', 100],
        ['Price', 140, resultsUrl(from, to, date, direct, 'price')],
      ]);
      for (const f of fs.slice((page - 1) * PAGE_ROWS, page * PAGE_ROWS)) {
        const y = p.row(`flight:${f.id}`, [
          [f.time, 8],
          [f.id, 56],
          [f.stops ? '1 stop' : 'direct', 100],
          [`$${f.price}`, 140],
        ]);
        p.link(bookUrl(f), 'Select', width - 44, y, f.id);
      }
      p.pager(page, fs.length, (n) => resultsUrl(from, to, date, direct, url.q.sort, n));
      return { title: 'SkyFare - results', body: p.nodes };
    }
    if (url.path === '/book') {
      const f = findFlight(t, url.q.id ?? '', url.q.from ?? '', url.q.to ?? '', url.q.date ?? '');
      if (!f) {
        p.text('nf', 'Flight not found.', { color: 'red' });
        return { title: 'SkyFare', body: p.nodes };
      }
      p.heading(`Book ${f.id}: ${f.from} - ${f.to}`);
      p.text('sum', `${f.date} ${f.time}, ${f.stops ? '1 stop' : 'direct'}, $${f.price}`, {
        muted: true,
      });
      p.errorsList();
      p.text('who', `Passenger: ${t.user.name}`);
      p.select('cls', 'Class', ['Economy', 'Business'], 'Economy');
      p.check('terms', 'I accept the terms');
      p.gap(2).button('btn:book', 'Book now');
      return { title: 'SkyFare - book', body: p.nodes };
    }
    if (url.path === '/done') {
      p.heading('Booking confirmed');
      p.text('code', `Your booking code: ${url.q.code ?? ''}`);
      p.link(HOST + '/trips', 'Go to My trips');
      return { title: 'SkyFare - confirmed', body: p.nodes };
    }
    if (url.path === '/trips') {
      p.heading('My trips');
      p.header([
        ['Code', 8],
        ['Flight', 56],
        ['Date', 104],
      ]);
      for (const bk of t.bookings) {
        const y = p.row(`trip:${bk.code}`, [
          [bk.code, 8],
          [`${bk.flight.id} ${bk.flight.to}`, 56],
          [bk.flight.date, 104],
        ]);
        if (bk.cancelled)
          p.nodes.push({
            key: `trip:${bk.code}:state`,
            role: 'text',
            text: 'cancelled',
            color: 'red',
            box: box(width - 64, y + 2, 56, 8),
          });
        else p.link(makeUrl(HOST, '/cancel', { code: bk.code }), 'Cancel', width - 44, y, bk.code);
      }
      return { title: 'SkyFare - my trips', body: p.nodes };
    }
    if (url.path === '/cancel') {
      const bk = t.bookings.find((x) => x.code === url.q.code && !x.cancelled);
      p.heading('Cancel booking');
      if (!bk) p.text('nf', 'No such booking.', { color: 'red' });
      else {
        p.text('what', `${bk.code}: ${bk.flight.id} to ${bk.flight.to}, ${bk.flight.date}`);
        p.text('warn', 'Cancelled bookings cannot be restored.', { muted: true });
        p.gap(2).buttons([{ key: 'btn:cancel', text: 'Cancel booking', tone: 'danger' }]);
      }
      return { title: 'SkyFare - cancel', body: p.nodes };
    }
    p.heading('Find a flight');
    p.errorsList();
    p.select('from', 'From', CITIES);
    p.select('to', 'To', CITIES);
    p.select('date', 'Date', DATES);
    p.check('direct', 'Direct flights only');
    p.gap(2).button('btn:search', 'Search');
    return { title: 'SkyFare', body: p.nodes };
  },
  on(b, url, key) {
    const t = b.travel;
    if (key === 'btn:search') {
      const [from, to, date] = ['from', 'to', 'date'].map((k) => fieldOf(b, k));
      const errors = [
        !from && 'Choose where from.',
        !to && 'Choose where to.',
        !date && 'Choose a date.',
        from && from === to && 'From and To must differ.',
      ].filter((e): e is string => !!e);
      if (errors.length) return { ...b, errors };
      return go(b, resultsUrl(from, to, date, fieldOf(b, 'direct') === '1'));
    }
    if (key === 'btn:book' && url.path === '/book') {
      const f = findFlight(t, url.q.id ?? '', url.q.from ?? '', url.q.to ?? '', url.q.date ?? '');
      if (!f) return fail(b, 'no such flight');
      if (fieldOf(b, 'terms') !== '1') return { ...b, errors: ['Accept the terms to book.'] };
      const code = `${f.id}${String.fromCharCode(65 + (t.bookings.length % 26))}${t.bookings.length + 1}`;
      const booking: Booking = {
        code,
        flight: f,
        name: t.user.name,
        cls: fieldOf(b, 'cls') || 'Economy',
        cancelled: false,
      };
      return go(
        { ...b, travel: { ...t, bookings: [...t.bookings, booking] } },
        makeUrl(HOST, '/done', { code }),
      );
    }
    if (key === 'btn:cancel' && url.path === '/cancel') {
      const bk = t.bookings.find((x) => x.code === url.q.code && !x.cancelled);
      if (!bk) return fail(b, 'no such booking');
      const bookings = t.bookings.map((x) => (x === bk ? { ...x, cancelled: true } : x));
      return go({ ...b, travel: { ...t, bookings } }, HOST + '/trips');
    }
    return b;
  },
};

export function initTravel(
  rng: Rng,
  user: { name: string; email: string },
): BrowserState['travel'] {
  const t: BrowserState['travel'] = { seed: rng.nextU32(), user, bookings: [], extra: [] };
  const bookings: Booking[] = [];
  for (let i = 0; i < 3; i++) {
    const [from, to] = rng.shuffle(CITIES);
    const f = rng.pick(flightsOn(t, from, to, rng.pick(DATES)));
    bookings.push({
      code: `${f.id}${'XYZ'[i]}${i + 1}`,
      flight: f,
      name: user.name,
      cls: 'Economy',
      cancelled: false,
    });
  }
  return { ...t, bookings };
}
