/** A dependency the service needs before it can take work (database, broker, consumer group). */
export interface ReadinessCheck {
  name: string;
  /** Resolves when ready; rejects (or times out) with the reason when not. */
  check(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

/**
 * Readiness is also where shutdown shows: once draining starts, /readyz fails so Kubernetes
 * stops routing new requests while in-flight work finishes.
 */
export class Readiness {
  private readonly checks: ReadinessCheck[] = [];
  private draining = false;

  constructor(private readonly timeoutMs = 2_000) {}

  register(check: ReadinessCheck): void {
    this.checks.push(check);
  }

  startDraining(): void {
    this.draining = true;
  }

  async report(): Promise<ReadinessReport> {
    const results = await Promise.all(this.checks.map((c) => this.run(c)));
    const checks = Object.fromEntries(results);
    if (this.draining) checks['shutdown'] = { ok: false, error: 'draining: the service is shutting down' };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }

  private async run(c: ReadinessCheck): Promise<[string, { ok: boolean; error?: string }]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([c.check(), timeout]);
      return [c.name, { ok: true }];
    } catch (error) {
      return [c.name, { ok: false, error: error instanceof Error ? error.message : String(error) }];
    } finally {
      clearTimeout(timer);
    }
  }
}
