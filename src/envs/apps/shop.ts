// Shop: search or browse a category, results (colour swatches are pixels only), a product
// page with sizes, a cart, and a checkout whose "Place order" cannot be undone.
import type { Rng } from '../../rng';
import { defineApp, fail } from '../app';
import { Column, iconButton, image } from '../ui';
import type { ColorName, UiNode } from '../types';

/** Node keys of the shop app that carry an id or a cart line; its tasks click these. */
export const SHOP_KEYS = {
  product: (id: string) => `product:${id}`,
  removeLine: (index: number) => `remove:${index}`,
};

export interface Product {
  id: string;
  name: string;
  kind: string;
  color: ColorName;
  /** Whole dollars. */
  price: number;
  sizes: string[];
}

export interface CartLine {
  id: string;
  size: string | null;
  qty: number;
}

export interface Order {
  lines: CartLine[];
  address: string;
  pay: string;
}

export interface ShopState {
  page: 'home' | 'results' | 'product' | 'cart' | 'checkout' | 'placed';
  /** Contents of the search field. */
  query: string;
  /** What the results page shows: a search or a category. */
  results: { by: 'search' | 'kind'; term: string };
  product: string | null;
  /** Size picked on the product page. */
  size: string | null;
  address: string;
  pay: string | null;
  catalog: Product[];
  cart: CartLine[];
  orders: Order[];
}

export interface ShopOptions {
  /** Products to add to the catalog (ids must be unique). */
  products?: Product[];
  /** Kinds left out of the random filler, so a task controls every product of a kind. */
  exclusive?: string[];
}

export const KINDS = ['mug', 'lamp', 'shirt', 'chair', 'backpack', 'book'];
export const ADJECTIVES = [
  'Classic',
  'Modern',
  'Cozy',
  'Urban',
  'Nordic',
  'Retro',
  'Studio',
  'Travel',
  'Garden',
  'Royal',
];
export const SWATCHES: ColorName[] = [
  'red',
  'blue',
  'green',
  'yellow',
  'purple',
  'black',
  'orange',
  'pink',
];
export const SIZED = new Set(['shirt']);
export const PAYMENTS = ['Card', 'Cash'];

export function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

function fillerCatalog(rng: Rng, exclusive: string[]): Product[] {
  const out: Product[] = [];
  for (const kind of KINDS) {
    if (exclusive.includes(kind)) continue;
    const adjs = rng.shuffle(ADJECTIVES).slice(0, 3);
    adjs.forEach((a, i) =>
      out.push({
        id: `${kind}-${i}`,
        name: `${a} ${kind}`,
        kind,
        color: rng.pick(SWATCHES),
        price: rng.int(5, 90),
        sizes: SIZED.has(kind) ? ['S', 'M', 'L'] : [],
      }),
    );
  }
  return out;
}

function matches(s: ShopState): Product[] {
  const { by, term } = s.results;
  const t = term.trim().toLowerCase();
  if (!t) return [];
  return s.catalog.filter((p) =>
    by === 'kind' ? p.kind === t : p.name.toLowerCase().includes(t) || p.kind === t,
  );
}

function lineLabel(p: Product, l: CartLine): string {
  return `${p.name}${l.size ? ` (${l.size})` : ''} x${l.qty}`;
}

