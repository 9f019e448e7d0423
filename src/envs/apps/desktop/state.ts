// State of the desktop shell and its three windowed apps (text editor, file manager,
// spreadsheet). One app state holds them all, so focus, menus and modal dialogs are shared the
// way a real window manager shares them; the UI fields are listed in DESKTOP_UI.
import type { AppEvent, AppOutcome } from '../../app';
import type { Box, IconName, UiNode } from '../../types';

export type WinName = 'editor' | 'explorer' | 'sheet';
export const WINDOWS: readonly WinName[] = ['editor', 'explorer', 'sheet'];

export interface DFile {
  name: string;
  text: string;
}

export interface SheetRow {
  /** Stable id, so a selection survives sorting and renaming. */
  id: number;
  item: string;
  qty: number;
  price: number;
}

export type SheetCol = 'item' | 'qty' | 'price';

export type DeskDialog =
  | { kind: 'open'; folder: string }
  | { kind: 'saveas'; folder: string; draft: string }
  /** The editor has unsaved changes and the user asked to leave the document. */
  | { kind: 'unsaved'; then: LeaveFor }
  | { kind: 'rename'; file: string; draft: string }
  | { kind: 'move'; file: string }
  | { kind: 'delete'; file: string }
  | { kind: 'newfolder'; draft: string }
  | { kind: 'delrow'; row: number };

/** Why the document is being left: New, Open..., Close, or opening a file from Files. */
export type LeaveFor = 'new' | 'open' | 'close' | { folder: string; name: string };

export interface DesktopState {
  // --- UI (navigation) ---
  /** Open windows, back to front: the last one has the focus. */
  windows: WinName[];
  /** Open drop-down menu, e.g. 'editor:File'. */
  menu: string | null;
  /** Modal dialog of the focused window. */
  dialog: DeskDialog | null;
  /** File manager: folder shown, selected file, page of the file list. */
  folder: string;
  selected: string | null;
  page: number;
  /** Spreadsheet: selected cell and first visible row. */
  cell: { row: number; col: SheetCol } | null;
  top: number;
  // --- content ---
  /** The disk: folder name to files. */
  fs: Record<string, DFile[]>;
  /** Paths deleted so far ('Folder/name'); deletion is permanent. */
  deleted: string[];
  /** The editor's document; unsaved when `text !== saved`. */
  doc: { folder: string | null; name: string | null; text: string; saved: string };
  sheet: { rows: SheetRow[]; sort: string | null; removed: string[] };
}

export const DESKTOP_UI = [
  'windows',
  'menu',
  'dialog',
  'folder',
  'selected',
  'page',
  'cell',
  'top',
] as const;

export type DeskResult = DesktopState | AppOutcome<DesktopState>;

/** One windowed app: where it sits, its menus, its content and how it handles its keys. */
export interface DeskWindow {
  name: WinName;
  label: string;
  icon: IconName;
  /** Window frame on the desktop (body coordinates). */
  frame: Box;
  title(s: DesktopState): string;
  /** Menu name to items [key suffix, label]; keys become `menu:<win>:<suffix>`. */
  menus: Record<string, [string, string][]>;
  /** Content below the menu bar, in window coordinates; `active` is false when unfocused. */
  content(s: DesktopState, w: number, top: number, h: number): UiNode[];
  /** Nodes of this window's modal dialog, when it has one open. */
  dialog(s: DesktopState, W: number, H: number): UiNode[] | undefined;
  /** Handle a click/type on one of this window's nodes (content, menu item or dialog). */
  on(s: DesktopState, key: string, ev: AppEvent): DeskResult;
}

export function isDirty(s: DesktopState): boolean {
  return s.doc.text !== s.doc.saved;
}

export function focused(s: DesktopState): WinName | null {
  return s.windows.at(-1) ?? null;
}

/** Bring a window to the front (opening it if closed), closing any menu. */
export function raise(s: DesktopState, win: WinName): DesktopState {
  return { ...s, windows: [...s.windows.filter((x) => x !== win), win], menu: null };
}

export function fileNameOk(name: string): boolean {
  return /^[A-Za-z0-9 ._-]{1,24}$/.test(name) && !/^\.+$/.test(name);
}

export function sortFiles(files: DFile[]): DFile[] {
  return [...files].sort((a, b) => a.name.localeCompare(b.name));
}

export function findFile(s: DesktopState, folder: string, name: string): DFile | undefined {
  return s.fs[folder]?.find((f) => f.name === name);
}
