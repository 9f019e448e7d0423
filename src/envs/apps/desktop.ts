// Desktop (platform 'desktop'): a window manager with a taskbar and three overlapping windows —
// text editor, file manager, spreadsheet — that share one disk. Clicking a window or its
// taskbar button brings it to the front and gives it the focus; only the focused window takes
// clicks and keys (a click on a window behind only raises it); each window has a menu bar
// with drop-down menus, and modal dialogs block everything until answered.
import type { Rng } from '../../rng';
import { defineApp, type AppEvent } from '../app';
import { box } from '../ui';
import type { Box, UiNode } from '../types';
import { editor } from './desktop/editor';
import { explorer } from './desktop/explorer';
import { sheet } from './desktop/sheet';
import {
  DESKTOP_UI,
  focused,
  raise,
  sortFiles,
  type DFile,
  type DeskResult,
  type DeskWindow,
  type DesktopState,
  type SheetRow,
  type WinName,
} from './desktop/state';

export type { DesktopState } from './desktop/state';

export const DESK_WINDOWS: Record<WinName, DeskWindow> = { editor, explorer, sheet };

export interface DesktopOptions {
  /** Windows open at the start, back to front (default: all three, editor in front). */
  open?: WinName[];
  /** Files to add, by folder (created if missing). */
  files?: Record<string, DFile[]>;
  /** The editor's document at the start: a file (or untitled), optionally with unsaved text. */
  doc?: { folder?: string; name?: string; text?: string };
  /** Rows to add to the spreadsheet (ids are assigned). */
  rows?: Omit<SheetRow, 'id'>[];
}

const WORDS = ['alpha', 'meeting', 'budget', 'draft', 'review', 'summer', 'launch', 'notes'];
const FILLER: Record<string, string[]> = {
  Documents: [
    'report.txt',
    'letter.txt',
    'cv.txt',
    'minutes.txt',
    'plan.txt',
    'ideas.txt',
    'quotes.txt',
  ],
  Projects: ['todo.txt', 'roadmap.txt', 'design.txt', 'specs.txt'],
  Notes: ['groceries.txt', 'books.txt', 'calls.txt'],
  Archive: [
    'old-tax.txt',
    'backup.txt',
    'draft-1.txt',
    'draft-2.txt',
    'photos.txt',
    'receipts.txt',
    'travel.txt',
    'wiki.txt',
    'zip-list.txt',
  ],
};
export const DESK_FOLDERS = Object.keys(FILLER);
export const SUPPLIES = [
  'Pens',
  'Paper',
  'Stapler',
  'Folders',
  'Tape',
  'Ink',
  'Markers',
  'Notebooks',
  'Clips',
  'Labels',
  'Envelopes',
  'Scissors',
  'Glue',
  'Rulers',
];

const MENU_ITEM_H = 11;
const MENUBAR_Y = 12;
const CONTENT_TOP = 24;
const TASKBAR_H = 16;

function menubar(win: DeskWindow): { name: string; x: number; w: number }[] {
  let x = 2;
  return Object.keys(win.menus).map((name) => {
    const w = name.length * 6 + 8;
    const m = { name, x, w };
    x += w;
    return m;
  });
}

function offset(n: UiNode, f: Box): UiNode {
  return { ...n, box: { ...n.box, x: n.box.x + f.x, y: n.box.y + f.y } };
}

/** The centre of `a` lies in `b`: a click on `a` would land on `b` instead. */
function covers(b: Box, a: Box): boolean {
  const cx = a.x + Math.floor(a.w / 2);
  const cy = a.y + Math.floor(a.h / 2);
  return cx >= b.x && cy >= b.y && cx < b.x + b.w && cy < b.y + b.h;
}

