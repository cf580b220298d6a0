/** A send the relay gave up waiting for (see Relay: the producer is replaced, the batch retried). */
export class DeadlineExceeded extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not settle within ${ms} ms`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * Settles like `work`, or rejects with DeadlineExceeded after `ms`. The work is not cancelled (a
 * promise cannot be): the caller must treat it as abandoned, its outcome unknown.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(what, ms)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
    // An abandoned send that fails later must not become an unhandled rejection.
    work.catch(() => undefined);
  }
}