export default defineApp<ShopState>({
  name: 'shop',
  label: 'Shop',
  icon: 'bag',
  color: 'pink',
  platforms: ['mobile', 'web'],
  ui: ['page', 'query', 'results', 'product', 'size', 'address', 'pay'],
  init(rng, options) {
    const o = (options ?? {}) as ShopOptions;
    const catalog = [...fillerCatalog(rng, o.exclusive ?? []), ...(o.products ?? [])];
    return {
      page: 'home',
      query: '',
      results: { by: 'search', term: '' },
      product: null,
      size: null,
      address: '',
      pay: null,
      catalog,
      cart: [],
      orders: [],
    };
  },
  view(s, ctx) {
    const W = ctx.width;
    const count = s.cart.reduce((n, l) => n + l.qty, 0);
    const bar: UiNode[] = [
      { key: 'home', role: 'link', text: 'Shop', box: { x: 4, y: 3, w: 24, h: 10 } },
      iconButton('cart', 'cart', W - 30, 2, { text: 'Cart' }),
      {
        key: 'cartcount',
        role: 'text',
        text: String(count),
        box: { x: W - 17, y: 4, w: 14, h: 7 },
      },
    ];
    const col = new Column(W, 2);
    let bottom: UiNode[] | undefined;
    let screen: string = s.page;
    switch (s.page) {
      case 'home':
        col.field('field:search', 'Search', s.query);
        col.gap(2).button('search', 'Search', { icon: 'search' });
        col.gap(2).text('cats', 'Categories', { muted: true });
        for (const k of KINDS) col.item(`kind:${k}`, `${cap(k)}s`);
        break;
      case 'results': {
        screen = `results:${s.results.by}:${s.results.term}`;
        const list = matches(s);
        col.text('count', `${list.length} results for "${s.results.term}"`, { muted: true });
        for (const p of list)
          col.item(SHOP_KEYS.product(p.id), `${p.name}  $${p.price}`, { color: p.color });
        break;
      }
      case 'product': {
        screen = `product:${s.product}`;
        const p = s.catalog.find((x) => x.id === s.product);
        if (!p) break;
        col.push(image('photo', { x: 4, y: col.y, w: 48, h: 36 }, p.color, { icon: 'bag' }), 38);
        col.text('name', p.name);
        col.text('price', `$${p.price}`, { muted: true });
        if (p.sizes.length) {
          col.text('sizehint', 'Size', { muted: true });
          col.tabs('size', p.sizes, s.size ?? '');
        }
        col.gap(2).button('add', 'Add to cart', { icon: 'cart' });
        break;
      }
      case 'cart': {
        if (!s.cart.length) col.text('empty', 'Your cart is empty', { muted: true });
        s.cart.forEach((l, i) => {
          const p = s.catalog.find((x) => x.id === l.id)!;
          const label = lineLabel(p, l);
          const row = col.item(`line:${i}`, label, {
            color: p.color,
            clickable: false,
            context: label,
          });
          row.box = { ...row.box, w: row.box.w - 14 };
          col.nodes.push(
            iconButton(SHOP_KEYS.removeLine(i), 'trash', W - 16, row.box.y + 1, {
              text: 'Remove',
              context: label,
            }),
          );
        });
        const total = s.cart.reduce(
          (n, l) => n + l.qty * (s.catalog.find((x) => x.id === l.id)?.price ?? 0),
          0,
        );
        col.gap(2).text('total', `Total: $${total}`);
        bottom = [
          {
            key: 'checkout',
            role: 'button',
            text: 'Checkout',
            tone: 'primary',
            enabled: s.cart.length > 0,
            box: { x: 4, y: 3, w: 60, h: 12 },
          },
        ];
        break;
      }
      case 'checkout':
        col.field('field:address', 'Address', s.address);
        col.gap(2).text('payhint', 'Payment', { muted: true });
        for (const m of PAYMENTS) col.checkbox(`pay:${m}`, m, s.pay === m);
        col.gap(4).button('place', 'Place order', { tone: 'danger' });
        break;
      case 'placed':
        col.text('thanks', 'Order placed. Thank you!');
        col.gap(2).button('home', 'Keep shopping', { tone: 'plain' });
        break;
    }
    return { screen, title: 'Shop', bar, barHeight: 15, body: col.nodes, bottom, bottomHeight: 18 };
  },
  on(s, ev) {
    const key = ev.key;
    if (ev.kind === 'type') {
      if (key === 'field:search') return { ...s, query: ev.text.slice(0, 30) };
      if (key === 'field:address') return { ...s, address: ev.text.slice(0, 40) };
      return s;
    }
    if (ev.kind !== 'click') return s;
    if (key === 'home') return { ...s, page: 'home' };
    if (key === 'cart') return { ...s, page: 'cart' };
    if (key === 'search') {
      if (!s.query.trim()) return fail(s, 'type something to search for');
      return { ...s, page: 'results', results: { by: 'search', term: s.query.trim() } };
    }
    if (key.startsWith('kind:'))
      return { ...s, page: 'results', results: { by: 'kind', term: key.slice(5) } };
    if (key.startsWith('product:'))
      return { ...s, page: 'product', product: key.slice(8), size: null };
    if (key.startsWith('size:')) return { ...s, size: key.slice(5) };
    if (key === 'add') {
      const p = s.catalog.find((x) => x.id === s.product);
      if (!p) return s;
      if (p.sizes.length && !s.size) return fail(s, 'choose a size first');
      const size = p.sizes.length ? s.size : null;
      const i = s.cart.findIndex((l) => l.id === p.id && l.size === size);
      const cart =
        i >= 0
          ? s.cart.map((l, j) => (j === i ? { ...l, qty: l.qty + 1 } : l))
          : [...s.cart, { id: p.id, size, qty: 1 }];
      return { ...s, cart };
    }
    if (key.startsWith('remove:')) {
      const i = Number(key.slice(7));
      return { ...s, cart: s.cart.filter((_, j) => j !== i) };
    }
    if (key === 'checkout')
      return s.cart.length ? { ...s, page: 'checkout' } : fail(s, 'the cart is empty');
    if (key.startsWith('pay:')) return { ...s, pay: key.slice(4) };
    if (key === 'place') {
      if (!s.cart.length) return fail(s, 'the cart is empty');
      if (!s.address.trim()) return fail(s, 'enter a delivery address');
      if (!s.pay) return fail(s, 'choose a payment method');
      return {
        ...s,
        orders: [...s.orders, { lines: s.cart, address: s.address.trim(), pay: s.pay }],
        cart: [],
        page: 'placed',
      };
    }
    return s;
  },
  back(s) {
    switch (s.page) {
      case 'results':
        return { ...s, page: 'home' };
      case 'product':
        return { ...s, page: s.results.term ? 'results' : 'home', product: null, size: null };
      case 'checkout':
        return { ...s, page: 'cart' };
      case 'cart':
      case 'placed':
        return { ...s, page: 'home' };
      default:
        return undefined;
    }
  },
});
