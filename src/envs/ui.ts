// Layout helpers for app authors: a Column stacks full-width rows top to bottom, so an app's
// view reads like the screen it draws. Rows are 14 px (the 5×7 font plus padding).
import type { Box, ColorName, IconName, UiNode } from './types';

export const ROW_H = 14;
export const PAD = 4;
/** Glyph cell of the bitmap font: 5×7 pixels plus 1 px spacing. */
export const CHAR_W = 6;
export const CHAR_H = 7;

export function box(x: number, y: number, w: number, h: number): Box {
  return { x, y, w, h };
}

/** Pixel width of a string in the bitmap font. */
export function textWidth(text: string, scale = 1): number {
  return Math.max(0, text.length * CHAR_W - 1) * scale;
}

/** Cut a string to fit a width, with '..' when shortened. */
export function fit(text: string, width: number): string {
  const max = Math.floor((width + 1) / CHAR_W);
  if (text.length <= max) return text;
  return max <= 2 ? text.slice(0, max) : text.slice(0, max - 2) + '..';
}

export class Column {
  readonly nodes: UiNode[] = [];
  y: number;

  constructor(
    readonly width: number,
    top = 0,
    readonly pad = PAD,
  ) {
    this.y = top;
  }

  get inner(): number {
    return this.width - 2 * this.pad;
  }

  gap(h = 4): this {
    this.y += h;
    return this;
  }

  /** Add a node spanning the row; returns it for tweaks. */
  push(node: Omit<UiNode, 'box'> & { box?: Box }, h = ROW_H): UiNode {
    const full: UiNode = { ...node, box: node.box ?? box(this.pad, this.y, this.inner, h) };
    this.nodes.push(full);
    this.y += h;
    return full;
  }

  text(key: string, text: string, opts: Partial<UiNode> = {}): UiNode {
    const scale = opts.scale ?? 1;
    return this.push(
      { key, role: 'text', text: fit(text, this.inner / scale), ...opts },
      scale === 2 ? 18 : 11,
    );
  }

  /** Multi-line paragraph, wrapped on words; one text node per line. */
  paragraph(key: string, text: string, opts: Partial<UiNode> = {}): UiNode[] {
    const perLine = Math.floor((this.inner + 1) / CHAR_W);
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const next = line ? line + ' ' + word : word;
      if (next.length > perLine && line) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    if (line) lines.push(line);
    return lines.map((l, i) =>
      this.push({ key: `${key}:${i}`, role: 'text', text: l, ...opts }, 10),
    );
  }

  item(key: string, text: string, opts: Partial<UiNode> = {}): UiNode {
    return this.push({ key, role: 'listitem', text, ...opts });
  }

  toggle(key: string, label: string, on: boolean, opts: Partial<UiNode> = {}): UiNode {
    return this.push({ key, role: 'toggle', text: label, checked: on, ...opts });
  }

  checkbox(key: string, label: string, on: boolean, opts: Partial<UiNode> = {}): UiNode {
    return this.push({ key, role: 'checkbox', text: label, checked: on, ...opts });
  }

  button(key: string, label: string, opts: Partial<UiNode> = {}): UiNode {
    const w = Math.min(this.inner, textWidth(label) + 12);
    const node = this.push({ key, role: 'button', text: label, tone: 'primary', ...opts }, 13);
    node.box = box(this.pad, node.box.y, w, 12);
    this.y += 2;
    return node;
  }

  /** A labelled text field: the label is the element text, the contents its value. */
  field(key: string, label: string, value: string): UiNode {
    this.push({ key: `${key}:label`, role: 'text', text: label, muted: true }, 9);
    return this.push({ key, role: 'textfield', text: label, value }, 14);
  }

  /** Slider with its label above; value 0..100. */
  slider(key: string, label: string, value: number): UiNode {
    this.push({ key: `${key}:label`, role: 'text', text: `${label}` }, 9);
    return this.push({ key, role: 'slider', text: label, value }, 10);
  }

  /** A row of equal tabs; `selected` is checked. */
  tabs(prefix: string, labels: string[], selected: string): UiNode[] {
    const w = Math.floor(this.inner / labels.length);
    const nodes = labels.map((label, i) => ({
      key: `${prefix}:${label}`,
      role: 'tab' as const,
      text: label,
      checked: label === selected,
      box: box(this.pad + i * w, this.y, w, 13),
    }));
    this.nodes.push(...nodes);
    this.y += 15;
    return nodes;
  }

  /** Small buttons side by side on one row (e.g. Cancel / OK). */
  buttons(specs: { key: string; text: string; tone?: UiNode['tone'] }[]): UiNode[] {
    let x = this.pad;
    const nodes = specs.map((s) => {
      const w = textWidth(s.text) + 10;
      const n: UiNode = {
        key: s.key,
        role: 'button',
        text: s.text,
        tone: s.tone ?? 'primary',
        box: box(x, this.y, w, 12),
      };
      x += w + 4;
      return n;
    });
    this.nodes.push(...nodes);
    this.y += 15;
    return nodes;
  }

  divider(): this {
    this.nodes.push({
      key: `divider:${this.y}`,
      role: 'panel',
      box: box(0, this.y, this.width, 1),
      color: 'grey',
    });
    this.y += 2;
    return this;
  }
}

/** An icon button at an explicit position (toolbars). */
export function iconButton(
  key: string,
  icon: IconName,
  x: number,
  y: number,
  opts: Partial<UiNode> = {},
): UiNode {
  return { key, role: 'icon', icon, box: box(x, y, 11, 11), ...opts };
}

/** A coloured image tile; `imageText` is drawn inside it (pixels only). */
export function image(key: string, b: Box, color: ColorName, opts: Partial<UiNode> = {}): UiNode {
  return { key, role: 'image', box: b, color, ...opts };
}

/**
 * A centred modal dialog in content coordinates: a frame node plus the rows the builder adds.
 * `height` is the content height of the viewport the dialog sits in.
 */
export function dialog(
  key: string,
  title: string,
  width: number,
  height: number,
  build: (col: Column) => void,
): UiNode[] {
  const w = Math.min(width - 16, 140);
  const col = new Column(w, 16, 5);
  build(col);
  const h = col.y + 4;
  const x0 = Math.floor((width - w) / 2);
  const y0 = Math.max(4, Math.floor((height - h) / 3));
  const frame: UiNode = { key, role: 'dialog', text: title, box: box(x0, y0, w, h) };
  const inner = col.nodes.map((n) => ({
    ...n,
    box: box(n.box.x + x0, n.box.y + y0, n.box.w, n.box.h),
  }));
  return [frame, ...inner];
}
