import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Undo steps collected while a benchmark sets things up, run in reverse order whether the
 * benchmark succeeded or not. Every step runs even if an earlier one throws, so a failed
 * DROP DATABASE does not leave a server running.
 */
export class Cleanup {
  private steps: { what: string; fn: () => Promise<void> | void }[] = [];

  defer(what: string, fn: () => Promise<void> | void): void {
    this.steps.push({ what, fn });
  }

  async run(log: (message: string) => void = () => {}): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.fn();
      } catch (err) {
        log(`cleanup "${step.what}" failed: ${(err as Error).message}`);
      }
    }
  }
}

/** A fresh directory under the system temp dir, removed by the given cleanup. */
export function tempDir(cleanup: Cleanup, label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `yimen-bench-${label}-`));
  cleanup.defer(`remove ${dir}`, () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
