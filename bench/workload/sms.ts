import fs from 'node:fs';
import readline from 'node:readline';

/**
 * The villagers' phones. In demo mode yimen writes every text message to its log as a JSON
 * line with `demoSms: { mobile, body }` (apps/server/src/modules/accounts/sms.ts); the
 * generator reads that log — piped to its stdin (`--sms-log -`, what the workload benchmark
 * does) or a file it tails — to sign citizens in and to take proxy consent codes.
 */
export type SmsKind = 'login' | 'consent';

export class SmsInbox {
  /** Codes received and not yet taken, per mobile and kind, oldest first. */
  private readonly codes = new Map<string, string[]>();
  private readonly waiters = new Map<string, () => void>();
  private stopTail: (() => void) | null = null;

  static open(source: string): SmsInbox {
    const inbox = new SmsInbox();
    if (source === '-') {
      readline.createInterface({ input: process.stdin }).on('line', (line) => inbox.feed(line));
    } else inbox.tail(source);
    return inbox;
  }

  /** Reads what is appended to `file` from now on: earlier codes are stale. */
  private tail(file: string): void {
    let offset = fs.existsSync(file) ? fs.statSync(file).size : 0;
    let rest = '';
    const timer = setInterval(() => {
      let fd: number;
      try {
        fd = fs.openSync(file, 'r');
      } catch {
        return;
      }
      try {
        const buf = Buffer.alloc(1 << 16);
        for (;;) {
          const n = fs.readSync(fd, buf, 0, buf.length, offset);
          if (n <= 0) break;
          offset += n;
          const lines = (rest + buf.toString('utf8', 0, n)).split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) this.feed(line);
        }
      } finally {
        fs.closeSync(fd);
      }
    }, 20);
    timer.unref();
    this.stopTail = () => clearInterval(timer);
  }

  feed(line: string): void {
    if (!line.includes('demoSms')) return;
    let sms: { mobile?: string; body?: string } | undefined;
    try {
      sms = (JSON.parse(line) as { demoSms?: { mobile?: string; body?: string } }).demoSms;
    } catch {
      return;
    }
    // Only the two messages with a code; case notices carry case numbers, digits too.
    const code = sms?.body && /验证码为?\s*(\d{6})/.exec(sms.body)?.[1];
    if (!sms?.mobile || !code) return;
    const kind: SmsKind = sms.body!.includes('代办') ? 'consent' : 'login';
    const key = `${kind}:${sms.mobile}`;
    const list = this.codes.get(key) ?? [];
    list.push(code);
    this.codes.set(key, list);
    this.waiters.get(key)?.();
  }

  /** Takes the latest code for this mobile, waiting up to `timeoutMs` for one. */
  async take(mobile: string, kind: SmsKind, timeoutMs = 10_000): Promise<string> {
    const key = `${kind}:${mobile}`;
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const list = this.codes.get(key);
      if (list?.length) {
        this.codes.delete(key);
        return list[list.length - 1]!;
      }
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no ${kind} SMS reached ${mobile.slice(0, 3)}****`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.set(key, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiters.delete(key);
    }
  }

  close(): void {
    this.stopTail?.();
  }
}
