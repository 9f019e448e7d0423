// Themes (a perturbation): UI colours per palette. Named colours (red, blue, ...) are NOT
// themed, so "the red mug" stays red in every theme.
import type { ColorName } from '../types';

export type RGB = readonly [number, number, number];

export interface Theme {
  name: string;
  background: RGB;
  surface: RGB;
  text: RGB;
  muted: RGB;
  accent: RGB;
  onAccent: RGB;
  border: RGB;
  danger: RGB;
  statusBar: RGB;
  statusText: RGB;
  /** Blend towards this over content beneath a dialog. */
  scrim: RGB;
}

export const THEMES: Record<string, Theme> = {
  light: {
    name: 'light',
    background: [250, 250, 250],
    surface: [255, 255, 255],
    text: [20, 20, 24],
    muted: [120, 120, 128],
    accent: [26, 115, 232],
    onAccent: [255, 255, 255],
    border: [200, 200, 206],
    danger: [200, 40, 40],
    statusBar: [230, 230, 236],
    statusText: [40, 40, 48],
    scrim: [0, 0, 0],
  },
  dark: {
    name: 'dark',
    background: [24, 24, 28],
    surface: [40, 40, 46],
    text: [235, 235, 240],
    muted: [150, 150, 160],
    accent: [138, 180, 248],
    onAccent: [16, 16, 20],
    border: [80, 80, 90],
    danger: [242, 139, 130],
    statusBar: [12, 12, 14],
    statusText: [220, 220, 226],
    scrim: [0, 0, 0],
  },
  ocean: {
    name: 'ocean',
    background: [232, 244, 250],
    surface: [246, 252, 255],
    text: [10, 40, 60],
    muted: [90, 120, 140],
    accent: [0, 120, 150],
    onAccent: [255, 255, 255],
    border: [170, 200, 215],
    danger: [190, 50, 60],
    statusBar: [0, 90, 120],
    statusText: [235, 250, 255],
    scrim: [0, 20, 30],
  },
  forest: {
    name: 'forest',
    background: [238, 244, 234],
    surface: [250, 253, 247],
    text: [24, 44, 24],
    muted: [100, 124, 96],
    accent: [46, 125, 50],
    onAccent: [255, 255, 255],
    border: [180, 200, 170],
    danger: [183, 28, 28],
    statusBar: [30, 80, 34],
    statusText: [236, 248, 232],
    scrim: [10, 20, 10],
  },
  dusk: {
    name: 'dusk',
    background: [44, 30, 56],
    surface: [60, 44, 76],
    text: [246, 234, 255],
    muted: [180, 160, 196],
    accent: [255, 160, 90],
    onAccent: [40, 20, 10],
    border: [100, 80, 120],
    danger: [255, 110, 110],
    statusBar: [30, 18, 40],
    statusText: [240, 226, 250],
    scrim: [0, 0, 0],
  },
  contrast: {
    name: 'contrast',
    background: [255, 255, 255],
    surface: [255, 255, 255],
    text: [0, 0, 0],
    muted: [60, 60, 60],
    accent: [0, 0, 0],
    onAccent: [255, 255, 0],
    border: [0, 0, 0],
    danger: [180, 0, 0],
    statusBar: [0, 0, 0],
    statusText: [255, 255, 255],
    scrim: [0, 0, 0],
  },
};

export const THEME_NAMES = Object.keys(THEMES);

export const NAMED_COLORS: Record<ColorName, RGB> = {
  red: [220, 38, 38],
  orange: [234, 120, 20],
  yellow: [240, 200, 30],
  green: [34, 160, 70],
  teal: [20, 150, 150],
  blue: [37, 99, 235],
  purple: [130, 60, 200],
  pink: [236, 90, 160],
  brown: [130, 80, 40],
  black: [16, 16, 16],
  white: [248, 248, 248],
  grey: [150, 150, 150],
};

export function getTheme(name: string): Theme {
  return THEMES[name] ?? THEMES.light;
}

/** Black or white, whichever reads better on `bg`. */
export function contrastOn(bg: RGB): RGB {
  const lum = 0.299 * bg[0] + 0.587 * bg[1] + 0.114 * bg[2];
  return lum > 150 ? [16, 16, 16] : [250, 250, 250];
}
