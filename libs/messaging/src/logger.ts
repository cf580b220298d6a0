/**
 * The little logging the messaging pieces need. Nest's `Logger` fits this shape, so the module
 * passes it in; framework-free callers get the console.
 */
export interface MessagingLogger {
  log(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export const consoleLogger: MessagingLogger = {
  log: (message, context) => console.log(message, context ?? ''),
  warn: (message, context) => console.warn(message, context ?? ''),
  error: (message, context) => console.error(message, context ?? ''),
};

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
