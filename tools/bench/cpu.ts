// Where a benchmark phase spends the machine's CPU: user+system time per group of processes, read from /proc (Linux).
// A closed-loop run is limited by whichever resource saturates first; on a small machine that is usually the cores
// every process shares, so CPU milliseconds per booking per process say where the time goes better than latency.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux (getconf CLK_TCK)

export type Classify = (pid: number, comm: string, cmdline: string) => string | null;

/** CPU milliseconds used so far by each group of live processes; empty where /proc does not exist. */
export function cpuByGroup(classify: Classify): Map<string, number> {
  const groups = new Map<string, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return groups;
  }
  for (const name of pids) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' '); // fields[0] is the state, the 3rd field of stat
      const group = classify(Number(name), comm, readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' '));
      if (!group) continue;
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND; // utime, stime
      groups.set(group, (groups.get(group) ?? 0) + ms);
    } catch {
      // the process ended between listing and reading
    }
  }
  return groups;
}

/** CPU milliseconds each group used between two readings. */
export function cpuSpent(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([group, ms]) => [group, Math.max(0, ms - (before.get(group) ?? 0))]));
}
