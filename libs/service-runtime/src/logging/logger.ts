import { currentLogFields } from '@incident/telemetry';
import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import type { LogLevel } from './log-levels';
import { REDACTED, SecretScrubber } from './secrets';


// Where a credential would sit in anything logged by mistake (fast-redact paths, one level of *).
const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'INCIDENT_ADMIN_KEY',
  '*.INCIDENT_ADMIN_KEY',
  'KAFKA_SASL_PASSWORD',
  '*.KAFKA_SASL_PASSWORD',
];

export interface LoggerOptions {
  service: string;
  level?: LogLevel;
  /** Literal values to mask wherever they appear (see configuredSecrets). */
  secrets?: readonly string[];
  /** stdout by default (synchronous, so nothing is lost when the process exits). */
  destination?: DestinationStream;
}

/**
 * The service's pino logger: one JSON object per line on stdout, with `service`, the trace and
 * span ids of the active span, and the event, stream and incident ids of the work in hand
 * (telemetry's log fields). Secrets are masked twice: by path (authorization headers, keys,
 * passwords) and by value in every string logged (SecretScrubber).
 */
export function createLogger(options: LoggerOptions): Logger {
  const scrub = new SecretScrubber(options.secrets);
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service, pid: process.pid },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => currentLogFields(),
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: {
        logMethod(args, method) {
          // Every argument: the merged object, the message and any interpolation values.
          method.apply(this, args.map((a) => scrub.value(a)) as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/**
 * Nest's LoggerService over pino. Nest passes the logger's context (its name) last, and the
 * messaging lib passes structured context as an object: objects become fields of the line,
 * an Error becomes `err`, a stack string (Nest's `error(message, stack, context)`) `stack`.
 */
export class NestPinoLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    if (rest.length > 1 || (rest.length === 1 && typeof rest[0] === 'string' && !looksLikeStack(rest[0]))) {
      const last = rest[rest.length - 1];
      if (typeof last === 'string') fields['context'] = rest.pop();
    }
    for (const p of rest) {
      if (p instanceof Error) fields['err'] = p;
      else if (typeof p === 'string') fields[looksLikeStack(p) ? 'stack' : 'detail'] = p;
      else if (p !== null && typeof p === 'object') Object.assign(fields, p);
      else if (p !== undefined) fields['detail'] = p;
    }
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (message !== null && typeof message === 'object') this.pino[level]({ ...fields, ...message });
    else this.pino[level](fields, String(message));
  }
}

function looksLikeStack(text: string): boolean {
  return /\n\s+at /.test(text);
}
