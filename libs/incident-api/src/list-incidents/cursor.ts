import { z } from 'zod';

/** Where a page ended: the last row's sort key (opened_at DESC, id). */
export interface ListCursor {
  openedAt: string;
  id: string;
}

const Payload = z.strictObject({
  o: z.iso.datetime(),
  i: z.uuid(),
});

/** Opaque to clients (base64url JSON), so the sort key can change without breaking their code. */
export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify({ o: cursor.openedAt, i: cursor.id }), 'utf8').toString('base64url');
}

/** Undefined for anything encodeCursor did not produce. */
export function decodeCursor(text: string): ListCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(text)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = Payload.safeParse(json);
  return parsed.success ? { openedAt: parsed.data.o, id: parsed.data.i } : undefined;
}
