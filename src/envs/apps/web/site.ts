// What a small website is to the browser: a host, a view of a page (URL → nodes) and a handler
// for its buttons. Links, text fields, check boxes and drop-down selects are handled by the
// browser itself from their keys (`link:<url>`, `field:<name>`, `check:<name>`, `sel:<name>`,
// `opt:<name>:<value>`), so a site only writes what its buttons do.
import type { AppOutcome } from '../../app';
import { Column, box, textWidth } from '../../ui';
import type { ColorName, UiNode } from '../../types';
import type { Book, Booking, Flight, LeaveRequest, Loan, Staff, Topic } from './content';

export interface BrowserState {
  // --- UI (navigation) ---
  /** The trail to the shown page (see `trail`); the last one is shown. */
  history: string[];
  /** Drafts of the current page's fields and selects; check boxes are '1' or ''. */
  form: Record<string, string>;
  /** The open drop-down select. */
  open: string | null;
  /** Validation errors shown on the current page. */
  errors: string[];
  // --- content (what the sites' servers hold) ---
  travel: {
    seed: number;
    user: { name: string; email: string };
    bookings: Booking[];
    extra: Flight[];
  };
  library: { books: Book[]; loans: Loan[]; holds: string[] };
  intranet: { topics: Topic[]; staff: Staff[]; leave: LeaveRequest[] };
}

export interface Url {
  host: string;
  path: string;
  q: Record<string, string>;
}

export function parseUrl(url: string): Url {
  const [hostPath, query = ''] = url.split('?');
  const slash = hostPath.indexOf('/');
  const host = slash < 0 ? hostPath : hostPath.slice(0, slash);
  const path = slash < 0 ? '/' : hostPath.slice(slash);
  const q: Record<string, string> = {};
  for (const part of query.split('&').filter(Boolean)) {
    const [k, v = ''] = part.split('=');
    q[k] = decodeURIComponent(v);
  }
  return { host, path, q };
}

/** `host/path?k=v` with empty values left out, in the given key order (URLs are compared). */
export function makeUrl(
  host: string,
  path: string,
  q: Record<string, string | number | undefined> = {},
): string {
  const parts = Object.entries(q)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return `${host}${path}${parts.length ? '?' + parts.join('&') : ''}`;
}

export type SiteResult = BrowserState | AppOutcome<BrowserState>;

export interface Site {
  host: string;
  name: string;
  color: ColorName;
  /** Title and body of the page at `url`. */
  view(b: BrowserState, url: Url, width: number): { title: string; body: UiNode[] };
  /** A click on one of the page's own buttons (`btn:...`). */
  on(b: BrowserState, url: Url, key: string): SiteResult;
}

/**
 * The pages "back" walks through from `url`: the start page, the site's home, the page. Back
 * goes up this trail rather than through every page visited, so the navigation state is the
 * URL alone (the oracle's search over pages stays small) and back is always predictable.
 */
export function trail(url: string): string[] {
  if (url === 'start') return ['start'];
  const home = `${parseUrl(url).host}/`;
  return url === home ? ['start', home] : ['start', home, url];
}

/** Navigate: show the URL, clear the page's drafts, open select and errors. */
export function go(b: BrowserState, url: string): BrowserState {
  return { ...b, history: trail(url), form: {}, open: null, errors: [] };
}

export function fieldOf(b: BrowserState, name: string): string {
  return b.form[name] ?? '';
}

export const PAGE_ROWS = 5;

/** A page laid out top to bottom: a coloured site header, nav links, then content rows. */
export class Page extends Column {
  constructor(
    readonly b: BrowserState,
    site: Site,
    width: number,
    nav: [string, string][],
  ) {
    super(width, 0, 4);
    this.nodes.push(
      { key: 'site:header', role: 'panel', color: site.color, box: box(0, 0, width, 14) },
      {
        key: 'site:name',
        role: 'text',
        text: site.name,
        color: 'white',
        box: box(4, 3, width - 8, 8),
      },
    );
    this.y = 16;
    let x = 4;
    for (const [label, url] of nav) {
      const w = textWidth(label) + 2;
      this.nodes.push({
        key: `link:${url}`,
        role: 'link',
        text: label,
        box: box(x, this.y, w, 11),
      });
      x += w + 8;
    }
    this.y += 14;
  }

