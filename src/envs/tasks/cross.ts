// Cross-app tasks: read something in one app, act on it in another.
import { click, defineTask, typeInto, visit, type Subgoal } from '../task';
import { appState } from '../world';
import { MAIL_KEYS, type MailState } from '../apps/mail';
import type { SettingsState } from '../apps/settings';
import { buyPlan, inCart, productsOf } from './shop';
import type { Product } from '../apps/shop';
import type { WorldState } from '../types';

const SUITE = 'gui-odyssey';
const M = (w: WorldState) => appState<MailState>(w, 'mail');

/** Open the (unique) email with this subject, so its content has been seen. */
function readMail(subject: string): Subgoal {
  const id = (w: WorldState) => M(w).messages.find((m) => m.subject === subject)?.id ?? '';
  return {
    name: 'read the email',
    done: (w) => M(w).readIds.includes(id(w)),
    act: (w) => ({ click: { app: 'mail', key: MAIL_KEYS.message(id(w)) } }),
    ephemeral: true,
  };
}

export default [
  // "Rename this device to the name the IT desk sent you by email."
  defineTask<{ name: string }>({
    id: 'cross.mail-to-settings',
    apps: ['mail', 'settings'],
    tags: { suite: SUITE, split: 'train', category: 'cross-app' },
    maxSteps: 25,
    generate: (rng) => {
      const name = `${rng.pick(['Lab', 'Desk', 'Room', 'Kiosk'])} ${rng.int(2, 40)}`;
      return {
        params: { name },
        instruction: 'Rename this device to the name the IT desk sent you by email.',
        apps: {
          mail: {
            extra: [
              {
                from: 'IT desk',
                subject: 'Your device name',
                body: `Please rename your phone to '${name}'.`,
                at: rng.int(0, 10),
              },
            ],
          },
        },
      };
    },
    check: (w, p) => appState<SettingsState>(w, 'settings').deviceName === p.name,
    plan: (p) => {
      const st = (w: WorldState) => appState<SettingsState>(w, 'settings');
      return [
        readMail('Your device name'),
        visit(
          'open rename',
          'settings',
          'open:rename',
          (w) => w.app === 'settings' && st(w).dialog === 'rename',
        ),
        typeInto(
          'type name',
          'settings',
          'field:name',
          p.name,
          (w) => w.app === 'settings' && st(w).dialog === 'rename' && st(w).nameDraft === p.name,
        ),
        click('confirm', 'settings', 'rename:ok', (w) => st(w).deviceName === p.name),
      ];
    },
  }),

  // "Add to your cart the item Grace asked for in her email."
  defineTask<{ friend: string; product: Product }>({
    id: 'cross.mail-to-shop',
    apps: ['mail', 'shop'],
    tags: { suite: SUITE, split: 'held-out-templates', category: 'cross-app' },
    maxSteps: 25,
    generate: (rng) => {
      const friend = rng.pick(['Grace', 'Heidi', 'Judy', 'Erin']);
      const kind = rng.pick(['mug', 'lamp', 'book', 'backpack']);
      const products = productsOf(rng, kind, 3);
      const product = rng.pick(products);
      return {
        params: { friend, product },
        instruction: `Add to your cart the item ${friend} asked for in her email.`,
        apps: {
          mail: {
            extra: [
              {
                from: friend,
                subject: 'A small favour',
                body: `Could you order me the ${product.name}? Thanks!`,
                at: rng.int(0, 10),
              },
            ],
          },
          shop: { products, exclusive: [kind] },
        },
      };
    },
    check: (w, p) => inCart(w, p.product.id),
    plan: (p) => [readMail('A small favour'), ...buyPlan(p.product)],
  }),
];