/** A window's nodes on the desktop; behind the focused one it only raises itself when clicked. */
function windowNodes(s: DesktopState, win: DeskWindow, active: boolean): UiNode[] {
  const f = win.frame;
  const nodes: UiNode[] = [
    { key: `win:${win.name}`, role: 'window', text: win.title(s), clickable: true, box: f },
  ];
  if (active) {
    nodes.push(
      {
        key: `titlebar:${win.name}`,
        role: 'panel',
        color: 'blue',
        box: box(f.x + 1, f.y + 1, f.w - 2, 11),
      },
      {
        key: `title:${win.name}`,
        role: 'text',
        text: win.title(s),
        color: 'white',
        box: box(f.x + 5, f.y + 3, f.w - 20, 7),
      },
    );
  }
  const bar: UiNode[] = [
    {
      key: `close:${win.name}`,
      role: 'icon',
      icon: 'close',
      text: 'Close',
      color: active ? 'white' : undefined,
      box: box(f.w - 12, 1, 11, 11),
    },
    { key: `menubg:${win.name}`, role: 'panel', box: box(1, MENUBAR_Y, f.w - 2, 11) },
    ...menubar(win).map((m): UiNode => ({
      key: `menubar:${win.name}:${m.name}`,
      role: 'menuitem',
      text: m.name,
      checked: s.menu === `${win.name}:${m.name}`,
      box: box(m.x, MENUBAR_Y, m.w, 11),
    })),
    {
      key: `menuline:${win.name}`,
      role: 'panel',
      color: 'grey',
      box: box(1, CONTENT_TOP - 1, f.w - 2, 1),
    },
  ];
  const content = win.content(s, f.w, CONTENT_TOP, f.h);
  for (const n of [...bar, ...content]) {
    const placed = offset(n, f);
    // Behind the focused window, or under an open menu: drawn and listed, but a click there
    // only raises the window (closing the menu), so the nodes get other keys.
    if (!active || (s.menu && content.includes(n))) {
      placed.key = `behind:${n.key}`;
      placed.clickable = false;
      if (n.role === 'textfield') placed.enabled = false;
    }
    nodes.push(placed);
  }
  return nodes;
}

function dropdown(s: DesktopState, win: DeskWindow): UiNode[] {
  const m = menubar(win).find((x) => s.menu === `${win.name}:${x.name}`);
  if (!m) return [];
  const items = win.menus[m.name];
  const w = Math.max(...items.map(([, label]) => label.length * 6)) + 12;
  const x = win.frame.x + m.x;
  const y = win.frame.y + CONTENT_TOP - 1;
  return [
    {
      key: `dropdown:${win.name}`,
      role: 'menu',
      box: box(x, y, w, items.length * MENU_ITEM_H + 2),
    },
    ...items.map(([k, label], i): UiNode => ({
      key: `menu:${win.name}:${k}`,
      role: 'menuitem',
      text: label,
      context: m.name,
      box: box(x + 1, y + 1 + i * MENU_ITEM_H, w - 2, MENU_ITEM_H),
    })),
  ];
}

function route(s: DesktopState, win: WinName, key: string, ev: AppEvent): DeskResult {
  return DESK_WINDOWS[win].on(s, key, ev);
}

function initFs(rng: Rng, extra: Record<string, DFile[]>): Record<string, DFile[]> {
  const fs: Record<string, DFile[]> = {};
  for (const [folder, names] of Object.entries(FILLER)) {
    fs[folder] = names
      .filter(() => rng.chance(0.85))
      .map((name) => ({ name, text: `${rng.pick(WORDS)} ${rng.pick(WORDS)} ${rng.int(1, 99)}` }));
  }
  for (const [folder, files] of Object.entries(extra)) {
    // A task's files replace filler files of the same name.
    const names = new Set(files.map((f) => f.name));
    fs[folder] = [...(fs[folder] ?? []).filter((f) => !names.has(f.name)), ...files];
  }
  for (const f of Object.keys(fs)) fs[f] = sortFiles(fs[f]);
  return fs;
}

