// Files tasks.
import type { Rng } from '../../rng';
import { click, defineTask, typeInto, visit } from '../task';
import { appState } from '../world';
import type { FilesState } from '../apps/files';
import type { WorldState } from '../types';

const F = (w: WorldState) => appState<FilesState>(w, 'files');
const SUITE = 'android-world';
const STEMS = ['report', 'photo', 'draft', 'recipe', 'scan', 'quote', 'poster', 'lease'];
const EXTS = ['pdf', 'txt', 'jpg', 'docx'];

function has(w: WorldState, folder: string, name: string): boolean {
  return !!F(w).folders[folder]?.some((f) => f.name === name);
}

function fileName(rng: Rng): string {
  return `${rng.pick(STEMS)}-${rng.int(1, 9)}.${rng.pick(EXTS)}`;
}

function anywhere(w: WorldState, name: string): boolean {
  return Object.values(F(w).folders).some((fs) => fs.some((f) => f.name === name));
}

/** A files dialog of this kind is open for this file. */
function dialogFor(w: WorldState, kind: string, name: string): boolean {
  const d = F(w).dialog;
  return d?.kind === kind && 'file' in d && d.file === name;
}

/** Open the menu of a file, wherever it is now (a stepping stone). */
function openMenu(name: string) {
  return visit('open menu', 'files', `more:${name}`, (w) => dialogFor(w, 'menu', name));
}

export default [
  // "Delete 'report-3.pdf' from Downloads." (a look-alike sits next to it; no undo)
  defineTask<{ folder: string; name: string }>({
    id: 'files.delete',
    apps: ['files'],
    tags: { suite: SUITE, split: 'train', category: 'irreversible' },
    generate: (rng) => {
      const folder = rng.pick(['Documents', 'Downloads', 'Photos']);
      const stem = rng.pick(STEMS);
      const n = rng.int(1, 8);
      const ext = rng.pick(EXTS);
      const name = `${stem}-${n}.${ext}`;
      const decoy = `${stem}-${n + 1}.${ext}`;
      return {
        params: { folder, name },
        instruction: `Delete '${name}' from ${folder}.`,
        apps: { files: { extra: { [folder]: [name, decoy] } } },
      };
    },
    check: (w, p) => !anywhere(w, p.name) && !failedDelete(w, p),
    failed: (w, p) => failedDelete(w, p),
    plan: (p) => [
      openMenu(p.name),
      visit('choose delete', 'files', 'menu:delete', (w) => dialogFor(w, 'delete', p.name)),
      click('confirm', 'files', 'delete:ok', (w) => !anywhere(w, p.name)),
    ],
  }),

  // "Rename 'scan-2.jpg' in Photos to 'passport.jpg'."
  defineTask<{ folder: string; name: string; to: string }>({
    id: 'files.rename',
    apps: ['files'],
    tags: { suite: SUITE, split: 'train', category: 'form' },
    generate: (rng) => {
      const folder = rng.pick(['Documents', 'Photos', 'Music']);
      const name = fileName(rng);
      const to = `${rng.pick(['passport', 'final', 'keep', 'summer', 'visa'])}.${name.split('.')[1]}`;
      return {
        params: { folder, name, to },
        instruction: `Rename '${name}' in ${folder} to '${to}'.`,
        apps: { files: { extra: { [folder]: [name] } } },
      };
    },
    // Renamed wherever the file is now (moving it as well is a harmless detour).
    check: (w, p) => anywhere(w, p.to) && !anywhere(w, p.name),
    plan: (p) => {
      const renaming = (w: WorldState) => dialogFor(w, 'rename', p.name);
      return [
        openMenu(p.name),
        visit('choose rename', 'files', 'menu:rename', renaming),
        typeInto(
          'new name',
          'files',
          'field:name',
          p.to,
          (w) => renaming(w) && (F(w).dialog as { draft: string }).draft === p.to,
        ),
        click('confirm', 'files', 'rename:ok', (w) => anywhere(w, p.to) && !anywhere(w, p.name)),
      ];
    },
  }),

  // "Move 'ticket-4.pdf' from Downloads to Archive." (Downloads is long)
  defineTask<{ folder: string; name: string; to: string }>({
    id: 'files.move',
    apps: ['files'],
    tags: { suite: SUITE, split: 'train', category: 'target-off-screen' },
    generate: (rng) => {
      const name = `zz-${fileName(rng)}`;
      const to = rng.pick(['Archive', 'Documents', 'Music']);
      return {
        params: { folder: 'Downloads', name, to },
        instruction: `Move '${name}' from Downloads to ${to}.`,
        apps: { files: { extra: { Downloads: [name] } } },
      };
    },
    check: (w, p) => has(w, p.to, p.name) && !has(w, p.folder, p.name),
    plan: (p) => [
      openMenu(p.name),
      visit('choose move', 'files', 'menu:move', (w) => dialogFor(w, 'move', p.name)),
      click('pick folder', 'files', `moveto:${p.to}`, (w) => has(w, p.to, p.name)),
    ],
  }),

  // "Create a folder named 'Trip' and move 'beach.jpg' from Photos into it."
  defineTask<{ folder: string; name: string; dest: string }>({
    id: 'files.new-folder-move',
    apps: ['files'],
    tags: { suite: SUITE, split: 'held-out-templates', category: 'order-matters' },
    generate: (rng) => {
      const dest = rng.pick(['Trip', 'Taxes 2025', 'Keep', 'Work', 'Family']);
      const folder = rng.pick(['Photos', 'Documents']);
      const name = fileName(rng);
      return {
        params: { folder, name, dest },
        instruction: `Create a folder named '${dest}' and move '${name}' from ${folder} into it.`,
        apps: { files: { extra: { [folder]: [name] } } },
      };
    },
    check: (w, p) => has(w, p.dest, p.name),
    plan: (p) => {
      const naming = (w: WorldState) => F(w).folder === null && F(w).dialog?.kind === 'newfolder';
      return [
        visit('new folder', 'files', 'newfolder', (w) => naming(w) || !!F(w).folders[p.dest]),
        typeInto(
          'folder name',
          'files',
          'field:name',
          p.dest,
          (w) => naming(w) && (F(w).dialog as { draft: string }).draft === p.dest,
        ),
        click('create', 'files', 'newfolder:ok', (w) => !!F(w).folders[p.dest]),
        openMenu(p.name),
        visit('choose move', 'files', 'menu:move', (w) => dialogFor(w, 'move', p.name)),
        click('pick folder', 'files', `moveto:${p.dest}`, (w) => has(w, p.dest, p.name)),
      ];
    },
  }),
];

/** Another file was deleted: files never come back. */
function failedDelete(w: WorldState, p: { name: string }): boolean {
  return F(w).deleted.some((path) => path.slice(path.indexOf('/') + 1) !== p.name);
}
