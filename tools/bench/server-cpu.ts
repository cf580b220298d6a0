// CPU time of the PostgreSQL backends serving the bench, read from /proc: possible only when the
// server runs on this machine (as on the development VM). Unlike rates, CPU per row hardly moves
// with the load other tenants put on a shared machine, so it is the fairer comparison there.
import { readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';

const MICROS_PER_TICK = 1e6 / 100; // Linux reports utime and stime in USER_HZ = 100 ticks per second

/** CPU microseconds used so far, per backend pid. */
export type BackendCpu = Map<number, number>;

/** The backends of `applicationName` and their CPU so far, or undefined if /proc does not show them. */
export async function serverCpu(
  dataSource: DataSource,
  applicationName: string,
): Promise<BackendCpu | undefined> {
  const backends: { pid: number }[] = await dataSource.query(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [applicationName],
  );
  const usage: BackendCpu = new Map();
  for (const { pid } of backends) {
    try {
      // Fields after "pid (comm) ": utime is [11], stime [12].
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
        .split(') ')[1]
        .split(' ');
      usage.set(
        pid,
        (Number(fields[11]) + Number(fields[12])) * MICROS_PER_TICK,
      );
    } catch {
      return undefined;
    }
  }
  return usage;
}

/**
 * CPU used between two readings, per backend: the pool closes idle connections and opens new
 * ones, so totals would count a closed connection's whole history as negative.
 */
export function cpuBetween(start: BackendCpu, end: BackendCpu): number {
  let used = 0;
  for (const [pid, micros] of end) used += micros - (start.get(pid) ?? 0);
  return used;
}
