// Desktop tasks (suite 'desktop-online'): the text editor, the file manager and the
// spreadsheet on one desktop. The window a task needs is often behind another one, so the
// first step is to bring it to the front; dialogs and menus make most tasks 4 to 14 steps.
import type { Rng } from '../../rng';
import {
  answer,
  click,
  defineTask,
  sameAnswer,
  typeInto,
  visit,
  type Act,
  type Subgoal,
  type Tags,
} from '../task';
import { appState } from '../world';
import { WINDOWS, type DesktopState, type SheetRow, type WinName } from '../apps/desktop/state';
import { DESK_FOLDERS, SUPPLIES, type DesktopOptions } from '../apps/desktop';
import { total } from '../apps/desktop/sheet';
import type { UiNode, WorldState } from '../types';

const D = (w: WorldState) => appState<DesktopState>(w, 'desktop');
const APP = 'desktop';
const tags = (split: Tags['split'], category: Tags['category']): Tags => ({
  suite: 'desktop-online',
  split,
  category,
});
const base = { apps: [APP], platform: 'desktop' as const, maxSteps: 24 };

const STEMS = ['memo', 'agenda', 'offer', 'recap', 'outline', 'pitch', 'brief', 'log'];
const PHRASES = [
  'call Ana at 3',
  'ship on Friday',
  'budget approved',
  'room 4B at noon',
  'send the slides',
  'order more ink',
];

function fileOf(w: WorldState, folder: string, name: string) {
  return D(w).fs[folder]?.find((f) => f.name === name);
}

/** The file is gone from its folder (renamed, moved or deleted on the way): no way back. */
function lost(w: WorldState, folder: string, name: string): boolean {
  return !fileOf(w, folder, name);
}

/** Windows open at the start in a seeded order, the `front` one focused unless told otherwise. */
function windows(rng: Rng, front?: WinName): WinName[] {
  const order = rng.shuffle([...WINDOWS]);
  if (!front || rng.chance(0.5)) return order;
  return [...order.filter((w) => w !== front), front];
}

function start(rng: Rng, opts: DesktopOptions, front?: WinName) {
  return { apps: { desktop: { open: windows(rng, front), ...opts } }, start: APP };
}

/** Click `key`, unless the editor is asking about unsaved changes: then don't save them. */
function orDiscard(key: string) {
  return (w: WorldState): Act =>
    D(w).dialog?.kind === 'unsaved'
      ? { click: { app: APP, key: 'dlg:discard' } }
      : { click: { app: APP, key } };
}

function dialogIs(w: WorldState, kind: string): boolean {
  return D(w).dialog?.kind === kind;
}

/** Show folder `folder` and select `name` in the file manager. */
function selectFile(folder: string, name: string): Subgoal[] {
  return [
    visit('show folder', APP, `fm:folder:${folder}`, (w) => D(w).folder === folder),
    visit(
      'select file',
      APP,
      `fm:file:${name}`,
      (w) => D(w).folder === folder && D(w).selected === name,
    ),
  ];
}

/** In a Save As dialog: pick the folder, type the name, save; done when the file has `text`. */
function saveAs(folder: string, name: string, done: (w: WorldState) => boolean): Subgoal[] {
  // The folder may be made by an earlier step: until it exists, an open dialog is no progress.
  const exists = (w: WorldState) => !!D(w).fs[folder];
  const inDialog = (w: WorldState) => {
    const d = D(w).dialog;
    return d?.kind === 'saveas' && d.folder === folder && exists(w);
  };
  return [
    visit('save as', APP, 'menu:editor:saveas', (w) => dialogIs(w, 'saveas') && exists(w)),
    visit('pick folder', APP, `dlg:folder:${folder}`, inDialog),
    typeInto(
      'file name',
      APP,
      'dlg:name',
      name,
      (w) => inDialog(w) && (D(w).dialog as { draft: string }).draft === name,
    ),
    click('save', APP, 'dlg:save', done),
  ];
}

