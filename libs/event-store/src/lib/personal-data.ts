import { createHmac, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { resolveSchema, type Runner, schemaIdent } from './sql';

/** The pseudonym of `userId` under a subject's key: `usr_` + the first 128 bits of HMAC-SHA256. */
export function userRefOf(key: Uint8Array, userId: string): string {
  return `usr_${createHmac('sha256', key).update(userId, 'utf8').digest('hex').slice(0, 32)}`;
}

export interface ErasedSubject {
  userRef: string;
  /** When the subject was first seen (its row was created). */
  since: Date;
}

const MAX_ROUNDS = 3;

/**
 * The `personal_data` table (migration CreatePersonalData): data subjects and their pseudonyms,
 * outside the hashed log so that they can be erased. See docs/personal-data.md.
 */
export class PersonalData {
  private readonly table: string;
  private readonly erasures: string;

  constructor(
    private readonly dataSource: DataSource,
    options: { schema?: string } = {},
  ) {
    const s = schemaIdent(resolveSchema(dataSource, options.schema));
    this.table = `${s}.personal_data`;
    this.erasures = `${s}.personal_data_erasures`;
  }

  /**
   * The pseudonym of each user id, creating a subject with a fresh random key for each one not
   * seen before (or seen and forgotten since: it gets a new, unlinked pseudonym). Safe to race:
   * a subject two requests create at once gets the pseudonym of whichever committed first.
   */
  async userRefs(userIds: readonly string[], manager?: EntityManager): Promise<Map<string, string>> {
    const wanted = [...new Set(userIds)];
    const refs = new Map<string, string>();
    const db: Runner = manager ?? this.dataSource.manager;
    for (let round = 0; round < MAX_ROUNDS && refs.size < wanted.length; round++) {
      const missing = wanted.filter((id) => !refs.has(id));
      const keys = missing.map(() => randomBytes(32));
      // One statement: insert the new subjects and read the known ones. Under READ COMMITTED a
      // subject another transaction inserted meanwhile is in neither half (its row was not in
      // this statement's snapshot): the next round's fresh statement sees it.
      const rows: { subject: string; user_ref: string }[] = await db.query(
        `WITH wanted AS (SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[]) AS w(subject, user_ref, key)),
              added AS (INSERT INTO ${this.table} (subject, user_ref, key) SELECT subject, user_ref, key FROM wanted
                        ON CONFLICT DO NOTHING RETURNING subject, user_ref)
         SELECT subject, user_ref FROM added
         UNION ALL
         SELECT p.subject, p.user_ref FROM ${this.table} p WHERE p.subject = ANY($1::text[])`,
        [missing, missing.map((id, i) => userRefOf(keys[i], id)), keys],
      );
      for (const row of rows) refs.set(row.subject, row.user_ref);
    }
    const lost = wanted.filter((id) => !refs.has(id));
    if (lost.length > 0) throw new Error(`no pseudonym for ${lost.length} user id(s) after ${MAX_ROUNDS} rounds`);
    return refs;
  }

  /**
   * Erases a subject: deletes its row (the user id, the key, the link to its pseudonym) and
   * records the erasure by pseudonym. Needs the owner's rights; undefined when there was nothing
   * to erase (never seen, or forgotten already).
   */
  async forget(subject: string, manager?: EntityManager): Promise<ErasedSubject | undefined> {
    const db: Runner = manager ?? this.dataSource.manager;
    // One statement: the row goes and its erasure is recorded together, or neither happens.
    const rows: { user_ref: string; created_at: Date }[] = await db.query(
      `WITH gone AS (DELETE FROM ${this.table} WHERE subject = $1 RETURNING user_ref, created_at),
            noted AS (INSERT INTO ${this.erasures} (user_ref, subject_since) SELECT user_ref, created_at FROM gone ON CONFLICT (user_ref) DO NOTHING)
       SELECT user_ref, created_at FROM gone`,
      [subject],
    );
    const row = rows[0];
    return row ? { userRef: row.user_ref, since: new Date(row.created_at) } : undefined;
  }

  /** When the pseudonym was erased, or undefined (still held, or never issued). */
  async erasedAt(userRef: string, manager?: EntityManager): Promise<Date | undefined> {
    const db: Runner = manager ?? this.dataSource.manager;
    const rows: { erased_at: Date }[] = await db.query(`SELECT erased_at FROM ${this.erasures} WHERE user_ref = $1`, [userRef]);
    return rows[0] ? new Date(rows[0].erased_at) : undefined;
  }
}
