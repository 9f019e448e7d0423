// Spreadsheet window: an office-supplies budget (Item, Qty, Price and a computed Total), five
// rows at a time. Click a cell, then type in the formula bar to change it; Data sorts, Edit
// clears a cell or deletes a row (behind a confirm, permanent).
import { fail } from '../../app';
import { box } from '../../ui';
import type { UiNode } from '../../types';
import { wideDialog } from './widgets';
import type { DeskResult, DeskWindow, DesktopState, SheetCol, SheetRow } from './state';

export const ROWS_PER_PAGE = 4;
const COLS: { col: SheetCol | 'total'; label: string; x: number; w: number }[] = [
  { col: 'item', label: 'Item', x: 3, w: 78 },
  { col: 'qty', label: 'Qty', x: 82, w: 32 },
  { col: 'price', label: 'Price', x: 115, w: 38 },
  { col: 'total', label: 'Total', x: 154, w: 44 },
];

export const total = (r: SheetRow) => r.qty * r.price;

export function sortRows(rows: SheetRow[], by: 'item' | 'total'): SheetRow[] {
  return by === 'item'
    ? [...rows].sort((a, b) => a.item.localeCompare(b.item) || a.id - b.id)
    : [...rows].sort((a, b) => total(b) - total(a) || a.id - b.id);
}

/** First visible row that shows this row. */
export function topFor(s: DesktopState, id: number): number {
  const i = s.sheet.rows.findIndex((r) => r.id === id);
  return i < 0 ? 0 : Math.floor(i / ROWS_PER_PAGE) * ROWS_PER_PAGE;
}

function cellValue(r: SheetRow, col: SheetCol): string {
  return String(r[col]);
}

function selectedRow(s: DesktopState): SheetRow | undefined {
  return s.cell ? s.sheet.rows.find((r) => r.id === s.cell!.row) : undefined;
}

function setCell(s: DesktopState, text: string): DeskResult {
  const row = selectedRow(s);
  if (!row || !s.cell) return fail(s, 'select a cell first');
  const col = s.cell.col;
  let next: SheetRow;
  if (col === 'item') {
    const name = text.trim().slice(0, 14);
    if (!name) return fail(s, 'an item needs a name');
    next = { ...row, item: name };
  } else {
    const v = Number(text.trim());
    if (!/^\d{1,4}$/.test(text.trim()) || !Number.isFinite(v))
      return fail(s, 'enter a whole number');
    next = { ...row, [col]: v };
  }
  return {
    ...s,
    sheet: { ...s.sheet, sort: null, rows: s.sheet.rows.map((r) => (r === row ? next : r)) },
  };
}