export default defineApp<DesktopState>({
  name: 'desktop',
  label: 'Desktop',
  icon: 'home',
  color: 'teal',
  platforms: ['desktop'],
  ui: DESKTOP_UI,
  init(rng: Rng, options) {
    const o = (options ?? {}) as DesktopOptions;
    const fs = initFs(rng, o.files ?? {});
    let doc: DesktopState['doc'] = { folder: null, name: null, text: '', saved: '' };
    if (o.doc) {
      const { folder = null, name = null } = o.doc;
      const saved = (folder && fs[folder]?.find((f) => f.name === name)?.text) || '';
      doc = { folder, name, text: o.doc.text ?? saved, saved };
    }
    const taken = new Set((o.rows ?? []).map((r) => r.item));
    const filler = rng.shuffle(SUPPLIES.filter((x) => !taken.has(x))).slice(0, rng.int(7, 10));
    const plain = filler.map((item) => ({ item, qty: rng.int(1, 40), price: rng.int(1, 30) }));
    const all = rng.shuffle([...plain, ...(o.rows ?? [])]).map((r, id) => ({ id, ...r }));
    return {
      windows: o.open ?? ['sheet', 'explorer', 'editor'],
      menu: null,
      dialog: null,
      folder: 'Documents',
      selected: null,
      page: 0,
      cell: null,
      top: 0,
      fs,
      deleted: [],
      doc,
      sheet: { rows: all, sort: null, removed: [] },
    };
  },
  view(s, ctx) {
    const H = ctx.height - TASKBAR_H;
    const body: UiNode[] = [
      { key: 'wallpaper', role: 'panel', color: 'teal', box: box(0, 0, ctx.width, H - 4) },
    ];
    const top = focused(s);
    s.windows.forEach((name, i) => {
      const nodes = windowNodes(s, DESK_WINDOWS[name], name === top);
      // Content whose centre is behind a window in front is not drawn nor listed, so every
      // listed element can be clicked at its centre.
      const above = s.windows.slice(i + 1).map((w) => DESK_WINDOWS[w].frame);
      body.push(
        ...nodes.filter(
          (n, j) => j === 0 || n.role === 'panel' || !above.some((f) => covers(f, n.box)),
        ),
      );
    });
    if (top) body.push(...dropdown(s, DESK_WINDOWS[top]));
    const bottom: UiNode[] = [
      { key: 'taskbar:line', role: 'panel', color: 'grey', box: box(0, 0, ctx.width, 1) },
      ...Object.values(DESK_WINDOWS).map((w, i): UiNode => ({
        key: `task:${w.name}`,
        role: 'tab',
        text: w.label,
        checked: w.name === top,
        muted: !s.windows.includes(w.name),
        box: box(4 + i * 52, 2, 50, 13),
      })),
      { key: 'taskbar:clock', role: 'text', text: '09:41', box: box(ctx.width - 34, 5, 30, 7) },
    ];
    const dialog = top ? DESK_WINDOWS[top].dialog(s, ctx.width, ctx.height) : undefined;
    return {
      screen: 'desktop',
      title: top ? DESK_WINDOWS[top].title(s) : 'Desktop',
      body,
      bottom,
      bottomHeight: TASKBAR_H,
      ...(dialog && s.dialog ? { dialog } : {}),
    };
  },
  on(s, ev) {
    if (ev.kind === 'longpress') return s;
    const key = ev.key;
    const top = focused(s);
    if (ev.kind === 'type') return top ? route(s, top, key, ev) : s;
    if (s.dialog && top) return route(s, top, key, ev);
    const [kind, name] = key.split(':') as [string, WinName];
    if (kind === 'task' || kind === 'win') return name === top && !s.menu ? s : raise(s, name);
    if (kind === 'menubar') {
      const menu = key.slice(8);
      return { ...s, menu: s.menu === menu ? null : menu };
    }
    if (kind === 'menu') return route({ ...s, menu: null }, name, key, ev);
    // A click outside an open menu only closes it.
    if (s.menu) return { ...s, menu: null };
    if (kind === 'close') return route(s, name, `menu:${name}:close`, ev);
    return top ? route(s, top, key, ev) : s;
  },
  back(s) {
    if (s.dialog) return { ...s, dialog: null };
    if (s.menu) return { ...s, menu: null };
    return undefined;
  },
});
