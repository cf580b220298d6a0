import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';

/** What body-parser attaches to the errors it raises (the `http-errors` fields we read). */
interface BodyParserError {
  type?: string;
  limit?: number;
  length?: number;
  charset?: string;
  encoding?: string;
  message?: string;
}

export interface BodyErrorAnswer {
  status: number;
  body: { error: string; message: string };
}

/**
 * The answer in the API's own error shape for a request body the parsers refused, or undefined
 * when `cause` is not a body-parser error. Pure, so the wording is unit-tested.
 */
export function bodyErrorAnswer(cause: unknown): BodyErrorAnswer | undefined {
  if (!cause || typeof cause !== 'object' || !('type' in cause)) return undefined;
  const e = cause as BodyParserError;
  switch (e.type) {
    case 'entity.too.large': {
      const limit = e.limit ? `the ${e.limit}-byte limit` : 'the size limit';
      const size = e.length ? ` (${e.length} bytes)` : '';
      return { status: 413, body: { error: 'payload_too_large', message: `the request body${size} is over ${limit}` } };
    }
    case 'entity.parse.failed':
      return { status: 400, body: { error: 'bad_request', message: `the request body is not valid JSON: ${e.message ?? 'parse error'}` } };
    case 'charset.unsupported':
      return { status: 415, body: { error: 'unsupported_media_type', message: `the body's charset "${e.charset ?? ''}" is not supported; send utf-8` } };
    case 'encoding.unsupported':
      return { status: 415, body: { error: 'unsupported_media_type', message: `the body's Content-Encoding "${e.encoding ?? ''}" is not supported` } };
    case 'request.size.invalid':
      return { status: 400, body: { error: 'bad_request', message: 'the request body is shorter or longer than its Content-Length' } };
    case 'request.aborted':
      return { status: 400, body: { error: 'bad_request', message: 'the client aborted the request before its body was read' } };
    default:
      return undefined;
  }
}

/**
 * Nest 12 turns body-parser's errors into HttpExceptions carrying the original as `cause`; this
 * global filter answers those in the API's error shape ({error, message}, as every other refusal)
 * instead of Nest's {statusCode, message}, and leaves every other exception to Nest's own filter.
 * Controller-level filters still come first.
 */
@Catch(HttpException)
export class BodyErrorsFilter extends BaseExceptionFilter implements ExceptionFilter {
  override catch(exception: HttpException, host: ArgumentsHost): void {
    const answer = bodyErrorAnswer(exception.cause);
    const res = host.switchToHttp().getResponse<Response>();
    if (!answer || host.getType() !== 'http' || res.headersSent) return super.catch(exception, host);
    res.status(answer.status).json(answer.body);
  }
}
