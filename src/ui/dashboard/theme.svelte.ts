// Chart colours that follow the page: axis and grid colours come from app.css's tokens and
// change with prefers-color-scheme; series colours are in palette.ts.

import { formatCount } from '../numbers';
export interface ChartColors {
  text: string;
  grid: string;
  dark: boolean;
}

class ChartTheme {
  dark = $state(false);

  constructor() {
    if (typeof matchMedia === 'undefined') return;
    const query = matchMedia('(prefers-color-scheme: dark)');
    this.dark = query.matches;
    query.addEventListener('change', (e) => (this.dark = e.matches));
  }

  /** Read the tokens now (call inside an effect that also reads `dark`). */
  colors(): ChartColors {
    const css = getComputedStyle(document.documentElement);
    const token = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    return {
      text: token('--muted', this.dark ? '#9aa3b2' : '#5b6472'),
      grid: token('--border', this.dark ? '#2c313a' : '#dde1e7'),
      dark: this.dark,
    };
  }
}

export const chartTheme = new ChartTheme();

/** Short number for labels and summaries: 3 significant digits, thousands grouped. */
export function formatValue(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (Math.abs(v) >= 1000) return formatCount(Math.round(v));
  if (v === 0) return '0';
  if (Math.abs(v) < 0.001) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}
