import type { Signal } from '@incident/contracts';
import { PersonalData } from '@incident/event-store';
import type { DataSource, EntityManager } from 'typeorm';

/** The pseudonym of each signal's user, for `signalReceived`; undefined for a signal without one. */
export type UserRefOf = (signal: Signal) => string | undefined;

/**
 * Looks up (creating on first sight) the pseudonyms of the signals' users in personal_data, the
 * table outside the hashed log that `incidentctl forget` erases from (docs/personal-data.md). One
 * statement for the whole request or batch; in `manager`'s transaction when given one (the Kafka
 * intake's), else in one of its own bounded by `timeoutMs` (HTTP: committed before the signals,
 * so an erasure can never find a signal whose pseudonym it could not see).
 */
export async function pseudonyms(
  dataSource: DataSource,
  signals: readonly Signal[],
  opts: { manager?: EntityManager; timeoutMs?: number } = {},
): Promise<UserRefOf> {
  const userIds = signals.map((s) => s.userId).filter((id): id is string => id !== undefined);
  if (userIds.length === 0) return () => undefined;
  const personal = new PersonalData(dataSource);
  const refs = opts.manager
    ? await personal.userRefs(userIds, opts.manager)
    : await dataSource.transaction(async (tx) => {
        if (opts.timeoutMs) await tx.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(opts.timeoutMs))}`);
        return personal.userRefs(userIds, tx);
      });
  return (signal) => (signal.userId === undefined ? undefined : refs.get(signal.userId));
}
