import type { RemediationUpstream } from '../app/ingest-config';

/** A request of the public API, as it goes on to the remediation service. */
export interface Forwarded {
  method: 'GET' | 'POST';
  /** The path on remediation, its segments already encoded. */
  path: string;
  /** The caller's header, passed as is: remediation authenticates it and records the key's name. */
  authorization?: string;
  /** A JSON body (POST), already within the front door's body limit. */
  json?: unknown;
  requestId?: string;
  traceparent?: string;
  tracestate?: string;
}

export interface ForwardAnswer {
  status: number;
  contentType: string;
  body: string;
}

// Remediation's own answers are small (one incident's run and events); this bound keeps a
// misbehaving upstream from filling ingest's memory.
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/**
 * One request to remediation, bounded by the upstream's timeout. Remediation's answer, whatever
 * its status, is the caller's answer; when there is none the front door answers for it: 504
 * when remediation did not answer in time, 502 when it could not be reached or answered garbage.
 */
export async function forwardToRemediation(
  upstream: RemediationUpstream,
  request: Forwarded,
  fetchImpl: typeof fetch = fetch,
): Promise<ForwardAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.authorization) headers['authorization'] = request.authorization;
  if (request.requestId) headers['x-request-id'] = request.requestId;
  if (request.traceparent) headers['traceparent'] = request.traceparent;
  if (request.tracestate) headers['tracestate'] = request.tracestate;
  let body: string | undefined;
  if (request.json !== undefined) {
    body = JSON.stringify(request.json);
    headers['content-type'] = 'application/json';
  }
  const url = `${upstream.url}${request.path}`;
  try {
    const res = await fetchImpl(url, {
      method: request.method,
      headers,
      body,
      signal: AbortSignal.timeout(upstream.timeoutMs),
      redirect: 'manual',
    });
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_ANSWER_BYTES) {
      await res.body?.cancel();
      return unavailable(
        502,
        `the remediation service at ${upstream.url} answered ${length} bytes, over the ${MAX_ANSWER_BYTES}-byte bound`,
      );
    }
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? 'application/json',
      body: await res.text(),
    };
  } catch (error) {
    if (isTimeout(error)) {
      return unavailable(
        504,
        `the remediation service at ${upstream.url} did not answer within ${upstream.timeoutMs} ms`,
      );
    }
    return unavailable(
      502,
      `the remediation service at ${upstream.url} could not be reached (${reason(error)})`,
    );
  }
}

function unavailable(status: 502 | 504, message: string): ForwardAnswer {
  const error =
    status === 504 ? 'remediation_timeout' : 'remediation_unavailable';
  return {
    status,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({ error, message }),
  };
}

// Duck-typed: fetch's DOMException (TimeoutError) may come from another realm than this Error.
function isTimeout(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'TimeoutError'
  );
}

/** The socket-level cause (ECONNREFUSED, ENOTFOUND, ...) rather than fetch's bare "fetch failed". */
function reason(error: unknown): string {
  const cause = (
    error as { cause?: { code?: unknown; message?: unknown } } | null
  )?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
