import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * Noto Sans Hans (OFL) from the @embedpdf/fonts-sc package: an OpenType font pdfkit embeds
 * as a subset, so Chinese text in our PDFs is real, searchable text on any machine.
 */
export function cjkFontPath(weight: 'Regular' | 'Bold' = 'Regular'): string {
  const dist = path.dirname(require.resolve('@embedpdf/fonts-sc'));
  return path.join(dist, '..', 'fonts', `NotoSansHans-${weight}.otf`);
}

const cache = new Map<string, Buffer>();

/** The font file's bytes, read once per process (parsing 8 MB each time costs a second). */
export function cjkFont(weight: 'Regular' | 'Bold' = 'Regular'): Buffer {
  let buf = cache.get(weight);
  if (!buf) {
    buf = fs.readFileSync(cjkFontPath(weight));
    cache.set(weight, buf);
  }
  return buf;
}
