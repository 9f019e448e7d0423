// Files: folders of files; each file has a menu (the ⋮ icon or a long press) with Rename,
// Move and Delete. Delete sits behind a confirm dialog and cannot be undone.
import type { Rng } from '../../rng';
import { defineApp, fail } from '../app';
import { Column, dialog, iconButton } from '../ui';
import type { UiNode } from '../types';

export interface FileEntry {
  name: string;
  /** Size in KB. */
  size: number;
}

export type FilesDialog =
  | { kind: 'menu'; file: string }
  | { kind: 'delete'; file: string }
  | { kind: 'rename'; file: string; draft: string }
  | { kind: 'move'; file: string }
  | { kind: 'newfolder'; draft: string };

export interface FilesState {
  /** Open folder, or null for the list of folders. */
  folder: string | null;
  dialog: FilesDialog | null;
  folders: Record<string, FileEntry[]>;
  /** Paths deleted so far ('Folder/name'): deletion is permanent. */
  deleted: string[];
}

export interface FilesOptions {
  /** Files to add, by folder (created if missing). */
  extra?: Record<string, string[]>;
}

export const FOLDERS = ['Documents', 'Downloads', 'Music', 'Photos', 'Archive'];
const FILLER: Record<string, string[]> = {
  Documents: ['budget.xlsx', 'cv.pdf', 'letter.docx', 'minutes.txt', 'plan.md', 'taxes.pdf'],
  Downloads: [
    'app.apk',
    'manual.pdf',
    'setup.zip',
    'song.mp3',
    'ticket.pdf',
    'map.png',
    'form.pdf',
    'font.ttf',
    'data.csv',
    'notes.txt',
    'slides.pptx',
    'video.mp4',
    'paper.pdf',
    'menu.pdf',
    'logo.svg',
    'guide.epub',
    'invoice.pdf',
  ],
  Music: ['intro.mp3', 'theme.mp3', 'demo.wav'],
  Photos: ['beach.jpg', 'cat.jpg', 'dinner.jpg', 'garden.jpg', 'sunset.jpg'],
  Archive: ['old.zip', 'backup.tar'],
};

function sortFiles(files: FileEntry[]): FileEntry[] {
  return [...files].sort((a, b) => a.name.localeCompare(b.name));
}

function fileOk(name: string): boolean {
  return /^[A-Za-z0-9 ._-]{1,24}$/.test(name) && !/^\.+$/.test(name);
}

