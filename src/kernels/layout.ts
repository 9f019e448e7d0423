// A size table in the llm.c manner: named tensors laid out one after another in one pool,
// each at a 256-byte aligned offset (alignedSize), so a WebGPU view can start at any of them.
// The same layout can be instantiated several times in one pool (parameters, gradients and
// AdamW moments) by giving each copy its own base offset.
import { alignedSize, sizeOf, type Backend, type Tensor } from './backend';

export interface LayoutEntry {
  name: string;
  shape: readonly number[];
  /** Elements from the start of the layout. */
  offset: number;
  /** Elements (without padding). */
  size: number;
}

export class Layout {
  readonly entries: LayoutEntry[] = [];
  private readonly byName = new Map<string, LayoutEntry>();
  /** Elements the layout spans, padding included. */
  size = 0;

  add(name: string, shape: readonly number[]): void {
    if (this.byName.has(name)) throw new Error(`layout: duplicate tensor '${name}'`);
    const entry = { name, shape: [...shape], offset: this.size, size: sizeOf(shape) };
    this.entries.push(entry);
    this.byName.set(name, entry);
    this.size += alignedSize(entry.size);
  }

  entry(name: string): LayoutEntry {
    const e = this.byName.get(name);
    if (!e) throw new Error(`layout: no tensor '${name}'`);
    return e;
  }

  /** Views of every entry of a copy of this layout that starts `base` elements into `pool`. */
  views(be: Backend, pool: Tensor, base: number, prefix: string): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const e of this.entries) {
      out.set(e.name, be.view(pool, base + e.offset, e.shape, `${prefix}.${e.name}`));
    }
    return out;
  }
}

/** The tensor `name` from a views map, or throws (a layout and its reader disagree). */
export function take(views: Map<string, Tensor>, name: string): Tensor {
  const t = views.get(name);
  if (!t) throw new Error(`layout: no view '${name}'`);
  return t;
}
