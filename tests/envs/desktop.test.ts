// Desktop behaviour: focus and raising, keys only to the focused window, menus that open and
// close, modal dialogs, the unsaved-changes guard, permanent deletion, and the spreadsheet.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/rng';
import {
  applyAction,
  appState,
  createWorld,
  observe,
  render,
  type Action,
  type WorldState,
} from '../../src/envs';
import type { DesktopState } from '../../src/envs/apps/desktop';
import type { DesktopOptions } from '../../src/envs/apps/desktop';

const D = (w: WorldState) => appState<DesktopState>(w, 'desktop');

function world(opts: DesktopOptions = {}): WorldState {
  return createWorld(new Rng(3), {
    platform: 'desktop',
    start: 'desktop',
    apps: { desktop: opts },
  });
}

/** Click the element with this key; the click must be valid. */
function click(w: WorldState, key: string): WorldState {
  const el = observe(w).elements.find((e) => e.key === key);
  if (!el)
    throw new Error(
      `no element '${key}' on screen: ${observe(w)
        .elements.map((e) => e.key)
        .join(' ')}`,
    );
  const out = applyAction(w, { type: 'click', id: el.id });
  expect(out.error, key).toBeUndefined();
  return out.world;
}

function act(w: WorldState, a: Action): { world: WorldState; error?: string } {
  return applyAction(w, a);
}

describe('desktop windows', () => {
  it('a click on a window behind only raises it; its buttons work once it is in front', () => {
    let w = world({ open: ['explorer', 'editor'] });
    const obs = observe(w);
    expect(obs.elements.some((e) => e.key === 'fm:delete')).toBe(false);
    const behind = obs.elements.find((e) => e.key === 'behind:fm:delete')!;
    w = act(w, { type: 'click', id: behind.id }).world;
    expect(D(w).windows.at(-1)).toBe('explorer');
    expect(D(w).dialog).toBeNull();
    expect(observe(w).elements.some((e) => e.key === 'fm:delete')).toBe(true);
  });

  it('only the focused window receives typing', () => {
    let w = world({ open: ['explorer', 'editor'] });
    w = click(w, 'ed:text');
    expect(act(w, { type: 'type', text: 'hello' }).world.apps.desktop).not.toBe(w.apps.desktop);
    w = click(w, 'task:explorer');
    const typed = act(w, { type: 'type', text: 'hello' });
    expect(typed.error).toBe('no text field is focused');
    expect(D(typed.world).doc.text).toBe('');
  });

  it('menus open from the menu bar, a click elsewhere only closes them, items act', () => {
    let w = world({ open: ['editor'] });
    w = click(w, 'menubar:editor:Edit');
    expect(D(w).menu).toBe('editor:Edit');
    const closed = click(w, 'task:editor');
    expect(D(closed).menu).toBeNull();
    w = click(w, 'menubar:editor:File');
    expect(D(w).menu).toBe('editor:File');
    w = click(w, 'menu:editor:saveas');
    expect(D(w).menu).toBeNull();
    expect(D(w).dialog?.kind).toBe('saveas');
    // Modal: the taskbar is blocked until the dialog is answered.
    const tab = observe(w).nodes.find((n) => n.node.key === 'task:sheet')!;
    expect(act(w, { type: 'click', x: tab.box.x + 5, y: tab.box.y + 5 }).error).toBe(
      'blocked by a dialog',
    );
    expect(D(act(w, { type: 'back' }).world).dialog).toBeNull();
  });

  it('Save As writes the file; closing with unsaved changes asks first, and "Don\'t save" keeps the disk', () => {
    let w = world({ open: ['editor'] });
    w = click(w, 'ed:text');
    w = act(w, { type: 'type', text: 'first' }).world;
    w = click(w, 'menubar:editor:File');
    w = click(w, 'menu:editor:saveas');
    w = click(w, 'dlg:folder:Notes');
    w = click(w, 'dlg:name');
    w = act(w, { type: 'type', text: 'a.txt' }).world;
    w = click(w, 'dlg:save');
    expect(D(w).fs.Notes.find((f) => f.name === 'a.txt')?.text).toBe('first');
    w = click(w, 'ed:text');
    w = act(w, { type: 'type', text: 'second' }).world;
    w = click(w, 'close:editor');
    expect(D(w).dialog).toEqual({ kind: 'unsaved', then: 'close' });
    w = click(w, 'dlg:discard');
    expect(D(w).windows).not.toContain('editor');
    expect(D(w).fs.Notes.find((f) => f.name === 'a.txt')?.text).toBe('first');
  });

  it('deleting a file is behind a confirm and permanent; renaming checks names', () => {
    let w = world({
      open: ['explorer'],
      files: {
        Notes: [
          { name: 'x.txt', text: '' },
          { name: 'y.txt', text: '' },
        ],
      },
    });
    w = click(w, 'fm:folder:Notes');
    expect(
      act(w, { type: 'click', id: observe(w).elements.find((e) => e.key === 'fm:delete')!.id })
        .error,
    ).toBe('select a file first');
    w = click(w, 'fm:file:x.txt');
    w = click(w, 'fm:rename');
    w = click(w, 'dlg:name');
    w = act(w, { type: 'type', text: 'y.txt' }).world;
    expect(
      act(w, { type: 'click', id: observe(w).elements.find((e) => e.key === 'dlg:rename')!.id })
        .error,
    ).toBe('y.txt already exists');
    w = click(w, 'dlg:cancel');
    w = click(w, 'fm:delete');
    w = click(w, 'dlg:delete');
    expect(D(w).fs.Notes.map((f) => f.name)).not.toContain('x.txt');
    expect(D(w).deleted).toEqual(['Notes/x.txt']);
  });

  it('the spreadsheet edits a cell through the formula bar, rejects bad numbers and sorts by total', () => {
    let w = world({ open: ['sheet'], rows: [{ item: 'Glue', qty: 2, price: 3 }] });
    w = click(w, 'task:sheet');
    while (!observe(w).elements.some((e) => e.text === 'Glue' && e.key.endsWith(':item')))
      w = click(w, 'sh:down');
    const glue = observe(w).elements.find((e) => e.text === 'Glue' && e.key.endsWith(':item'))!;
    w = click(w, glue.key.replace(':item', ':qty'));
    w = click(w, 'sh:input');
    expect(act(w, { type: 'type', text: 'lots' }).error).toBe('enter a whole number');
    w = act(w, { type: 'type', text: '500' }).world;
    expect(D(w).sheet.rows.find((r) => r.item === 'Glue')?.qty).toBe(500);
    w = click(w, 'menubar:sheet:Data');
    w = click(w, 'menu:sheet:sorttotal');
    expect(D(w).sheet.rows[0].item).toBe('Glue');
  });

  it('draws the focused window with a blue title bar over a teal desktop', () => {
    const w = world({ open: ['explorer', 'editor'] });
    const f = render(observe(w));
    const px = (x: number, y: number) => [
      ...f.pixels.subarray((y * f.width + x) * 3, (y * f.width + x) * 3 + 3),
    ];
    expect(px(100, 12 + 3 + 1)).toEqual([37, 99, 235]); // editor title bar, blue
    expect(px(1, 130)).toEqual([20, 150, 150]); // wallpaper, teal
  });
});
