import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * How the log names a user since SignalReceived v2: a pseudonym, never the publisher's user id
 * (docs/personal-data.md). Ingest derives it with a key kept per user outside the log
 * (`usr_` + 32 hex), so deleting that key (`incidentctl forget`) leaves a name no one can link
 * back to the person, while every event keeps it and distinct-user counts stay what they were.
 */
export const UserRefSchema = z.string().regex(/^(usr|legacy)_[0-9a-f]{32}$/, 'must be a user pseudonym (usr_ or legacy_ + 32 hex)');
export type UserRef = z.infer<typeof UserRefSchema>;

/**
 * The pseudonym under which an event written before v2 is read: those events hold the plaintext
 * id in their hashed payload (it cannot be erased without breaking the chain), and no key exists
 * for them, so readers get a plain digest of it instead. It counts one user as one, like the
 * keyed pseudonym does, but the two never match: a user seen on both sides of the upgrade counts
 * twice in an incident that spans it.
 */
export function legacyUserRef(userId: string): UserRef {
  return `legacy_${createHash('sha256').update(userId, 'utf8').digest('hex').slice(0, 32)}`;
}
