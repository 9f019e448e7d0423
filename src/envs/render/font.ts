// The built-in bitmap font: printable ASCII (32..126) as 5×7 glyphs, one byte per row with
// bit 4 the leftmost pixel. Exported as a table so the toolbox's OCR can read text back from
// screenshots: render a glyph cell and compare it with these rows.

export const GLYPH_W = 5;
export const GLYPH_H = 7;
/** Horizontal advance per character (glyph plus 1 px spacing). */
export const ADVANCE = 6;
export const FIRST_CODE = 32;
export const LAST_CODE = 126;

// Each entry: 7 rows as two hex digits each, top row first.
const GLYPH_HEX: readonly string[] = [
  '00000000000000',
  '04040404040004',
  '0a0a0a00000000',
  '0a0a1f0a1f0a0a',
  '040f140e051e04',
  '18190204081303', //  !"#$%
  '0c12140815120d',
  '0c040800000000',
  '02040808080402',
  '08040202020408',
  '0004150e150400',
  '0004041f040400', // &'()*+
  '000000000c0408',
  '0000001f000000',
  '00000000000c0c',
  '00010204081000',
  '0e11131519110e',
  '040c040404040e', // ,-./01
  '0e11010204081f',
  '1f02040201110e',
  '02060a121f0202',
  '1f101e0101110e',
  '0608101e11110e',
  '1f010204080808', // 234567
  '0e11110e11110e',
  '0e11110f01020c',
  '000c0c000c0c00',
  '000c0c000c0408',
  '02040810080402',
  '00001f001f0000', // 89:;<=
  '08040201020408',
  '0e110102040004',
  '0e11010d15150e',
  '0e1111111f1111',
  '1e11111e11111e',
  '0e11101010110e', // >?@ABC
  '1c12111111121c',
  '1f10101e10101f',
  '1f10101e101010',
  '0e11101711110f',
  '1111111f111111',
  '0e04040404040e', // DEFGHI
  '0702020202120c',
  '11121418141211',
  '1010101010101f',
  '111b1515111111',
  '11111915131111',
  '0e11111111110e', // JKLMNO
  '1e11111e101010',
  '0e11111115120d',
  '1e11111e141211',
  '0f10100e01011e',
  '1f040404040404',
  '1111111111110e', // PQRSTU
  '11111111110a04',
  '1111111515150a',
  '11110a040a1111',
  '1111110a040404',
  '1f01020408101f',
  '0e08080808080e', // VWXYZ[
  '00100804020100',
  '0e02020202020e',
  '040a1100000000',
  '0000000000001f',
  '08040200000000',
  '00000e010f110f', // \\]^_`a
  '1010161911111e',
  '00000e1010110e',
  '01010d1311110f',
  '00000e111f100e',
  '0609081c080808',
  '000f11110f010e', // bcdefg
  '10101619111111',
  '04000c0404040e',
  '0200060202120c',
  '10101214181412',
  '0c04040404040e',
  '00001a15151111', // hijklm
  '00001619111111',
  '00000e1111110e',
  '00001e111e1010',
  '00000d130f0101',
  '00001619101010',
  '00000e100e011e', // nopqrs
  '08081c08080906',
  '0000111111130d',
  '00001111110a04',
  '0000111115150a',
  '0000110a040a11',
  '000011110f010e', // tuvwxy
  '00001f0204081f',
  '02040408040402',
  '04040404040404',
  '08040402040408',
  '00000815020000', // z{|}~
];

/** Rows of every glyph: GLYPH_ROWS[(code - FIRST_CODE) * GLYPH_H + row], bit 4 = leftmost. */
export const GLYPH_ROWS: Uint8Array = (() => {
  const rows = new Uint8Array(GLYPH_HEX.length * GLYPH_H);
  GLYPH_HEX.forEach((hex, g) => {
    for (let r = 0; r < GLYPH_H; r++)
      rows[g * GLYPH_H + r] = parseInt(hex.slice(2 * r, 2 * r + 2), 16);
  });
  return rows;
})();

/** Glyph index of a character; anything outside printable ASCII draws as '?'. */
export function glyphIndex(ch: string): number {
  const c = ch.charCodeAt(0);
  return c >= FIRST_CODE && c <= LAST_CODE ? c - FIRST_CODE : '?'.charCodeAt(0) - FIRST_CODE;
}

/** Whether pixel (col, row) of a character's glyph is set. */
export function glyphPixel(ch: string, col: number, row: number): boolean {
  return ((GLYPH_ROWS[glyphIndex(ch) * GLYPH_H + row] >> (GLYPH_W - 1 - col)) & 1) === 1;
}

/** The font as a lookup for OCR: glyph bit-pattern key (7 rows joined) → character. */
export function glyphTable(): Map<string, string> {
  const table = new Map<string, string>();
  for (let c = FIRST_CODE; c <= LAST_CODE; c++) {
    const g = c - FIRST_CODE;
    table.set(
      Array.from(GLYPH_ROWS.subarray(g * GLYPH_H, (g + 1) * GLYPH_H)).join(','),
      String.fromCharCode(c),
    );
  }
  return table;
}
