// Settings: nested pages of toggles, sliders and choices. Developer options stay hidden until
// "Build number" is tapped three times (About phone), and airplane mode switches Wi-Fi off.
import { defineApp, fail } from '../app';
import { Column, dialog } from '../ui';
import type { IconName } from '../types';

export type SettingsPage =
  | 'main'
  | 'network'
  | 'bluetooth'
  | 'display'
  | 'sound'
  | 'notifications'
  | 'system'
  | 'about'
  | 'developer';

export const TIMEOUTS = [
  '15 seconds',
  '30 seconds',
  '1 minute',
  '2 minutes',
  '5 minutes',
  '10 minutes',
];
export const NOTIFYING_APPS = [
  'Banking',
  'Calendar',
  'Camera',
  'Chat',
  'Clock',
  'Contacts',
  'Drive',
  'Files',
  'Fitness',
  'Gallery',
  'Mail',
  'Maps',
  'Music',
  'News',
  'Notes',
  'Photos',
  'Podcasts',
  'Radio',
  'Shop',
  'Translate',
  'Wallet',
  'Weather',
];
export const PAIRED_DEVICES = ['Car audio', 'Headphones', 'Watch'];
/** Taps on "Build number" that unlock developer options. */
export const DEV_TAPS = 3;

export interface SettingsState {
  page: SettingsPage;
  dialog: null | 'timeout' | 'rename';
  nameDraft: string;
  wifi: boolean;
  mobileData: boolean;
  airplane: boolean;
  bluetooth: boolean;
  brightness: number;
  darkTheme: boolean;
  autoRotate: boolean;
  timeout: string;
  mediaVolume: number;
  ringVolume: number;
  vibrate: boolean;
  dnd: boolean;
  notifications: Record<string, boolean>;
  deviceName: string;
  buildTaps: number;
  developer: boolean;
  usbDebugging: boolean;
  showTaps: boolean;
  stayAwake: boolean;
}

export type SettingsOptions = Partial<Omit<SettingsState, 'page' | 'dialog' | 'nameDraft'>>;

const MAIN: { page: SettingsPage; label: string; icon: IconName }[] = [
  { page: 'network', label: 'Network', icon: 'wifi' },
  { page: 'bluetooth', label: 'Bluetooth', icon: 'bluetooth' },
  { page: 'display', label: 'Display', icon: 'sun' },
  { page: 'sound', label: 'Sound', icon: 'volume' },
  { page: 'notifications', label: 'Notifications', icon: 'bell' },
  { page: 'system', label: 'System', icon: 'gear' },
  { page: 'about', label: 'About phone', icon: 'phone' },
];

const TITLES: Record<SettingsPage, string> = {
  main: 'Settings',
  network: 'Network',
  bluetooth: 'Bluetooth',
  display: 'Display',
  sound: 'Sound',
  notifications: 'Notifications',
  system: 'System',
  about: 'About phone',
  developer: 'Developer options',
};

const BOOL_KEYS = [
  'wifi',
  'mobileData',
  'airplane',
  'bluetooth',
  'darkTheme',
  'autoRotate',
  'vibrate',
  'dnd',
  'usbDebugging',
  'showTaps',
  'stayAwake',
] as const;
type BoolKey = (typeof BOOL_KEYS)[number];
const SLIDER_KEYS = ['brightness', 'mediaVolume', 'ringVolume'] as const;
type SliderKey = (typeof SLIDER_KEYS)[number];