export default defineApp<FilesState>({
  name: 'files',
  label: 'Files',
  icon: 'folder',
  color: 'orange',
  platforms: ['mobile', 'desktop'],
  ui: ['folder', 'dialog'],
  init(rng: Rng, options) {
    const o = (options ?? {}) as FilesOptions;
    const folders: Record<string, FileEntry[]> = {};
    for (const f of FOLDERS) {
      // Keep most filler files; which ones varies by seed.
      const names = FILLER[f].filter(() => rng.chance(0.85));
      folders[f] = names.map((name) => ({ name, size: rng.int(4, 900) }));
    }
    for (const [f, names] of Object.entries(o.extra ?? {})) {
      const have = new Set((folders[f] ??= []).map((x) => x.name));
      for (const name of names)
        if (!have.has(name)) folders[f].push({ name, size: rng.int(4, 900) });
    }
    for (const f of Object.keys(folders)) folders[f] = sortFiles(folders[f]);
    return { folder: null, dialog: null, folders, deleted: [] };
  },
  view(s, ctx) {
    const col = new Column(ctx.width, 2);
    let bottom: UiNode[] | undefined;
    let title = 'Files';
    if (s.folder === null) {
      for (const f of Object.keys(s.folders))
        col.item(`folder:${f}`, `${f} (${s.folders[f].length})`, { icon: 'folder' });
      bottom = [
        {
          key: 'newfolder',
          role: 'button',
          text: 'New folder',
          icon: 'plus',
          box: { x: 4, y: 3, w: 76, h: 12 },
        },
      ];
    } else {
      title = s.folder;
      const files = s.folders[s.folder] ?? [];
      if (!files.length) col.text('empty', 'This folder is empty', { muted: true });
      for (const f of files) {
        const row = col.item(`file:${f.name}`, f.name, {
          icon: 'file',
          longPress: true,
          clickable: false,
          context: f.name,
        });
        row.box = { ...row.box, w: row.box.w - 14 };
        col.nodes.push(
          iconButton(`more:${f.name}`, 'more', ctx.width - 16, row.box.y + 1, {
            text: 'More',
            context: f.name,
          }),
        );
      }
    }
    const view = {
      screen: s.folder === null ? 'root' : `folder:${s.folder}`,
      title,
      body: col.nodes,
      bottom,
      bottomHeight: 18,
    };
    const d = s.dialog;
    if (!d) return view;
    const W = ctx.width;
    const H = ctx.height;
    let nodes: UiNode[];
    if (d.kind === 'menu') {
      nodes = dialog('dialog:menu', d.file, W, H, (c) => {
        for (const [k, label] of [
          ['rename', 'Rename'],
          ['move', 'Move to...'],
          ['delete', 'Delete'],
        ])
          c.push({ key: `menu:${k}`, role: 'menuitem', text: label, context: d.file }, 12);
      });
    } else if (d.kind === 'delete') {
      nodes = dialog('dialog:delete', `Delete ${d.file}?`, W, H, (c) => {
        c.text('warn', 'This cannot be undone.', { muted: true });
        c.gap(2).buttons([
          { key: 'dialog:cancel', text: 'Cancel', tone: 'plain' },
          { key: 'delete:ok', text: 'Delete', tone: 'danger' },
        ]);
      });
    } else if (d.kind === 'rename' || d.kind === 'newfolder') {
      const rename = d.kind === 'rename';
      nodes = dialog(`dialog:${d.kind}`, rename ? 'Rename' : 'New folder', W, H, (c) => {
        c.field('field:name', rename ? 'New name' : 'Folder name', d.draft);
        c.gap(3).buttons([
          { key: 'dialog:cancel', text: 'Cancel', tone: 'plain' },
          { key: rename ? 'rename:ok' : 'newfolder:ok', text: rename ? 'Rename' : 'Create' },
        ]);
      });
    } else {
      nodes = dialog('dialog:move', `Move ${d.file} to`, W, H, (c) => {
        for (const f of Object.keys(s.folders))
          if (f !== s.folder)
            c.push({ key: `moveto:${f}`, role: 'menuitem', text: f, icon: 'folder' }, 12);
        c.gap(2).buttons([{ key: 'dialog:cancel', text: 'Cancel', tone: 'plain' }]);
      });
    }
    return { ...view, dialog: nodes };
  },
  on(s, ev) {
    const key = ev.key;
    const d = s.dialog;
    if (ev.kind === 'type') {
      if (key === 'field:name' && d && (d.kind === 'rename' || d.kind === 'newfolder'))
        return { ...s, dialog: { ...d, draft: ev.text.slice(0, 30) } };
      return s;
    }
    if (ev.kind === 'longpress') {
      if (key.startsWith('file:')) return { ...s, dialog: { kind: 'menu', file: key.slice(5) } };
      return s;
    }
    if (key.startsWith('folder:')) return { ...s, folder: key.slice(7) };
    if (key.startsWith('more:')) return { ...s, dialog: { kind: 'menu', file: key.slice(5) } };
    if (key === 'newfolder') return { ...s, dialog: { kind: 'newfolder', draft: '' } };
    if (key === 'dialog:cancel') return { ...s, dialog: null };
    const folder = s.folder;
    if (d?.kind === 'menu' && key.startsWith('menu:')) {
      const what = key.slice(5);
      if (what === 'rename')
        return { ...s, dialog: { kind: 'rename', file: d.file, draft: d.file } };
      if (what === 'move') return { ...s, dialog: { kind: 'move', file: d.file } };
      if (what === 'delete') return { ...s, dialog: { kind: 'delete', file: d.file } };
    }
    if (d?.kind === 'newfolder' && key === 'newfolder:ok') {
      const name = d.draft.trim();
      if (!fileOk(name)) return fail(s, 'that folder name is not allowed');
      if (s.folders[name]) return fail(s, `a folder named ${name} exists`);
      return { ...s, dialog: null, folders: { ...s.folders, [name]: [] } };
    }
    if (folder === null || !d || d.kind === 'newfolder' || d.kind === 'menu') return s;
    const files = s.folders[folder];
    const entry = files.find((f) => f.name === d.file);
    if (!entry) return { ...s, dialog: null };
    if (d.kind === 'delete' && key === 'delete:ok') {
      return {
        ...s,
        dialog: null,
        folders: { ...s.folders, [folder]: files.filter((f) => f !== entry) },
        deleted: [...s.deleted, `${folder}/${entry.name}`],
      };
    }
    if (d.kind === 'rename' && key === 'rename:ok') {
      const name = d.draft.trim();
      if (!fileOk(name)) return fail(s, 'that file name is not allowed');
      if (name !== entry.name && files.some((f) => f.name === name))
        return fail(s, `${name} already exists`);
      const renamed = sortFiles(files.map((f) => (f === entry ? { ...f, name } : f)));
      return { ...s, dialog: null, folders: { ...s.folders, [folder]: renamed } };
    }
    if (d.kind === 'move' && key.startsWith('moveto:')) {
      const to = key.slice(7);
      if (!s.folders[to] || to === folder) return s;
      if (s.folders[to].some((f) => f.name === entry.name))
        return fail(s, `${to} already has ${entry.name}`);
      return {
        ...s,
        dialog: null,
        folders: {
          ...s.folders,
          [folder]: files.filter((f) => f !== entry),
          [to]: sortFiles([...s.folders[to], entry]),
        },
      };
    }
    return s;
  },
  back(s) {
    if (s.dialog) return { ...s, dialog: null };
    if (s.folder !== null) return { ...s, folder: null };
    return undefined;
  },
});
