// The home screen: a grid of app icons (glyph and colour drawn, label as text).
import { defineApp, openApp } from '../app';
import type { UiNode } from '../types';

export interface LauncherState {
  /** The launcher has no content of its own. */
  page: number;
}

const CELL_W = 52;
const CELL_H = 36;

export default defineApp<LauncherState>({
  name: 'launcher',
  label: 'Home',
  icon: 'home',
  color: 'grey',
  platforms: ['mobile', 'desktop', 'web'],
  ui: ['page'],
  init: () => ({ page: 0 }),
  view(_s, ctx) {
    const apps = ctx.installed.filter((a) => a.name !== 'launcher');
    const cols = Math.max(1, Math.floor(ctx.width / CELL_W));
    const left = Math.floor((ctx.width - cols * CELL_W) / 2);
    const body: UiNode[] = [];
    apps.forEach((a, i) => {
      const x = left + (i % cols) * CELL_W;
      const y = 6 + Math.floor(i / cols) * CELL_H;
      body.push({
        key: `tile:${a.name}`,
        role: 'image',
        box: { x: x + 17, y, w: 18, h: 18 },
        color: a.color,
        icon: a.icon,
      });
      body.push({
        key: `app:${a.name}`,
        role: 'button',
        tone: 'plain',
        text: a.label.slice(0, 8),
        box: { x: x + 1, y: y + 20, w: CELL_W - 2, h: 12 },
      });
    });
    return { screen: 'home', title: 'Home', body };
  },
  on(s, ev) {
    if (ev.kind === 'click' && ev.key.startsWith('app:')) return openApp(s, ev.key.slice(4));
    return s;
  },
});