  heading(text: string): void {
    this.text(`h:${this.y}`, text, { scale: 1 });
    this.divider();
  }

  link(url: string, text: string, x = this.pad, y = this.y, context?: string): UiNode {
    const n: UiNode = {
      key: `link:${url}`,
      role: 'link',
      text,
      box: box(x, y, textWidth(text) + 2, 11),
      ...(context ? { context } : {}),
    };
    this.nodes.push(n);
    return n;
  }

  /** A labelled text field bound to the draft `name`. */
  input(name: string, label: string): UiNode {
    return this.field(`field:${name}`, label, fieldOf(this.b, name));
  }

  check(name: string, label: string): UiNode {
    return this.checkbox(`check:${name}`, label, fieldOf(this.b, name) === '1');
  }

  /** A drop-down: a button showing the choice; when open, its options listed right under it. */
  select(name: string, label: string, options: string[], initial = ''): void {
    const value = fieldOf(this.b, name) || initial;
    const open = this.b.open === name;
    this.push(
      {
        key: `sel:${name}`,
        role: 'button',
        tone: 'plain',
        text: `${label}: ${value || 'choose'}`,
        checked: open,
        box: box(this.pad, this.y, Math.min(this.inner, 120), 12),
      },
      14,
    );
    if (!open) return;
    const y0 = this.y - 2;
    this.nodes.push({
      key: `menu:${name}`,
      role: 'menu',
      box: box(this.pad, y0, 120, options.length * 11 + 2),
    });
    options.forEach((o, i) =>
      this.nodes.push({
        key: `opt:${name}:${o}`,
        role: 'menuitem',
        text: o,
        context: label,
        checked: o === value,
        box: box(this.pad + 1, y0 + 1 + i * 11, 118, 11),
      }),
    );
    this.y = y0 + options.length * 11 + 4;
  }

  errorsList(): void {
    for (const e of this.b.errors) this.text(`err:${e}`, e, { color: 'red' });
  }

  /** Table header: labels, or sort links when a URL is given; columns [label, x, url?]. */
  header(cols: [string, number, string?][]): void {
    this.nodes.push({
      key: `th:${this.y}`,
      role: 'panel',
      color: 'grey',
      box: box(this.pad, this.y, this.inner, 11),
    });
    for (const [label, x, url] of cols) {
      if (url)
        this.nodes.push({
          key: `link:${url}`,
          role: 'link',
          text: label,
          color: 'white',
          box: box(x, this.y, textWidth(label) + 2, 11),
        });
      else
        this.nodes.push({
          key: `th:${label}`,
          role: 'text',
          text: label,
          color: 'white',
          box: box(x, this.y + 2, textWidth(label), 8),
        });
    }
    this.y += 12;
  }

  /** One table row of plain cells [text, x]; `context` names the row for grounding. */
  row(key: string, cells: [string, number][]): number {
    const y = this.y;
    cells.forEach(([text, x], i) =>
      this.nodes.push({
        key: `${key}:${i}`,
        role: 'text',
        text,
        box: box(x, y + 2, Math.max(1, textWidth(text)), 8),
      }),
    );
    this.nodes.push({
      key: `${key}:line`,
      role: 'panel',
      color: 'grey',
      box: box(this.pad, y + 11, this.inner, 1),
    });
    this.y += 13;
    return y;
  }

  /** Prev / page / Next links for a list of `total` rows. */
  pager(page: number, total: number, urlOf: (page: number) => string): void {
    const pages = Math.max(1, Math.ceil(total / PAGE_ROWS));
    const y = this.y + 1;
    if (page > 1) this.link(urlOf(page - 1), '< Prev', this.pad, y);
    this.nodes.push({
      key: 'pager:info',
      role: 'text',
      text: `Page ${page} of ${pages}`,
      muted: true,
      box: box(70, y + 2, 80, 8),
    });
    if (page < pages) this.link(urlOf(page + 1), 'Next >', this.width - 44, y);
    this.y += 14;
  }
}

export function pageOf(q: Record<string, string>): number {
  const p = Number(q.page ?? '1');
  return Number.isInteger(p) && p >= 1 ? p : 1;
}