export const sheet: DeskWindow = {
  name: 'sheet',
  label: 'Sheet',
  icon: 'note',
  frame: box(30, 14, 204, 112),
  title: () => 'Sheet - budget.xls',
  menus: {
    Edit: [
      ['clear', 'Clear cell'],
      ['delrow', 'Delete row'],
    ],
    Data: [
      ['sortitem', 'Sort by item A-Z'],
      ['sorttotal', 'Sort by total'],
    ],
  },
  content(s, w, top, h) {
    const row = selectedRow(s);
    const ref =
      row && s.cell
        ? `${'ABC'[['item', 'qty', 'price'].indexOf(s.cell.col)]}${s.sheet.rows.indexOf(row) + 1}`
        : '-';
    const nodes: UiNode[] = [
      { key: 'sh:ref', role: 'text', text: ref, box: box(4, top + 3, 20, 9) },
      {
        key: 'sh:input',
        role: 'textfield',
        text: 'Cell value',
        value: row && s.cell ? cellValue(row, s.cell.col) : '',
        enabled: !!row,
        box: box(26, top + 1, w - 30, 12),
      },
    ];
    const hy = top + 15;
    nodes.push({ key: 'sh:head', role: 'panel', color: 'grey', box: box(2, hy, w - 4, 10) });
    for (const c of COLS)
      nodes.push({
        key: `sh:h:${c.col}`,
        role: 'text',
        text: c.label,
        color: 'white',
        box: box(c.x + 2, hy + 1, c.w - 2, 8),
      });
    const topRow = Math.min(s.top, Math.max(0, s.sheet.rows.length - 1));
    s.sheet.rows.slice(topRow, topRow + ROWS_PER_PAGE).forEach((r, i) => {
      const y = hy + 11 + i * 12;
      for (const c of COLS) {
        if (c.col === 'total') {
          nodes.push({
            key: `sh:total:${r.id}`,
            role: 'text',
            text: String(total(r)),
            box: box(c.x + 3, y + 2, c.w - 3, 9),
          });
          continue;
        }
        const sel = s.cell?.row === r.id && s.cell.col === c.col;
        nodes.push({
          key: `sh:cell:${r.id}:${c.col}`,
          role: 'listitem',
          text: cellValue(r, c.col),
          context: r.item,
          checked: sel,
          box: box(c.x, y, c.w, 12),
        });
      }
    });
    const sum = s.sheet.rows.reduce((a, r) => a + total(r), 0);
    const last = Math.min(s.sheet.rows.length, topRow + ROWS_PER_PAGE);
    nodes.push(
      {
        key: 'sh:rows',
        role: 'text',
        text: `Rows ${topRow + 1}-${last} of ${s.sheet.rows.length}`,
        muted: true,
        box: box(4, h - 12, 96, 9),
      },
      { key: 'sh:sum', role: 'text', text: `Sum ${sum}`, box: box(104, h - 12, 52, 9) },
      {
        key: 'sh:up',
        role: 'button',
        tone: 'plain',
        text: '^',
        enabled: topRow > 0,
        box: box(w - 32, h - 14, 13, 11),
      },
      {
        key: 'sh:down',
        role: 'button',
        tone: 'plain',
        text: 'v',
        enabled: last < s.sheet.rows.length,
        box: box(w - 17, h - 14, 13, 11),
      },
    );
    return nodes;
  },
  dialog(s, W, H) {
    const d = s.dialog;
    if (d?.kind !== 'delrow') return undefined;
    const item = s.sheet.rows.find((r) => r.id === d.row)?.item ?? '';
    return wideDialog('dlg:frame', `Delete row ${item}?`, W, H, 150, (col) => {
      col.text('dlg:warn', 'This cannot be undone.', { muted: true });
      col.gap(2).buttons([
        { key: 'dlg:cancel', text: 'Cancel', tone: 'plain' },
        { key: 'dlg:delrow', text: 'Delete', tone: 'danger' },
      ]);
    });
  },
  on(s, key, ev): DeskResult {
    if (ev.kind === 'type') return key === 'sh:input' ? setCell(s, ev.text) : s;
    const d = s.dialog;
    if (d?.kind === 'delrow') {
      if (key === 'dlg:cancel') return { ...s, dialog: null };
      if (key !== 'dlg:delrow') return s;
      const row = s.sheet.rows.find((r) => r.id === d.row);
      if (!row) return { ...s, dialog: null };
      const rows = s.sheet.rows.filter((r) => r !== row);
      return {
        ...s,
        dialog: null,
        cell: null,
        top: Math.min(s.top, Math.max(0, rows.length - 1)),
        sheet: { ...s.sheet, rows, removed: [...s.sheet.removed, row.item] },
      };
    }
    if (key.startsWith('sh:cell:')) {
      const [, , id, col] = key.split(':');
      return { ...s, cell: { row: Number(id), col: col as SheetCol } };
    }
    if (key === 'menu:sheet:close')
      return { ...s, windows: s.windows.filter((w) => w !== 'sheet') };
    if (key === 'sh:up') return { ...s, top: Math.max(0, s.top - ROWS_PER_PAGE) };
    if (key === 'sh:down')
      return s.top + ROWS_PER_PAGE < s.sheet.rows.length ? { ...s, top: s.top + ROWS_PER_PAGE } : s;
    const row = selectedRow(s);
    switch (key) {
      case 'menu:sheet:clear':
        if (!row || !s.cell) return fail(s, 'select a cell first');
        if (s.cell.col === 'item') return fail(s, 'an item needs a name');
        return setCell(s, '0');
      case 'menu:sheet:delrow':
        if (!row) return fail(s, 'select a cell in the row first');
        return { ...s, dialog: { kind: 'delrow', row: row.id } };
      case 'menu:sheet:sortitem':
        return {
          ...s,
          top: 0,
          sheet: { ...s.sheet, sort: 'item', rows: sortRows(s.sheet.rows, 'item') },
        };
      case 'menu:sheet:sorttotal':
        return {
          ...s,
          top: 0,
          sheet: { ...s.sheet, sort: 'total', rows: sortRows(s.sheet.rows, 'total') },
        };
    }
    return s;
  },
};
