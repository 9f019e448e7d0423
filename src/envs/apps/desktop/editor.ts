// Text editor window: one document in a text area; File menu (New, Open..., Save, Save As...,
// Close) and Edit menu. Leaving a document with unsaved changes asks Save / Don't save / Cancel.
import { fail } from '../../app';
import { box } from '../../ui';
import {
  fileNameOk,
  findFile,
  isDirty,
  sortFiles,
  type DeskResult,
  type DeskWindow,
  type DesktopState,
  type LeaveFor,
} from './state';
import { folderSidebar, wideDialog } from './widgets';

const EMPTY_DOC = { folder: null, name: null, text: '', saved: '' };
/** "Insert date" always inserts the same day: the world has no clock. */
const TODAY = '12 May 2025';

function closeWindow(s: DesktopState): DesktopState {
  return { ...s, windows: s.windows.filter((w) => w !== 'editor'), dialog: null, doc: EMPTY_DOC };
}

/** What "New", "Open..." and "Close" do once the document may be left. */
function proceed(s: DesktopState, then: LeaveFor): DesktopState {
  if (typeof then === 'object') return openFile(s, then.folder, then.name);
  if (then === 'new') return { ...s, dialog: null, doc: EMPTY_DOC };
  if (then === 'open')
    return { ...s, dialog: { kind: 'open', folder: s.doc.folder ?? 'Documents' } };
  return closeWindow(s);
}

/** Load a file into the editor (the caller has checked for unsaved changes). */
export function openFile(s: DesktopState, folder: string, name: string): DesktopState {
  const f = findFile(s, folder, name);
  if (!f) return { ...s, dialog: null };
  return { ...s, dialog: null, doc: { folder, name: f.name, text: f.text, saved: f.text } };
}

export function leave(s: DesktopState, then: LeaveFor): DesktopState {
  return isDirty(s) ? { ...s, dialog: { kind: 'unsaved', then } } : proceed(s, then);
}

/** Write the document to folder/name (replacing a file of that name in place). */
function write(s: DesktopState, folder: string, name: string): DesktopState {
  const files = s.fs[folder].filter((f) => f.name !== name);
  return {
    ...s,
    dialog: null,
    fs: { ...s.fs, [folder]: sortFiles([...files, { name, text: s.doc.text }]) },
    doc: { folder, name, text: s.doc.text, saved: s.doc.text },
  };
}

function save(s: DesktopState): DesktopState {
  const { folder, name } = s.doc;
  if (folder && name && s.fs[folder]) return write(s, folder, name);
  return { ...s, dialog: { kind: 'saveas', folder: folder ?? 'Documents', draft: name ?? '' } };
}

