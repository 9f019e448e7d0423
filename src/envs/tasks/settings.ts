// Settings tasks.
import { click, defineTask, typeInto, visit } from '../task';
import { appState } from '../world';
import { NOTIFYING_APPS, TIMEOUTS, type SettingsState } from '../apps/settings';
import type { WorldState } from '../types';

const S = (w: WorldState) => appState<SettingsState>(w, 'settings');
const SUITE = 'android-world';

export default [
  // "Turn Wi-Fi off." / "Turn Wi-Fi on."
  defineTask<{ on: boolean }>({
    id: 'settings.wifi',
    apps: ['settings'],
    tags: { suite: SUITE, split: 'train', category: 'basic' },
    generate: (rng) => {
      const on = rng.chance(0.5);
      return {
        params: { on },
        instruction: `Turn Wi-Fi ${on ? 'on' : 'off'}.`,
        apps: { settings: { wifi: !on } },
      };
    },
    check: (w, p) => S(w).wifi === p.on,
    plan: (p) => [click('wifi', 'settings', 'toggle:wifi', (w) => S(w).wifi === p.on)],
  }),

  // "Set the brightness to 70%."
  defineTask<{ level: number }>({
    id: 'settings.brightness',
    apps: ['settings'],
    tags: { suite: SUITE, split: 'train', category: 'basic' },
    generate: (rng) => {
      const level = rng.int(0, 10) * 10;
      const start = (level + rng.int(1, 9) * 10) % 110;
      return {
        params: { level },
        instruction: `Set the brightness to ${level}%.`,
        apps: { settings: { brightness: start === level ? (level + 50) % 100 : start } },
      };
    },
    check: (w, p) => S(w).brightness === p.level,
    plan: (p) => [
      click(
        'brightness',
        'settings',
        'slider:brightness',
        (w) => S(w).brightness === p.level,
        p.level / 100,
      ),
    ],
  }),

  // "Turn off notifications from Weather." (the list runs past the screen)
  defineTask<{ app: string }>({
    id: 'settings.mute-notifications',
    apps: ['settings'],
    tags: { suite: SUITE, split: 'train', category: 'target-off-screen' },
    generate: (rng) => {
      const app = rng.pick(NOTIFYING_APPS.slice(16));
      return {
        params: { app },
        instruction: `Turn off notifications from ${app}.`,
        apps: { settings: { notifications: { [app]: true } } },
      };
    },
    check: (w, p) => !S(w).notifications[p.app],
    plan: (p) => [
      click(`mute ${p.app}`, 'settings', `notify:${p.app}`, (w) => !S(w).notifications[p.app]),
    ],
  }),

  // "Turn on airplane mode, then turn Wi-Fi back on." (airplane mode turns Wi-Fi off)
  defineTask<Record<string, never>>({
    id: 'settings.airplane-wifi',
    apps: ['settings'],
    tags: { suite: SUITE, split: 'train', category: 'order-matters' },
    generate: () => ({
      params: {},
      instruction: 'Turn on airplane mode, then turn Wi-Fi back on.',
      apps: { settings: { wifi: true, airplane: false } },
    }),
    check: (w) => S(w).airplane && S(w).wifi,
    plan: () => [
      click('airplane on', 'settings', 'toggle:airplane', (w) => S(w).airplane),
      click('wifi on', 'settings', 'toggle:wifi', (w) => S(w).wifi),
    ],
  }),

  // "Enable USB debugging." (developer options must be unlocked first, in About phone)
  defineTask<Record<string, never>>({
    id: 'settings.usb-debugging',
    apps: ['settings'],
    tags: { suite: SUITE, split: 'held-out-templates', category: 'order-matters' },
    generate: () => ({ params: {}, instruction: 'Enable USB debugging.' }),
    check: (w) => S(w).usbDebugging,
    plan: () => [
      click('unlock developer options', 'settings', 'build', (w) => S(w).developer),
      click('usb debugging', 'settings', 'toggle:usbDebugging', (w) => S(w).usbDebugging),
    ],
    maxSteps: 25,
  }),

  // "Rename this device to 'Kitchen tab'."
  defineTask<{ name: string }>({
    id: 'settings.rename-device',
    apps: ['settings'],
    tags: { suite: SUITE, split: 'train', category: 'form' },
    generate: (rng) => {
      const name = `${rng.pick(['Kitchen', 'Office', 'Travel', 'Studio', 'Garden'])} ${rng.pick(['tab', 'phone', 'pad', 'unit'])}`;
      return { params: { name }, instruction: `Rename this device to '${name}'.` };
    },
    check: (w, p) => S(w).deviceName === p.name,
    plan: (p) => [
      visit('open rename', 'settings', 'open:rename', (w) => S(w).dialog === 'rename'),
      typeInto(
        'type name',
        'settings',
        'field:name',
        p.name,
        (w) => S(w).dialog === 'rename' && S(w).nameDraft === p.name,
      ),
      click('confirm', 'settings', 'rename:ok', (w) => S(w).deviceName === p.name),
    ],
  }),

  // "Set the screen timeout to 5 minutes."
  defineTask<{ timeout: string }>({
    id: 'settings.screen-timeout',
    apps: ['settings'],
    tags: { suite: SUITE, split: 'held-out-params', category: 'basic' },
    generate: (rng) => {
      const timeout = rng.pick(TIMEOUTS.slice(3));
      return { params: { timeout }, instruction: `Set the screen timeout to ${timeout}.` };
    },
    check: (w, p) => S(w).timeout === p.timeout,
    plan: (p) => [
      visit('open timeout', 'settings', 'open:timeout', (w) => S(w).dialog === 'timeout'),
      click('choose', 'settings', `timeout:${p.timeout}`, (w) => S(w).timeout === p.timeout),
    ],
  }),
];
