// Renders public/icons/icon.svg to the PNG icons the PWA manifest lists, with the local
// Chromium, so the PNGs always match the SVG. Run after editing the SVG:
//   npx vite-node scripts/make-icons.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const dir = new URL('../public/icons/', import.meta.url);
const svg = readFileSync(new URL('icon.svg', dir), 'utf8');
const svgUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;

// Maskable icons are cropped to a circle by some launchers: keep the mark inside the central
// 80% on a full-bleed background of the same colour.
const outputs = [
  { file: 'icon-192.png', size: 192, inset: 0, bleed: false },
  { file: 'icon-512.png', size: 512, inset: 0, bleed: false },
  { file: 'apple-touch-icon.png', size: 180, inset: 0, bleed: true },
  { file: 'icon-maskable-512.png', size: 512, inset: 0.1, bleed: true },
];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const o of outputs) {
    const pad = Math.round(o.size * o.inset);
    await page.setViewportSize({ width: o.size, height: o.size });
    await page.setContent(
      `<body style="margin:0;background:${o.bleed ? '#1f2a44' : 'transparent'}">` +
        `<img src="${svgUrl}" style="display:block;margin:${pad}px;width:${o.size - 2 * pad}px;height:${o.size - 2 * pad}px"></body>`,
    );
    await page.waitForFunction(() => document.images[0]?.complete);
    const png = await page.screenshot({ omitBackground: !o.bleed, type: 'png' });
    writeFileSync(new URL(o.file, dir), png);
    console.log(`wrote public/icons/${o.file} (${png.length} bytes)`);
  }
} finally {
  await browser.close();
}