function rowOf(w: WorldState, item: string): SheetRow | undefined {
  return D(w).sheet.rows.find((r) => r.item === item);
}

function cellOf(item: string, col: string) {
  return (n: UiNode) =>
    n.key.startsWith('sh:cell:') && n.key.endsWith(`:${col}`) && n.context === item;
}

function selectCell(item: string, col: 'item' | 'qty' | 'price'): Subgoal {
  return {
    name: `select ${item} ${col}`,
    done: (w) => {
      const c = D(w).cell;
      return !!c && c.col === col && c.row === rowOf(w, item)?.id;
    },
    act: { click: { app: APP, where: cellOf(item, col) } },
    ephemeral: true,
  };
}

function biggest(w: WorldState): string {
  const rows = D(w).sheet.rows;
  return rows.reduce((a, r) => (total(r) > total(a) ? r : a), rows[0]).item;
}

export default [
  // "Type 'ship on Friday' in the text editor and save it as 'memo.txt' in Notes."
  defineTask<{ text: string; folder: string; name: string }>({
    id: 'desktop.editor-save-as',
    ...base,
    tags: tags('train', 'order-matters'),
    generate: (rng) => {
      const text = rng.pick(PHRASES);
      const folder = rng.pick(DESK_FOLDERS);
      const name = `${rng.pick(STEMS)}-${rng.int(1, 9)}.txt`;
      return {
        params: { text, folder, name },
        instruction: `Type '${text}' in the text editor and save it as '${name}' in ${folder}.`,
        ...start(rng, {}, 'editor'),
      };
    },
    check: (w, p) => fileOf(w, p.folder, p.name)?.text === p.text,
    plan: (p) => [
      typeInto('text', APP, 'ed:text', p.text, (w) => D(w).doc.text === p.text),
      ...saveAs(p.folder, p.name, (w) => fileOf(w, p.folder, p.name)?.text === p.text),
    ],
  }),

  // "Open 'todo.txt' from Projects in the text editor, replace its text with 'budget approved' and save it."
  defineTask<{ folder: string; name: string; text: string }>({
    id: 'desktop.editor-open-edit',
    ...base,
    tags: tags('train', 'target-off-screen'),
    generate: (rng) => {
      const folder = rng.pick(['Projects', 'Notes']);
      const name = `${rng.pick(STEMS)}.txt`;
      const text = rng.pick(PHRASES);
      return {
        params: { folder, name, text },
        instruction: `Open '${name}' from ${folder} in the text editor, replace its text with '${text}' and save it.`,
        ...start(rng, { files: { [folder]: [{ name, text: 'old text' }] } }),
      };
    },
    check: (w, p) => fileOf(w, p.folder, p.name)?.text === p.text,
    failed: (w, p) => lost(w, p.folder, p.name),
    plan: (p) => {
      const isOpen = (w: WorldState) => D(w).doc.folder === p.folder && D(w).doc.name === p.name;
      return [
        {
          name: 'open dialog',
          done: (w) => dialogIs(w, 'open'),
          act: orDiscard('menu:editor:open'),
          ephemeral: true,
        },
        visit(
          'pick folder',
          APP,
          `dlg:folder:${p.folder}`,
          (w) => dialogIs(w, 'open') && (D(w).dialog as { folder: string }).folder === p.folder,
        ),
        visit('open file', APP, `dlg:file:${p.name}`, isOpen),
        typeInto('new text', APP, 'ed:text', p.text, (w) => isOpen(w) && D(w).doc.text === p.text),
        click('save', APP, 'menu:editor:save', (w) => fileOf(w, p.folder, p.name)?.text === p.text),
      ];
    },
  }),

  // "Close the text editor without saving the changes to 'plan.txt'." (saving cannot be undone)
  defineTask<{ name: string; original: string }>({
    id: 'desktop.editor-discard',
    ...base,
    tags: tags('train', 'irreversible'),
    generate: (rng) => {
      const name = rng.pick(['plan.txt', 'report.txt', 'letter.txt']);
      const original = `final ${rng.pick(STEMS)} v${rng.int(2, 9)}`;
      return {
        params: { name, original },
        instruction: `Close the text editor without saving the changes to '${name}'.`,
        ...start(rng, {
          files: { Documents: [{ name, text: original }] },
          doc: { folder: 'Documents', name, text: `${original} DRAFT` },
        }),
      };
    },
    check: (w, p) =>
      !D(w).windows.includes('editor') && fileOf(w, 'Documents', p.name)?.text === p.original,
    failed: (w, p) => fileOf(w, 'Documents', p.name)?.text !== p.original,
    plan: () => [
      visit('close', APP, 'close:editor', (w) => dialogIs(w, 'unsaved')),
      click("don't save", APP, 'dlg:discard', (w) => !D(w).windows.includes('editor')),
    ],
  }),

  // "In the file manager, rename 'recap-3.txt' in Documents to 'final.txt'."
  defineTask<{ folder: string; name: string; to: string }>({
    id: 'desktop.files-rename',
    ...base,
    tags: tags('train', 'form'),
    generate: (rng) => {
      const folder = rng.pick(DESK_FOLDERS);
      const name = `${rng.pick(STEMS)}-${rng.int(1, 9)}.txt`;
      const to = `${rng.pick(['final', 'keep', 'shared', 'old', 'v2'])}-${name}`;
      return {
        params: { folder, name, to },
        instruction: `In the file manager, rename '${name}' in ${folder} to '${to}'.`,
        ...start(rng, { files: { [folder]: [{ name, text: 'x' }] } }, 'explorer'),
      };
    },
    check: (w, p) => !!fileOf(w, p.folder, p.to) && !fileOf(w, p.folder, p.name),
    failed: (w, p) => lost(w, p.folder, p.name) && lost(w, p.folder, p.to),
    plan: (p) => {
      const renaming = (w: WorldState) =>
        D(w).dialog?.kind === 'rename' && (D(w).dialog as { file: string }).file === p.name;
      return [
        ...selectFile(p.folder, p.name),
        visit('rename', APP, 'fm:rename', renaming),
        typeInto(
          'new name',
          APP,
          'dlg:name',
          p.to,
          (w) => renaming(w) && (D(w).dialog as { draft: string }).draft === p.to,
        ),
        click('confirm', APP, 'dlg:rename', (w) => !!fileOf(w, p.folder, p.to)),
      ];
    },
  }),

  // "Delete 'brief-4.txt' from Archive in the file manager." (a look-alike sits next to it; no undo)
  defineTask<{ folder: string; name: string }>({
    id: 'desktop.files-delete',
    ...base,
    tags: tags('train', 'irreversible'),
    generate: (rng) => {
      const folder = rng.pick(DESK_FOLDERS);
      const stem = rng.pick(STEMS);
      const n = rng.int(1, 8);
      const name = `${stem}-${n}.txt`;
      const decoy = `${stem}-${n + 1}.txt`;
      return {
        params: { folder, name },
        instruction: `Delete '${name}' from ${folder} in the file manager.`,
        ...start(rng, {
          files: {
            [folder]: [
              { name, text: 'a' },
              { name: decoy, text: 'b' },
            ],
          },
        }),
      };
    },
    check: (w, p) => !fileOf(w, p.folder, p.name) && D(w).deleted.includes(`${p.folder}/${p.name}`),
    failed: (w, p) =>
      D(w).deleted.some((path) => path !== `${p.folder}/${p.name}`) ||
      (lost(w, p.folder, p.name) && !D(w).deleted.includes(`${p.folder}/${p.name}`)),
    plan: (p) => [
      ...selectFile(p.folder, p.name),
      visit('delete', APP, 'fm:delete', (w) => dialogIs(w, 'delete')),
      click('confirm', APP, 'dlg:delete', (w) => !fileOf(w, p.folder, p.name)),
    ],
  }),

  // "Move 'zz-log.txt' from Archive to Projects." (it is on the last page of a long folder)
  defineTask<{ name: string; to: string }>({
    id: 'desktop.files-move',
    ...base,
    tags: tags('train', 'target-off-screen'),
    generate: (rng) => {
      const name = `zz-${rng.pick(STEMS)}.txt`;
      const to = rng.pick(['Documents', 'Projects', 'Notes']);
      return {
        params: { name, to },
        instruction: `In the file manager, move '${name}' from Archive to ${to}.`,
        ...start(rng, { files: { Archive: [{ name, text: 'z' }] } }),
      };
    },
    check: (w, p) => !!fileOf(w, p.to, p.name) && !fileOf(w, 'Archive', p.name),
    failed: (w, p) => lost(w, 'Archive', p.name) && lost(w, p.to, p.name),
    plan: (p) => [
      ...selectFile('Archive', p.name),
      visit('move', APP, 'fm:move', (w) => dialogIs(w, 'move')),
      click('pick folder', APP, `dlg:folder:${p.to}`, (w) => !!fileOf(w, p.to, p.name)),
    ],
  }),

  // "Open 'outline.txt' in Notes from the file manager, replace its text with 'call Ana at 3' and save it."
  defineTask<{ folder: string; name: string; text: string }>({
    id: 'desktop.files-open-in-editor',
    ...base,
    tags: tags('held-out-params', 'cross-app'),
    generate: (rng) => {
      const folder = rng.pick(DESK_FOLDERS);
      const name = `${rng.pick(STEMS)}.txt`;
      const text = rng.pick(PHRASES);
      return {
        params: { folder, name, text },
        instruction: `Open '${name}' in ${folder} from the file manager, replace its text with '${text}' and save it.`,
        ...start(rng, { files: { [folder]: [{ name, text: 'first draft' }] } }, 'explorer'),
      };
    },
    check: (w, p) => fileOf(w, p.folder, p.name)?.text === p.text,
    failed: (w, p) => lost(w, p.folder, p.name),
    plan: (p) => {
      const isOpen = (w: WorldState) => D(w).doc.folder === p.folder && D(w).doc.name === p.name;
      return [
        ...selectFile(p.folder, p.name),
        { name: 'open in editor', done: isOpen, act: orDiscard('fm:open'), ephemeral: true },
        typeInto('new text', APP, 'ed:text', p.text, (w) => isOpen(w) && D(w).doc.text === p.text),
        click('save', APP, 'menu:editor:save', (w) => fileOf(w, p.folder, p.name)?.text === p.text),
      ];
    },
  }),

  // "Create a folder 'Trip' in the file manager, then save the open document there as 'plan.txt'."
  defineTask<{ dest: string; name: string; text: string }>({
    id: 'desktop.new-folder-save',
    ...base,
    tags: tags('held-out-templates', 'order-matters'),
    generate: (rng) => {
      const dest = rng.pick(['Trip', 'Taxes', 'Keep', 'Work', 'Family']);
      const name = `${rng.pick(STEMS)}.txt`;
      const text = rng.pick(PHRASES);
      return {
        params: { dest, name, text },
        instruction: `Create a folder '${dest}' in the file manager, then save the open document there as '${name}'.`,
        ...start(rng, { doc: { text } }, 'editor'),
      };
    },
    check: (w, p) => fileOf(w, p.dest, p.name)?.text === p.text,
    plan: (p) => {
      const naming = (w: WorldState) => dialogIs(w, 'newfolder');
      return [
        // Already typed at the start; first only because a detour may have changed it.
        typeInto('text', APP, 'ed:text', p.text, (w) => D(w).doc.text === p.text, false),
        visit('new folder', APP, 'menu:explorer:newfolder', (w) => naming(w) || !!D(w).fs[p.dest]),
        typeInto(
          'folder name',
          APP,
          'dlg:name',
          p.dest,
          (w) => naming(w) && (D(w).dialog as { draft: string }).draft === p.dest,
        ),
        click('create', APP, 'dlg:create', (w) => !!D(w).fs[p.dest]),
        ...saveAs(p.dest, p.name, (w) => fileOf(w, p.dest, p.name)?.text === p.text),
      ];
    },
  }),

  // "In the spreadsheet, set the quantity of Glue to 25." (the row may be below the first five)
  defineTask<{ item: string; col: 'qty' | 'price'; value: number }>({
    id: 'desktop.sheet-set-cell',
    ...base,
    tags: tags('train', 'target-off-screen'),
    generate: (rng) => {
      const item = rng.pick(SUPPLIES);
      const col = rng.pick(['qty', 'price'] as const);
      const value = rng.int(41, 99);
      const word = col === 'qty' ? 'quantity' : 'price';
      return {
        params: { item, col, value },
        instruction: `In the spreadsheet, set the ${word} of ${item} to ${value}.`,
        ...start(rng, { rows: [{ item, qty: rng.int(1, 40), price: rng.int(1, 30) }] }, 'sheet'),
      };
    },
    check: (w, p) => rowOf(w, p.item)?.[p.col] === p.value,
    failed: (w, p) => !rowOf(w, p.item),
    plan: (p) => [
      selectCell(p.item, p.col),
      typeInto(
        'value',
        APP,
        'sh:input',
        String(p.value),
        (w) => rowOf(w, p.item)?.[p.col] === p.value,
        false,
      ),
    ],
  }),

  // "Sort the spreadsheet by total and tell me which item has the largest total."
  defineTask<{ big: string }>({
    id: 'desktop.sheet-sort-answer',
    ...base,
    tags: tags('train', 'info'),
    generate: (rng) => {
      const big = rng.pick(SUPPLIES);
      return {
        params: { big },
        instruction: 'Sort the spreadsheet by total and tell me which item has the largest total.',
        ...start(rng, { rows: [{ item: big, qty: rng.int(45, 60), price: rng.int(31, 40) }] }),
      };
    },
    check: (w) => D(w).sheet.sort === 'total' && sameAnswer(w.answer, biggest(w)),
    plan: (p) => [
      click('sort', APP, 'menu:sheet:sorttotal', (w) => D(w).sheet.sort === 'total'),
      {
        ...answer(p.big),
        done: (w) => sameAnswer(w.answer, biggest(w)),
        act: (w) => ({ answer: biggest(w) }),
      },
    ],
  }),

  // "Delete the row 'Tape' from the spreadsheet." (no undo; a confirm dialog first)
  defineTask<{ item: string }>({
    id: 'desktop.sheet-delete-row',
    ...base,
    tags: tags('held-out-templates', 'irreversible'),
    generate: (rng) => {
      const item = rng.pick(SUPPLIES);
      return {
        params: { item },
        instruction: `Delete the row '${item}' from the spreadsheet.`,
        ...start(rng, { rows: [{ item, qty: rng.int(1, 40), price: rng.int(1, 30) }] }),
      };
    },
    check: (w, p) => !rowOf(w, p.item) && D(w).sheet.removed.includes(p.item),
    failed: (w, p) =>
      D(w).sheet.removed.some((r) => r !== p.item) ||
      (!rowOf(w, p.item) && !D(w).sheet.removed.includes(p.item)),
    plan: (p) => [
      selectCell(p.item, 'item'),
      visit('delete row', APP, 'menu:sheet:delrow', (w) => dialogIs(w, 'delrow')),
      click('confirm', APP, 'dlg:delrow', (w) => !rowOf(w, p.item)),
    ],
  }),
];
