import fs from 'node:fs';

/** What a process is doing, read from /proc: memory now, CPU time so far. Linux only. */

/** Resident set size of a process in MiB, from /proc/<pid>/status; null once it has gone. */
export function readRssMiB(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export interface RssSampler {
  /**
   * Stops sampling and returns the peak and last RSS seen, in MiB, and the CPU time the
   * process had used at the last sample (for a process that exits, up to one interval short).
   */
  stop(): { peakMiB: number | null; lastMiB: number | null; cpuMs: number | null };
}

/**
 * Samples RSS every `intervalMs` (default 100 ms). The peak is a sampled peak: a spike
 * shorter than the interval can be missed, which is fine for a process that holds its heap.
 */
export function sampleRss(pid: number, intervalMs = 100): RssSampler {
  let peak: number | null = null;
  let last: number | null = null;
  let cpuMs: number | null = null;
  const sample = () => {
    const v = readRssMiB(pid);
    if (v === null) return;
    cpuMs = readCpuMs(pid) ?? cpuMs;
    last = v;
    if (peak === null || v > peak) peak = v;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakMiB: peak, lastMiB: last, cpuMs };
    },
  };
}

/** USER_HZ: the unit of utime and stime in /proc/<pid>/stat; 100 on every Linux we target. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system) the process has used so far, in ms; null once it has gone.
 * Differences over a load run give the server's CPU per request, a figure that, unlike
 * latency, hardly moves when other work shares the machine.
 */
export function readCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; count fields from after its closing ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) / TICKS_PER_SECOND) * 1000;
  } catch {
    return null;
  }
}

/** CPU ms so far of each process, by pid (processes that have gone are left out). */
export function cpuByPid(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const ms = readCpuMs(pid);
    if (ms !== null) out.set(pid, ms);
  }
  return out;
}

/** CPU a group of processes spent between two readings; one that exits meanwhile is lost. */
export function cpuSinceMs(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, v] of after) ms += v - (before.get(pid) ?? 0);
  return ms;
}
