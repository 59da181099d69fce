import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/**
 * A PDF's text, read back with poppler's pdftotext. Without it a check of the embedded
 * Chinese text would prove nothing, so its absence fails the test (.ci/run installs
 * poppler-utils).
 */
export function pdfText(pdf: Buffer): string {
  const text = spawnSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' });
  if (text.error)
    assert.fail(`pdftotext did not run (${text.error.message}): install poppler-utils`);
  assert.equal(text.status, 0, `pdftotext could not read the PDF: ${text.stderr}`);
  return text.stdout;
}