export default defineApp<SettingsState>({
  name: 'settings',
  label: 'Settings',
  icon: 'gear',
  color: 'grey',
  platforms: ['mobile', 'desktop'],
  ui: ['page', 'dialog', 'nameDraft'],
  init(rng, options) {
    const o = (options ?? {}) as SettingsOptions;
    const notifications: Record<string, boolean> = {};
    for (const a of NOTIFYING_APPS) notifications[a] = rng.chance(0.8);
    return {
      page: 'main',
      dialog: null,
      nameDraft: '',
      wifi: rng.chance(0.7),
      mobileData: rng.chance(0.6),
      airplane: false,
      bluetooth: rng.chance(0.5),
      brightness: rng.int(2, 8) * 10,
      darkTheme: rng.chance(0.3),
      autoRotate: rng.chance(0.5),
      timeout: rng.pick(TIMEOUTS.slice(0, 3)),
      mediaVolume: rng.int(2, 8) * 10,
      ringVolume: rng.int(2, 8) * 10,
      vibrate: rng.chance(0.5),
      dnd: false,
      deviceName: rng.pick(['Pixel', 'My phone', 'Galaxy', 'Moto']),
      buildTaps: 0,
      developer: false,
      usbDebugging: false,
      showTaps: false,
      stayAwake: false,
      ...o,
      notifications: { ...notifications, ...o.notifications },
    };
  },
  status(s) {
    const icons: IconName[] = [];
    if (s.wifi) icons.push('wifi');
    if (s.bluetooth) icons.push('bluetooth');
    if (s.airplane) icons.push('airplane');
    return icons;
  },
  view(s, ctx) {
    const col = new Column(ctx.width, 2);
    switch (s.page) {
      case 'main':
        for (const m of MAIN) col.item(`page:${m.page}`, m.label, { icon: m.icon });
        break;
      case 'network':
        col.toggle('toggle:wifi', 'Wi-Fi', s.wifi);
        col.toggle('toggle:mobileData', 'Mobile data', s.mobileData, { enabled: !s.airplane });
        col.toggle('toggle:airplane', 'Airplane mode', s.airplane);
        break;
      case 'bluetooth':
        col.toggle('toggle:bluetooth', 'Bluetooth', s.bluetooth);
        if (s.bluetooth) {
          col.gap(4).text('paired', 'Paired devices', { muted: true });
          for (const d of PAIRED_DEVICES)
            col.item(`device:${d}`, d, { icon: 'bluetooth', clickable: false });
        }
        break;
      case 'display':
        col.slider('slider:brightness', 'Brightness', s.brightness);
        col.gap(2);
        col.toggle('toggle:darkTheme', 'Dark theme', s.darkTheme);
        col.toggle('toggle:autoRotate', 'Auto-rotate', s.autoRotate);
        col.item('open:timeout', `Screen timeout: ${s.timeout}`);
        break;
      case 'sound':
        col.slider('slider:mediaVolume', 'Media volume', s.mediaVolume);
        col.slider('slider:ringVolume', 'Ring volume', s.ringVolume);
        col.gap(2);
        col.toggle('toggle:vibrate', 'Vibrate', s.vibrate);
        col.toggle('toggle:dnd', 'Do not disturb', s.dnd);
        break;
      case 'notifications':
        col.text('hint', 'Allow notifications from:', { muted: true });
        for (const a of NOTIFYING_APPS) col.toggle(`notify:${a}`, a, s.notifications[a]);
        break;
      case 'system':
        col.item('lang', 'Languages: English', { clickable: false });
        col.item('date', 'Date & time: automatic', { clickable: false });
        if (s.developer) col.item('page:developer', 'Developer options', { icon: 'gear' });
        break;
      case 'about':
        col.item('open:rename', `Device name: ${s.deviceName}`, { icon: 'pencil' });
        col.item('model', 'Model: TL-1', { clickable: false });
        col.item('build', 'Build number', { clickable: true });
        if (s.developer) col.text('devnote', 'You are a developer', { muted: true });
        break;
      case 'developer':
        col.toggle('toggle:usbDebugging', 'USB debugging', s.usbDebugging);
        col.toggle('toggle:showTaps', 'Show taps', s.showTaps);
        col.toggle('toggle:stayAwake', 'Stay awake', s.stayAwake);
        break;
    }
    const view = { screen: s.page, title: TITLES[s.page], body: col.nodes };
    if (s.dialog === 'timeout') {
      return {
        ...view,
        dialog: dialog('dialog:timeout', 'Screen timeout', ctx.width, ctx.height, (d) => {
          for (const t of TIMEOUTS)
            d.push(
              { key: `timeout:${t}`, role: 'menuitem', text: t, checked: t === s.timeout },
              12,
            );
          d.gap(2).buttons([{ key: 'dialog:cancel', text: 'Cancel', tone: 'plain' }]);
        }),
      };
    }
    if (s.dialog === 'rename') {
      return {
        ...view,
        dialog: dialog('dialog:rename', 'Rename device', ctx.width, ctx.height, (d) => {
          d.field('field:name', 'Device name', s.nameDraft);
          d.gap(3).buttons([
            { key: 'dialog:cancel', text: 'Cancel', tone: 'plain' },
            { key: 'rename:ok', text: 'OK' },
          ]);
        }),
      };
    }
    return view;
  },
  on(s, ev) {
    const key = ev.key;
    if (ev.kind === 'type')
      return key === 'field:name' ? { ...s, nameDraft: ev.text.slice(0, 20) } : s;
    if (ev.kind !== 'click') return s;
    if (key.startsWith('page:')) return { ...s, page: key.slice(5) as SettingsPage };
    if (key === 'dialog:cancel') return { ...s, dialog: null };
    if (key.startsWith('toggle:')) {
      const k = key.slice(7) as BoolKey;
      if (!BOOL_KEYS.includes(k)) return s;
      const next = { ...s, [k]: !s[k] };
      // Airplane mode cuts the radios.
      if (k === 'airplane' && next.airplane)
        Object.assign(next, { wifi: false, mobileData: false, bluetooth: false });
      return next;
    }
    if (key.startsWith('slider:')) {
      const k = key.slice(7) as SliderKey;
      if (!SLIDER_KEYS.includes(k)) return s;
      return { ...s, [k]: Math.round(ev.frac * 10) * 10 };
    }
    if (key.startsWith('notify:')) {
      const app = key.slice(7);
      return { ...s, notifications: { ...s.notifications, [app]: !s.notifications[app] } };
    }
    if (key === 'open:timeout') return { ...s, dialog: 'timeout' };
    if (key.startsWith('timeout:')) return { ...s, timeout: key.slice(8), dialog: null };
    if (key === 'open:rename') return { ...s, dialog: 'rename', nameDraft: s.deviceName };
    if (key === 'rename:ok') {
      if (!s.nameDraft.trim()) return fail(s, 'the device name cannot be empty');
      return { ...s, deviceName: s.nameDraft.trim(), dialog: null };
    }
    if (key === 'build') {
      const buildTaps = s.buildTaps + 1;
      return { ...s, buildTaps, developer: s.developer || buildTaps >= DEV_TAPS };
    }
    return s;
  },
  back(s) {
    if (s.dialog) return { ...s, dialog: null };
    if (s.page === 'developer') return { ...s, page: 'system' };
    if (s.page !== 'main') return { ...s, page: 'main' };
    return undefined;
  },
});
