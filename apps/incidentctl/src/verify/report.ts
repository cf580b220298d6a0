/** One thing verify checked, and what it found. */
export interface CheckResult {
  name: string;
  ok: boolean;
  /** Not run (a privilege the role lacks, or an earlier check failed): neither passed nor failed. */
  skipped?: boolean;
  detail: string;
}

/** The first thing found wrong: which stream, which version, and where it sits in the log. */
export interface Broken {
  check: string;
  streamId: string;
  streamVersion: number;
  /** null when the event is not there to have one (a missing version). */
  globalPosition: string | null;
  reason: string;
}

export interface VerifyReport {
  ok: boolean;
  schema: string;
  /** `whole log`, or the stream id. */
  scope: string;
  checks: CheckResult[];
  /** What the hash-chain check walked; null when it failed before the end. */
  counted: { streams: number; events: number } | null;
  broken: Broken | null;
}

export function brokenMessage(b: Broken): string {
  const at = b.globalPosition ? ` (global position ${b.globalPosition})` : '';
  return `stream ${b.streamId} version ${b.streamVersion}${at}: ${b.reason}`;
}
