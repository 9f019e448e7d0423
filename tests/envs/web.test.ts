// Web behaviour: the browser chrome (address bar, back up the trail), drop-down selects,
// validation errors that book nothing, sortable and paged tables, and search.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/rng';
import { applyAction, appState, createWorld, observe, type WorldState } from '../../src/envs';
import type { BrowserState, WebOptions } from '../../src/envs/apps/web';
import { flightsOn } from '../../src/envs/apps/web/travel';

const B = (w: WorldState) => appState<BrowserState>(w, 'browser');

function world(opts: WebOptions = {}): WorldState {
  return createWorld(new Rng(5), { platform: 'web', start: 'browser', apps: { browser: opts } });
}

function click(w: WorldState, key: string): WorldState {
  const el = observe(w).elements.find((e) => e.key === key);
  if (!el)
    throw new Error(
      `no element '${key}': ${observe(w)
        .elements.map((e) => e.key)
        .join(' ')}`,
    );
  const out = applyAction(w, { type: 'click', id: el.id });
  expect(out.error, key).toBeUndefined();
  return out.world;
}

const addressBar = (w: WorldState) => observe(w).elements.find((e) => e.key === 'addr')!.text;

describe('browser and sites', () => {
  it('shows the URL in the address bar and goes back up the trail', () => {
    let w = world();
    w = click(w, 'link:intra.acme.com/');
    w = click(w, 'link:intra.acme.com/forum');
    expect(addressBar(w)).toBe('intra.acme.com/forum');
    w = applyAction(w, { type: 'back' }).world;
    expect(addressBar(w)).toBe('intra.acme.com/');
    w = click(w, 'nav:back');
    expect(addressBar(w)).toBe('start');
    expect(observe(w).elements.find((e) => e.key === 'nav:back')!.enabled).toBe(false);
  });

  it('selects open a list of options; validation errors show and book nothing', () => {
    let w = world();
    w = click(w, 'link:skyfare.com/');
    w = click(w, 'btn:search');
    expect(B(w).errors).toContain('Choose where from.');
    expect(observe(w).elements.some((e) => e.text === 'Choose where from.')).toBe(true);
    w = click(w, 'sel:from');
    expect(observe(w).nodes.filter((n) => n.node.key.startsWith('opt:from:')).length).toBe(6);
    w = click(w, 'opt:from:Oslo');
    expect(observe(w).elements.find((e) => e.key === 'sel:from')!.text).toBe('From: Oslo');
    for (const [k, v] of [
      ['to', 'Rome'],
      ['date', 'May 12'],
    ])
      w = click(click(w, `sel:${k}`), `opt:${k}:${v}`);
    w = click(w, 'btn:search');
    expect(B(w).history.at(-1)).toBe('skyfare.com/flights?from=Oslo&to=Rome&date=May%2012');
    expect(addressBar(w)).toBe('skyfare.com/flights?from=Oslo&to=R..');
    // Sorting by price lists the cheapest first.
    w = click(w, 'link:skyfare.com/flights?from=Oslo&to=Rome&date=May%2012&sort=price');
    const prices = observe(w)
      .elements.filter((e) => /^\$\d+$/.test(e.text))
      .map((e) => Number(e.text.slice(1)));
    const all = flightsOn(B(w).travel, 'Oslo', 'Rome', 'May 12')
      .map((f) => f.price)
      .sort((a, b) => a - b);
    expect(prices).toEqual(all.slice(0, prices.length));
    const select = observe(w).elements.find((e) => e.key.startsWith('link:skyfare.com/book'))!;
    w = click(w, select.key);
    const before = B(w).travel.bookings.length;
    w = click(w, 'btn:book');
    expect(B(w).errors).toEqual(['Accept the terms to book.']);
    expect(B(w).travel.bookings.length).toBe(before);
    w = click(click(w, 'check:terms'), 'btn:book');
    expect(B(w).travel.bookings.length).toBe(before + 1);
    expect(B(w).history.at(-1)).toMatch(/^skyfare\.com\/done\?code=/);
  });

  it('library search finds a book by title words and pages through results', () => {
    let w = world();
    w = click(w, 'link:citylib.org/');
    w = click(w, 'btn:search');
    const pages = observe(w).elements.find((e) => e.key === 'pager:info')!.text;
    expect(pages).toMatch(/^Page 1 of [2-9]$/);
    w = click(w, 'link:citylib.org/search?page=2');
    expect(observe(w).elements.find((e) => e.key === 'pager:info')!.text).toMatch(/^Page 2 of/);
    const book = B(w).library.books[0];
    w = click(click(w, 'link:citylib.org/'), 'field:query');
    w = applyAction(w, { type: 'type', text: book.title }).world;
    w = click(w, 'btn:search');
    expect(observe(w).elements.some((e) => e.text === book.title)).toBe(true);
  });

  it('a new forum topic needs a title, a category and a message', () => {
    let w = world();
    w = click(click(w, 'link:intra.acme.com/'), 'link:intra.acme.com/forum');
    w = click(w, 'btn:newtopic');
    w = click(w, 'btn:post');
    expect(B(w).errors).toEqual([
      'Title needs 3+ letters.',
      'Choose a category.',
      'Write a message.',
    ]);
    const n = B(w).intranet.topics.length;
    w = click(w, 'field:title');
    w = applyAction(w, { type: 'type', text: 'Lost keys' }).world;
    w = click(click(w, 'sel:cat'), 'opt:cat:Social');
    w = click(w, 'field:body');
    w = applyAction(w, { type: 'type', text: 'Blue ones' }).world;
    w = click(w, 'btn:post');
    expect(B(w).intranet.topics.length).toBe(n + 1);
    expect(B(w).intranet.topics.at(-1)).toMatchObject({ title: 'Lost keys', category: 'Social' });
  });
});
