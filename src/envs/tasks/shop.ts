// Shop tasks, and the shopping subgoals the cross-app tasks reuse.
import type { Rng } from '../../rng';
import { click, defineTask, typeInto, visit, type Subgoal } from '../task';
import { appState } from '../world';
import {
  ADJECTIVES,
  PAYMENTS,
  SHOP_KEYS,
  SWATCHES,
  type Product,
  type ShopState,
} from '../apps/shop';
import type { ColorName, WorldState } from '../types';

const S = (w: WorldState) => appState<ShopState>(w, 'shop');
const SUITE = 'mind2web';
const TASK_KINDS = ['mug', 'lamp', 'chair', 'backpack', 'book'];

/** Products of one kind that the task controls (the filler leaves the kind out). */
export function productsOf(rng: Rng, kind: string, n: number): Product[] {
  const adjs = rng.shuffle(ADJECTIVES).slice(0, n);
  const colors = rng.shuffle(SWATCHES).slice(0, n);
  const prices = rng.shuffle([...Array(60).keys()].map((i) => i + 8)).slice(0, n);
  return adjs.map((a, i) => ({
    id: `t-${kind}-${i}`,
    name: `${a} ${kind}`,
    kind,
    color: colors[i],
    price: prices[i],
    sizes: kind === 'shirt' ? ['S', 'M', 'L'] : [],
  }));
}

export function inCart(w: WorldState, id: string, size: string | null = null): boolean {
  return S(w).cart.some((l) => l.id === id && l.size === size);
}

/** Search for a product by name, open it, add it to the cart (optionally in a size). */
export function buyPlan(p: Product, size: string | null = null): Subgoal[] {
  const onPage = (w: WorldState) => S(w).page === 'product' && S(w).product === p.id;
  const q = p.name.toLowerCase();
  return [
    typeInto(
      'type query',
      'shop',
      'field:search',
      q,
      (w) => S(w).page === 'home' && S(w).query.trim().toLowerCase() === q,
    ),
    visit(
      'search',
      'shop',
      'search',
      (w) => S(w).page === 'results' && S(w).results.term.toLowerCase() === q,
    ),
    visit('open product', 'shop', `product:${p.id}`, onPage),
    ...(size
      ? [
          {
            ...click('pick size', 'shop', `size:${size}`, (w) => onPage(w) && S(w).size === size),
            ephemeral: true,
          },
        ]
      : []),
    click('add to cart', 'shop', 'add', (w) => inCart(w, p.id, size)),
  ];
}

/** Browse a category, open a product, add it (for choices made on the results page). */
function browsePlan(p: Product): Subgoal[] {
  return [
    visit(
      'open category',
      'shop',
      `kind:${p.kind}`,
      (w) => S(w).page === 'results' && S(w).results.term === p.kind,
    ),
    visit(
      'open product',
      'shop',
      `product:${p.id}`,
      (w) => S(w).page === 'product' && S(w).product === p.id,
    ),
    click('add to cart', 'shop', 'add', (w) => inCart(w, p.id)),
  ];
}

