// Small layout helpers shared by the desktop windows: a wide modal dialog (the framework's
// `dialog` is phone-sized) and a folder sidebar for Open / Save As / Move dialogs.
import { Column, box } from '../../ui';
import type { UiNode } from '../../types';

/** A centred modal dialog `width` px wide, in content coordinates; rows come from `build`. */
export function wideDialog(
  key: string,
  title: string,
  W: number,
  H: number,
  width: number,
  build: (col: Column) => void,
): UiNode[] {
  const w = Math.min(W - 8, width);
  const col = new Column(w, 15, 4);
  build(col);
  const h = Math.max(col.y, ...col.nodes.map((n) => n.box.y + n.box.h)) + 4;
  const x0 = Math.floor((W - w) / 2);
  const y0 = Math.max(2, Math.floor((H - h) / 3));
  const frame: UiNode = { key, role: 'dialog', text: title, box: box(x0, y0, w, h) };
  return [
    frame,
    ...col.nodes.map((n) => ({ ...n, box: { ...n.box, x: n.box.x + x0, y: n.box.y + y0 } })),
  ];
}

/** Folder list on the left of a dialog (64 px wide); the shown folder is checked. */
export function folderSidebar(col: Column, folders: string[], shown: string, y: number): number {
  folders.forEach((f, i) => {
    col.nodes.push({
      key: `dlg:folder:${f}`,
      role: 'listitem',
      text: f,
      icon: 'folder',
      checked: f === shown,
      box: box(col.pad, y + i * 12, 66, 12),
    });
  });
  return y + folders.length * 12;
}