export const editor: DeskWindow = {
  name: 'editor',
  label: 'Editor',
  icon: 'pencil',
  frame: box(4, 3, 168, 112),
  title: (s) => `Text Editor - ${s.doc.name ?? 'Untitled'}${isDirty(s) ? '*' : ''}`,
  menus: {
    File: [
      ['new', 'New'],
      ['open', 'Open...'],
      ['save', 'Save'],
      ['saveas', 'Save As...'],
      ['close', 'Close'],
    ],
    Edit: [
      ['clear', 'Clear all'],
      ['upper', 'Upper case'],
      ['date', 'Insert date'],
    ],
  },
  content(s, w, top, h) {
    const status = `${s.doc.name ?? 'Untitled'} - ${isDirty(s) ? 'Modified' : 'Saved'}`;
    return [
      {
        key: 'ed:text',
        role: 'textfield',
        text: 'Document',
        value: s.doc.text,
        box: box(3, top + 2, w - 6, h - top - 16),
      },
      { key: 'ed:status', role: 'text', text: status, muted: true, box: box(4, h - 12, w - 8, 9) },
    ];
  },
  dialog(s, W, H) {
    const d = s.dialog;
    const folders = Object.keys(s.fs);
    if (d?.kind === 'open') {
      return wideDialog('dlg:frame', 'Open', W, H, 190, (col) => {
        const y0 = col.y;
        const end = folderSidebar(col, folders, d.folder, y0);
        const files = s.fs[d.folder] ?? [];
        files.slice(0, 8).forEach((f, i) =>
          col.nodes.push({
            key: `dlg:file:${f.name}`,
            role: 'menuitem',
            text: f.name,
            icon: 'file',
            box: box(col.pad + 70, y0 + i * 11, col.inner - 70, 11),
          }),
        );
        if (!files.length)
          col.nodes.push({
            key: 'dlg:empty',
            role: 'text',
            text: 'No files',
            muted: true,
            box: box(col.pad + 72, y0 + 2, 60, 9),
          });
        col.y = Math.max(end, y0 + Math.min(8, files.length) * 11) + 3;
        col.buttons([{ key: 'dlg:cancel', text: 'Cancel', tone: 'plain' }]);
      });
    }
    if (d?.kind === 'saveas') {
      return wideDialog('dlg:frame', 'Save As', W, H, 190, (col) => {
        const y0 = col.y;
        const end = folderSidebar(col, folders, d.folder, y0);
        col.nodes.push(
          {
            key: 'dlg:name:label',
            role: 'text',
            text: 'File name',
            muted: true,
            box: box(col.pad + 72, y0, 60, 9),
          },
          {
            key: 'dlg:name',
            role: 'textfield',
            text: 'File name',
            value: d.draft,
            box: box(col.pad + 72, y0 + 10, col.inner - 72, 13),
          },
          {
            key: 'dlg:in',
            role: 'text',
            text: `in ${d.folder}`,
            muted: true,
            box: box(col.pad + 72, y0 + 26, col.inner - 72, 9),
          },
        );
        col.y = Math.max(end, y0 + 36) + 3;
        col.buttons([
          { key: 'dlg:cancel', text: 'Cancel', tone: 'plain' },
          { key: 'dlg:save', text: 'Save' },
        ]);
      });
    }
    if (d?.kind === 'unsaved') {
      return wideDialog('dlg:frame', 'Unsaved changes', W, H, 170, (col) => {
        col.text('dlg:msg', `Save changes to ${s.doc.name ?? 'Untitled'}?`);
        col.gap(3).buttons([
          { key: 'dlg:save', text: 'Save' },
          { key: 'dlg:discard', text: "Don't save", tone: 'danger' },
          { key: 'dlg:cancel', text: 'Cancel', tone: 'plain' },
        ]);
      });
    }
    return undefined;
  },
  on(s, key, ev): DeskResult {
    const d = s.dialog;
    if (ev.kind === 'type') {
      if (key === 'ed:text') return { ...s, doc: { ...s.doc, text: ev.text.slice(0, 200) } };
      if (key === 'dlg:name' && d?.kind === 'saveas')
        return { ...s, dialog: { ...d, draft: ev.text.slice(0, 30) } };
      return s;
    }
    if (d) {
      if (key === 'dlg:cancel') return { ...s, dialog: null };
      if (key.startsWith('dlg:folder:') && (d.kind === 'open' || d.kind === 'saveas'))
        return { ...s, dialog: { ...d, folder: key.slice(11) } };
      if (d.kind === 'open' && key.startsWith('dlg:file:')) {
        if (!findFile(s, d.folder, key.slice(9))) return fail(s, 'no such file');
        return openFile(s, d.folder, key.slice(9));
      }
      if (d.kind === 'saveas' && key === 'dlg:save') {
        const name = d.draft.trim();
        if (!fileNameOk(name)) return fail(s, 'that file name is not allowed');
        const same = s.doc.folder === d.folder && s.doc.name === name;
        if (!same && findFile(s, d.folder, name))
          return fail(s, `${name} already exists in ${d.folder}`);
        return write(s, d.folder, name);
      }
      if (d.kind === 'unsaved' && key === 'dlg:save') {
        const saved = save(s);
        return saved.dialog ? saved : proceed(saved, d.then);
      }
      if (d.kind === 'unsaved' && key === 'dlg:discard')
        return proceed({ ...s, doc: { ...s.doc, text: s.doc.saved } }, d.then);
      return s;
    }
    switch (key) {
      case 'menu:editor:new':
        return leave(s, 'new');
      case 'menu:editor:open':
        return leave(s, 'open');
      case 'menu:editor:close':
        return leave(s, 'close');
      case 'menu:editor:save':
        return save(s);
      case 'menu:editor:saveas':
        return {
          ...s,
          dialog: { kind: 'saveas', folder: s.doc.folder ?? 'Documents', draft: s.doc.name ?? '' },
        };
      case 'menu:editor:clear':
        return { ...s, doc: { ...s.doc, text: '' } };
      case 'menu:editor:upper':
        return { ...s, doc: { ...s.doc, text: s.doc.text.toUpperCase() } };
      case 'menu:editor:date':
        return { ...s, doc: { ...s.doc, text: (s.doc.text ? s.doc.text + ' ' : '') + TODAY } };
    }
    return s;
  },
};
