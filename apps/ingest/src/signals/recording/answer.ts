import type { PlannedAppend } from './signal-events';

/** The 202 body: what this request stored, and what the log already had (a resend). */
export interface SignalsAnswer {
  accepted: number;
  duplicates: number;
  signals: { signalId: string; duplicate: boolean }[];
}

export interface TrafficAnswer {
  accepted: number;
  duplicates: number;
  samples: { sampleId: string; duplicate: boolean }[];
}

export function signalsAnswer(
  planned: readonly PlannedAppend[],
  duplicate: readonly boolean[],
): SignalsAnswer {
  const signals = planned.map((p, i) => ({
    signalId: p.itemId,
    duplicate: duplicate[i] === true,
  }));
  return { ...counts(signals), signals };
}

export function trafficAnswer(
  planned: readonly PlannedAppend[],
  duplicate: readonly boolean[],
): TrafficAnswer {
  const samples = planned.map((p, i) => ({
    sampleId: p.itemId,
    duplicate: duplicate[i] === true,
  }));
  return { ...counts(samples), samples };
}

function counts(items: readonly { duplicate: boolean }[]): {
  accepted: number;
  duplicates: number;
} {
  const duplicates = items.filter((item) => item.duplicate).length;
  return { accepted: items.length - duplicates, duplicates };
}