export default [
  // "Add the Nordic lamp to your cart."
  defineTask<{ product: Product }>({
    id: 'shop.add-to-cart',
    apps: ['shop'],
    tags: { suite: SUITE, split: 'train', category: 'basic' },
    generate: (rng) => {
      const kind = rng.pick(TASK_KINDS);
      const products = productsOf(rng, kind, 3);
      const product = rng.pick(products);
      return {
        params: { product },
        instruction: `Add the ${product.name} to your cart.`,
        apps: { shop: { products, exclusive: [kind] } },
      };
    },
    check: (w, p) => inCart(w, p.product.id),
    plan: (p) => buyPlan(p.product),
  }),

  // "Add the cheapest chair to your cart." (compare prices on the results page first)
  defineTask<{ product: Product; kind: string }>({
    id: 'shop.cheapest',
    apps: ['shop'],
    tags: { suite: SUITE, split: 'train', category: 'early-choice' },
    generate: (rng) => {
      const kind = rng.pick(TASK_KINDS);
      const products = productsOf(rng, kind, 4);
      const product = products.reduce((a, b) => (b.price < a.price ? b : a));
      return {
        params: { product, kind },
        instruction: `Add the cheapest ${kind} to your cart.`,
        apps: { shop: { products, exclusive: [kind] } },
      };
    },
    check: (w, p) => inCart(w, p.product.id),
    plan: (p) => browsePlan(p.product),
  }),

  // "Add the green mug to your cart." (the colour is only in the pictures)
  defineTask<{ product: Product; color: ColorName }>({
    id: 'shop.by-color',
    apps: ['shop'],
    tags: { suite: SUITE, split: 'held-out-params', category: 'early-choice' },
    generate: (rng) => {
      const kind = rng.pick(TASK_KINDS);
      const products = productsOf(rng, kind, 3);
      const product = rng.pick(products);
      return {
        params: { product, color: product.color },
        instruction: `Add the ${product.color} ${kind} to your cart.`,
        apps: { shop: { products, exclusive: [kind] } },
      };
    },
    check: (w, p) => inCart(w, p.product.id),
    plan: (p) => browsePlan(p.product),
  }),

  // "Buy the Urban shirt in size M, paid by Cash, delivered to '12 Oak St'." (one order, no undo)
  defineTask<{ product: Product; size: string; pay: string; address: string }>({
    id: 'shop.checkout',
    apps: ['shop'],
    tags: { suite: SUITE, split: 'train', category: 'irreversible' },
    maxSteps: 25,
    generate: (rng) => {
      const products = productsOf(rng, 'shirt', 3);
      const product = rng.pick(products);
      const size = rng.pick(['S', 'M', 'L']);
      const pay = rng.pick(PAYMENTS);
      const address = `${rng.int(2, 99)} ${rng.pick(['Oak', 'Elm', 'Pine', 'Lake', 'Hill'])} St`;
      return {
        params: { product, size, pay, address },
        instruction: `Buy the ${product.name} in size ${size}, paid by ${pay}, delivered to '${address}'.`,
        apps: { shop: { products, exclusive: ['shirt'] } },
      };
    },
    check: (w, p) => S(w).orders.length === 1 && orderOk(w, p),
    failed: (w, p) => S(w).orders.length > 0 && !orderOk(w, p),
    plan: (p) => {
      const at = (page: ShopState['page']) => (w: WorldState) => S(w).page === page;
      const cartOnly = (w: WorldState) =>
        S(w).cart.length === 1 && S(w).cart[0].qty === 1 && inCart(w, p.product.id, p.size);
      return [
        ...buyPlan(p.product, p.size),
        {
          // Anything else in the cart (an earlier slip) must go before paying.
          name: 'clean cart',
          done: cartOnly,
          act: (w) => ({
            click: {
              app: 'shop',
              key: SHOP_KEYS.removeLine(
                Math.max(
                  0,
                  S(w).cart.findIndex(
                    (l) => !(l.id === p.product.id && l.size === p.size && l.qty === 1),
                  ),
                ),
              ),
            },
          }),
        },
        {
          ...visit('checkout', 'shop', 'checkout', (w) => at('checkout')(w) && cartOnly(w)),
          name: 'go to checkout',
        },
        typeInto(
          'address',
          'shop',
          'field:address',
          p.address,
          (w) => at('checkout')(w) && S(w).address === p.address,
          false,
        ),
        click('payment', 'shop', `pay:${p.pay}`, (w) => at('checkout')(w) && S(w).pay === p.pay),
        click('place order', 'shop', 'place', (w) => S(w).orders.length > 0),
      ];
    },
  }),
];

function orderOk(
  w: WorldState,
  p: { product: Product; size: string; pay: string; address: string },
): boolean {
  const o = S(w).orders[0];
  return (
    !!o &&
    o.pay === p.pay &&
    o.address === p.address &&
    o.lines.length === 1 &&
    o.lines[0].id === p.product.id &&
    o.lines[0].size === p.size &&
    o.lines[0].qty === 1
  );
}
