import {
  BadRequestException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { InputIssue } from '@incident/signal-intake';
import type { Request } from 'express';

/**
 * 415 unless the request says it is `type`. Checked by hand rather than with `req.is`, which
 * answers null for an empty body and would turn "no body" into "wrong type".
 */
export function requireContentType(
  req: Request,
  type: 'application/json' | 'text/plain',
): void {
  const given = (req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (given === type) return;
  throw new UnsupportedMediaTypeException({
    error: 'unsupported_media_type',
    message: `Content-Type must be ${type}${given ? `, got ${given}` : ''}`,
  });
}

/** 400 naming every bad item; the batch is refused whole. */
export function invalidInput(
  error: 'invalid_signals' | 'invalid_traffic',
  issues: readonly InputIssue[],
): BadRequestException {
  return new BadRequestException({
    error,
    message: 'nothing of this request was stored',
    issues,
  });
}
