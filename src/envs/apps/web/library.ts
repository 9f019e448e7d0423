// City Library, a catalogue site: search by words and genre, results paged and sortable by
// title or year, a page per book with Reserve, and "My account" with loans to renew (once).
import type { Rng } from '../../../rng';
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
import type { Book } from './content';

export const HOST = 'citylib.org';
export const GENRES = ['Fiction', 'Science', 'History', 'Kids'];
const FIRST = [
  'The Silent',
  'A Short',
  'The Last',
  'Hidden',
  'The Little',
  'Deep',
  'The Lost',
  'Bright',
];
const SECOND = ['River', 'Garden', 'Atlas', 'Comet', 'Harbor', 'Forest', 'Engine', 'Lantern'];
const AUTHORS = [
  'M. Okafor',
  'L. Berg',
  'S. Tanaka',
  'R. Costa',
  'J. Novak',
  'A. Haddad',
  'P. Moreau',
];

export function searchUrl(q: string, genre: string, sort?: string, page?: number): string {
  return makeUrl(HOST, '/search', { q, genre, sort, page: page && page > 1 ? page : undefined });
}

export function bookUrl(id: string): string {
  return makeUrl(HOST, '/book', { id });
}

export function results(b: BrowserState, q: string, genre: string, sort: string): Book[] {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const hits = b.library.books.filter(
    (bk) =>
      (!genre || genre === 'All' || bk.genre === genre) &&
      words.every((w) => `${bk.title} ${bk.author}`.toLowerCase().includes(w)),
  );
  return hits.sort(
    (a, c) =>
      (sort === 'year' ? c.year - a.year : a.title.localeCompare(c.title)) ||
      a.id.localeCompare(c.id),
  );
}

export const library: Site = {
  host: HOST,
  name: 'City Library',
  color: 'green',
  view(b, url, width) {
    const p = new Page(b, this, width, [
      ['Catalogue', HOST + '/'],
      ['My account', HOST + '/account'],
    ]);
    const lib = b.library;
    if (url.path === '/search') {
      const { q = '', genre = '' } = url.q;
      const sort = url.q.sort ?? 'title';
      const hits = results(b, q, genre, sort);
      p.heading(`${hits.length} results${q ? ` for "${q}"` : ''}${genre ? ` in ${genre}` : ''}`);
      p.header([
        ['Title', 8, searchUrl(q, genre, 'title')],
        ['Author', 130],
        ['Year', 196, searchUrl(q, genre, 'year')],
      ]);
      const page = pageOf(url.q);
      for (const bk of hits.slice((page - 1) * PAGE_ROWS, page * PAGE_ROWS)) {
        const y = p.row(`res:${bk.id}`, [
          [bk.author, 130],
          [String(bk.year), 196],
        ]);
        p.link(bookUrl(bk.id), bk.title, 8, y, bk.title);
      }
      p.pager(page, hits.length, (n) => searchUrl(q, genre, url.q.sort, n));
      return { title: 'City Library - search', body: p.nodes };
    }
    if (url.path === '/book') {
      const bk = lib.books.find((x) => x.id === url.q.id);
      if (!bk) {
        p.text('nf', 'No such book.', { color: 'red' });
        return { title: 'City Library', body: p.nodes };
      }
      p.nodes.push({
        key: 'cover',
        role: 'image',
        color: 'brown',
        icon: 'note',
        imageText: bk.title.split(' ').at(-1)!.slice(0, 6),
        box: box(width - 60, p.y, 52, 40),
      });
      p.text('title', bk.title);
      p.text('author', `by ${bk.author}, ${bk.year}`, { muted: true });
      p.text('genre', `Genre: ${bk.genre}`, { muted: true });
      p.text('avail', `Copies available: ${bk.available}`);
      if (lib.holds.includes(bk.id))
        p.text('held', 'You have reserved this book.', { color: 'green' });
      else p.gap(4).button('btn:reserve', 'Reserve', { enabled: bk.available > 0 });
      return { title: 'City Library - book', body: p.nodes };
    }
    if (url.path === '/account') {
      p.heading('My loans');
      p.header([
        ['Title', 8],
        ['Due', 150],
      ]);
      for (const loan of lib.loans) {
        const bk = lib.books.find((x) => x.id === loan.book)!;
        const y = p.row(`loan:${bk.id}`, [
          [bk.title, 8],
          [`Jun ${loan.due}`, 150],
        ]);
        if (loan.renewed)
          p.nodes.push({
            key: `loan:${bk.id}:renewed`,
            role: 'text',
            text: 'renewed',
            muted: true,
            box: box(width - 52, y + 2, 44, 8),
          });
        else
          p.nodes.push({
            key: `btn:renew:${bk.id}`,
            role: 'button',
            tone: 'plain',
            text: 'Renew',
            context: bk.title,
            box: box(width - 46, y, 38, 11),
          });
      }
      p.gap(4).heading('My reservations');
      for (const id of lib.holds)
        p.text(`hold:${id}`, lib.books.find((x) => x.id === id)?.title ?? id);
      if (!lib.holds.length) p.text('noholds', 'None', { muted: true });
      return { title: 'City Library - account', body: p.nodes };
    }
    p.heading('Search the catalogue');
    p.input('query', 'Title or author');
    p.select('genre', 'Genre', ['All', ...GENRES]);
    p.gap(2).button('btn:search', 'Search');
    return { title: 'City Library', body: p.nodes };
  },
  on(b, url, key) {
    const lib = b.library;
    if (key === 'btn:search')
      return go(
        b,
        searchUrl(
          fieldOf(b, 'query').trim(),
          fieldOf(b, 'genre') === 'All' ? '' : fieldOf(b, 'genre'),
        ),
      );
    if (key === 'btn:reserve') {
      const bk = lib.books.find((x) => x.id === url.q.id);
      if (!bk || bk.available <= 0) return fail(b, 'no copy to reserve');
      const books = lib.books.map((x) => (x === bk ? { ...x, available: x.available - 1 } : x));
      return { ...b, library: { ...lib, books, holds: [...lib.holds, bk.id] } };
    }
    if (key.startsWith('btn:renew:')) {
      const id = key.slice(10);
      const loan = lib.loans.find((l) => l.book === id);
      if (!loan || loan.renewed) return fail(b, 'this loan cannot be renewed');
      const loans = lib.loans.map((l) =>
        l === loan ? { ...l, due: l.due + 14, renewed: true } : l,
      );
      return { ...b, library: { ...lib, loans } };
    }
    return b;
  },
};

/** Seeded catalogue; `extra` books come first, and the ids in `onLoan` are lent to the user. */
export function initLibrary(
  rng: Rng,
  extra: Book[] = [],
  onLoan: string[] = [],
): BrowserState['library'] {
  const titles = new Set(extra.map((x) => x.title));
  const books: Book[] = [...extra];
  for (const a of FIRST)
    for (const c of SECOND) {
      const title = `${a} ${c}`;
      if (titles.has(title) || !rng.chance(0.35)) continue;
      books.push({
        id: `b${books.length + 1}`,
        title,
        author: rng.pick(AUTHORS),
        year: rng.int(1950, 2024),
        genre: rng.pick(GENRES),
        available: rng.int(0, 4),
      });
    }
  const lent = [
    ...onLoan,
    ...rng
      .shuffle(books.slice(extra.length))
      .slice(0, rng.int(6, 8))
      .map((bk) => bk.id),
  ];
  const loans = rng.shuffle(lent).map((id) => ({
    book: id,
    due: rng.int(2, 28),
    renewed: !onLoan.includes(id) && rng.chance(0.2),
  }));
  return { books, loans, holds: [] };
}
