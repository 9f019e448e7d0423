// File manager window: folders on the left, the files of one folder on the right (five per
// page), a toolbar and menus acting on the selected file: Open (in the editor), Rename, Move,
// Delete (behind a confirm, permanent), New folder.
import { fail } from '../../app';
import { box } from '../../ui';
import type { UiNode } from '../../types';
import {
  fileNameOk,
  findFile,
  raise,
  sortFiles,
  type DeskResult,
  type DeskWindow,
  type DesktopState,
} from './state';
import { leave } from './editor';
import { folderSidebar, wideDialog } from './widgets';

export const FILES_PER_PAGE = 5;

export function pageOf(s: DesktopState, folder: string, name: string): number {
  const i = (s.fs[folder] ?? []).findIndex((f) => f.name === name);
  return i < 0 ? 0 : Math.floor(i / FILES_PER_PAGE);
}

function pages(s: DesktopState): number {
  return Math.max(1, Math.ceil((s.fs[s.folder]?.length ?? 0) / FILES_PER_PAGE));
}

/** The selected file, or an error outcome when there is none. */
function selection(s: DesktopState): string | null {
  return s.selected && findFile(s, s.folder, s.selected) ? s.selected : null;
}

function act(s: DesktopState, what: string): DeskResult {
  if (what === 'newfolder') return { ...s, dialog: { kind: 'newfolder', draft: '' } };
  const file = selection(s);
  if (!file) return fail(s, 'select a file first');
  if (what === 'rename') return { ...s, dialog: { kind: 'rename', file, draft: file } };
  if (what === 'move') return { ...s, dialog: { kind: 'move', file } };
  if (what === 'delete') return { ...s, dialog: { kind: 'delete', file } };
  if (what === 'open') {
    // The editor comes to the front, asking first about unsaved changes.
    return leave(raise(s, 'editor'), { folder: s.folder, name: file });
  }
  return s;
}

