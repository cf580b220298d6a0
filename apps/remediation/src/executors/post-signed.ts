import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, sign } from '@incident/contracts';
import { errorText } from './executor';

export interface PostResult {
  ok: boolean;
  status?: number;
  error?: string;
  /** A timeout, a network error, 408, 429 or a 5xx: another try may succeed. 4xx will not. */
  retryable: boolean;
}

/** One signed POST, bounded by `timeoutMs`. Retries are the caller's, so each one is recorded. */
export async function postSigned(
  target: { url: string; secret: string; timeoutMs: number },
  event: string,
  deliveryId: string,
  payload: unknown,
  fetchImpl: typeof fetch = fetch,
): Promise<PostResult> {
  const body = JSON.stringify(payload);
  try {
    const res = await fetchImpl(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(body, target.secret), [DELIVERY_HEADER]: deliveryId, [EVENT_HEADER]: event },
      body,
      signal: AbortSignal.timeout(target.timeoutMs),
      redirect: 'manual',
    });
    // The body is not needed; reading it frees the connection.
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return { ok: true, status: res.status, retryable: false };
    const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
    return { ok: false, status: res.status, error: `${target.url} answered ${res.status}`, retryable };
  } catch (error) {
    return { ok: false, error: `${target.url}: ${errorText(error)}`, retryable: true };
  }
}
