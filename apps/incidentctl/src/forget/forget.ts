import { PersonalData } from '@incident/event-store';
import type { Log } from '../cli/database';

export interface ForgetResult {
  erased: boolean;
  /** The pseudonym whose link to the subject is gone; events keep it, unlinkable. */
  userRef: string | null;
  subjectSince: string | null;
  /** Events that name the pseudonym (they stay, hashed and verifiable). */
  eventsWithPseudonym: number;
  /**
   * Events written before pseudonyms (SignalReceived/SignalClassified v1, and the correlation
   * events copied from them) that hold the subject's id in plaintext, inside the hashed payload:
   * erasing them would break the chain, so they are reported, not touched.
   */
  eventsWithPlaintext: number;
}

/**
 * Deletes the subject's row of personal_data (and notes the erasure by pseudonym), in one
 * transaction with the counts, which read the events as stored: no event is changed, so every
 * hash chain still verifies.
 */
export async function forget(log: Log, subject: string): Promise<ForgetResult> {
  return log.dataSource.transaction(async (tx) => {
    const erased = await new PersonalData(log.dataSource, { schema: log.schema }).forget(subject, tx);
    const [counts]: { plaintext: number; pseudonym: number }[] = await tx.query(
      `SELECT count(*) FILTER (WHERE schema_version = 1 AND type IN ('SignalReceived', 'FailureObserved') AND payload->'signal'->>'userId' = $1
                                  OR schema_version = 1 AND type IN ('SignalClassified', 'SignalAttached') AND payload->>'userId' = $1)::int AS plaintext,
              count(*) FILTER (WHERE $2::text IS NOT NULL AND (payload->>'userRef' = $2 OR payload->>'userId' = $2 OR payload->'signal'->>'userId' = $2))::int AS pseudonym
         FROM ${log.s}.events
        WHERE type IN ('SignalReceived', 'SignalClassified', 'SignalAttached', 'FailureObserved')`,
      [subject, erased?.userRef ?? null],
    );
    return {
      erased: erased !== undefined,
      userRef: erased?.userRef ?? null,
      subjectSince: erased?.since.toISOString() ?? null,
      eventsWithPseudonym: counts.pseudonym,
      eventsWithPlaintext: counts.plaintext,
    };
  });
}