export const explorer: DeskWindow = {
  name: 'explorer',
  label: 'Files',
  icon: 'folder',
  frame: box(50, 8, 202, 116),
  title: (s) => `Files - ${s.folder}`,
  menus: {
    File: [
      ['open', 'Open'],
      ['newfolder', 'New folder...'],
      ['close', 'Close'],
    ],
    Edit: [
      ['rename', 'Rename...'],
      ['move', 'Move to...'],
      ['delete', 'Delete'],
    ],
  },
  content(s, w, top, h) {
    const nodes: UiNode[] = [];
    let x = 3;
    for (const [k, label] of [
      ['open', 'Open'],
      ['rename', 'Rename'],
      ['move', 'Move'],
      ['delete', 'Delete'],
    ]) {
      const bw = label.length * 6 + 7;
      nodes.push({
        key: `fm:${k}`,
        role: 'button',
        tone: 'plain',
        text: label,
        box: box(x, top + 1, bw, 11),
      });
      x += bw + 2;
    }
    const y0 = top + 15;
    Object.keys(s.fs).forEach((f, i) =>
      nodes.push({
        key: `fm:folder:${f}`,
        role: 'listitem',
        text: f,
        icon: 'folder',
        checked: f === s.folder,
        box: box(2, y0 + i * 12, 68, 12),
      }),
    );
    nodes.push({ key: 'fm:split', role: 'panel', color: 'grey', box: box(71, y0, 1, h - y0 - 2) });
    const files = s.fs[s.folder] ?? [];
    const page = Math.min(s.page, pages(s) - 1);
    files.slice(page * FILES_PER_PAGE, (page + 1) * FILES_PER_PAGE).forEach((f, i) =>
      nodes.push({
        key: `fm:file:${f.name}`,
        role: 'listitem',
        text: f.name,
        icon: 'file',
        context: f.name,
        checked: f.name === s.selected,
        box: box(74, y0 + i * 12, w - 77, 12),
      }),
    );
    if (!files.length)
      nodes.push({
        key: 'fm:empty',
        role: 'text',
        text: 'Empty folder',
        muted: true,
        box: box(78, y0 + 3, 80, 9),
      });
    const py = h - 14;
    nodes.push(
      {
        key: 'fm:pageinfo',
        role: 'text',
        text: `Page ${page + 1}/${pages(s)}`,
        muted: true,
        box: box(78, py + 2, 60, 9),
      },
      {
        key: 'fm:prev',
        role: 'button',
        tone: 'plain',
        text: '<',
        enabled: page > 0,
        box: box(w - 32, py, 13, 11),
      },
      {
        key: 'fm:next',
        role: 'button',
        tone: 'plain',
        text: '>',
        enabled: page < pages(s) - 1,
        box: box(w - 17, py, 13, 11),
      },
    );
    return nodes;
  },
  dialog(s, W, H) {
    const d = s.dialog;
    if (d?.kind === 'rename' || d?.kind === 'newfolder') {
      const rename = d.kind === 'rename';
      return wideDialog(
        'dlg:frame',
        rename ? `Rename ${d.file}` : 'New folder',
        W,
        H,
        150,
        (col) => {
          col.field('dlg:name', rename ? 'New name' : 'Folder name', d.draft);
          col.gap(3).buttons([
            { key: 'dlg:cancel', text: 'Cancel', tone: 'plain' },
            { key: rename ? 'dlg:rename' : 'dlg:create', text: rename ? 'Rename' : 'Create' },
          ]);
        },
      );
    }
    if (d?.kind === 'move') {
      return wideDialog('dlg:frame', `Move ${d.file} to`, W, H, 150, (col) => {
        col.y =
          folderSidebar(
            col,
            Object.keys(s.fs).filter((f) => f !== s.folder),
            '',
            col.y,
          ) + 3;
        col.buttons([{ key: 'dlg:cancel', text: 'Cancel', tone: 'plain' }]);
      });
    }
    if (d?.kind === 'delete') {
      return wideDialog('dlg:frame', `Delete ${d.file}?`, W, H, 150, (col) => {
        col.text('dlg:warn', 'This cannot be undone.', { muted: true });
        col.gap(2).buttons([
          { key: 'dlg:cancel', text: 'Cancel', tone: 'plain' },
          { key: 'dlg:delete', text: 'Delete', tone: 'danger' },
        ]);
      });
    }
    return undefined;
  },
  on(s, key, ev): DeskResult {
    const d = s.dialog;
    if (ev.kind === 'type') {
      if (key === 'dlg:name' && (d?.kind === 'rename' || d?.kind === 'newfolder'))
        return { ...s, dialog: { ...d, draft: ev.text.slice(0, 30) } };
      return s;
    }
    if (d) {
      if (key === 'dlg:cancel') return { ...s, dialog: null };
      if (d.kind === 'newfolder' && key === 'dlg:create') {
        const name = d.draft.trim();
        if (!fileNameOk(name)) return fail(s, 'that folder name is not allowed');
        if (s.fs[name]) return fail(s, `a folder named ${name} exists`);
        return { ...s, dialog: null, fs: { ...s.fs, [name]: [] } };
      }
      if (!('file' in d)) return s;
      const files = s.fs[s.folder] ?? [];
      const entry = files.find((f) => f.name === d.file);
      if (!entry) return { ...s, dialog: null };
      if (d.kind === 'delete' && key === 'dlg:delete')
        return {
          ...s,
          dialog: null,
          selected: null,
          fs: { ...s.fs, [s.folder]: files.filter((f) => f !== entry) },
          deleted: [...s.deleted, `${s.folder}/${entry.name}`],
        };
      if (d.kind === 'rename' && key === 'dlg:rename') {
        const name = d.draft.trim();
        if (!fileNameOk(name)) return fail(s, 'that file name is not allowed');
        if (name !== entry.name && files.some((f) => f.name === name))
          return fail(s, `${name} already exists`);
        const renamed = sortFiles(files.map((f) => (f === entry ? { ...f, name } : f)));
        return { ...s, dialog: null, selected: name, fs: { ...s.fs, [s.folder]: renamed } };
      }
      if (d.kind === 'move' && key.startsWith('dlg:folder:')) {
        const to = key.slice(11);
        if (!s.fs[to] || to === s.folder) return s;
        if (s.fs[to].some((f) => f.name === entry.name))
          return fail(s, `${to} already has ${entry.name}`);
        const fs = {
          ...s.fs,
          [s.folder]: files.filter((f) => f !== entry),
          [to]: sortFiles([...s.fs[to], entry]),
        };
        return { ...s, dialog: null, selected: null, fs };
      }
      return s;
    }
    if (key.startsWith('fm:folder:'))
      return { ...s, folder: key.slice(10), selected: null, page: 0 };
    if (key.startsWith('fm:file:')) return { ...s, selected: key.slice(8) };
    if (key === 'fm:prev') return { ...s, page: Math.max(0, s.page - 1) };
    if (key === 'fm:next') return { ...s, page: Math.min(pages(s) - 1, s.page + 1) };
    if (key === 'menu:explorer:close')
      return { ...s, windows: s.windows.filter((w) => w !== 'explorer') };
    const what = key.startsWith('fm:')
      ? key.slice(3)
      : key.startsWith('menu:explorer:')
        ? key.slice(14)
        : '';
    return what ? act(s, what) : s;
  },
};
