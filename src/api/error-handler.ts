import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { MessagingError } from '../messaging/errors.js';
import { ApiError, STATUS_BY_CODE } from './errors.js';

interface HttpError {
  status: number;
  code: string;
  message: string;
  headers: Record<string, string>;
}

const FASTIFY_CODES: Record<string, Omit<HttpError, 'headers'>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'invalid_request',
    message: 'The body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'invalid_request',
    message: 'The JSON body is empty.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'payload_too_large',
    message: 'The body is larger than 16 KiB.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'Send the body as application/json.',
  },
};

/** Every error becomes `{"error": {"code", "message"}}`; nothing internal leaks out. */
export const toHttpError = (error: unknown): HttpError => {
  if (error instanceof ApiError) {
    return {
      status: error.statusCode,
      code: error.code,
      message: error.message,
      headers: error.headers,
    };
  }
  if (error instanceof MessagingError) {
    const status = STATUS_BY_CODE[error.code];
    if (status !== undefined) {
      const headers: Record<string, string> = status === 503 ? { 'retry-after': '1' } : {};
      return { status, code: error.code, message: error.message, headers };
    }
  }
  const fastify = error as Partial<FastifyError>;
  if (fastify.validation) {
    return {
      status: 400,
      code: 'invalid_request',
      message: validationMessage(fastify),
      headers: {},
    };
  }
  const known = fastify.code ? FASTIFY_CODES[fastify.code] : undefined;
  if (known) return { ...known, headers: {} };
  if (fastify.statusCode && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return {
      status: fastify.statusCode,
      code: 'invalid_request',
      message: 'The request is not valid.',
      headers: {},
    };
  }
  return {
    status: 500,
    code: 'internal_error',
    message: 'Something went wrong on our side.',
    headers: {},
  };
};

type ValidationIssue = NonNullable<FastifyError['validation']>[number];

/** Which branch of a union (`anyOf`) an issue belongs to, if any. */
const branchOf = (issue: ValidationIssue): string | undefined =>
  /^#\/anyOf\/(\d+)\//.exec(issue.schemaPath)?.[1];

/**
 * The issue to tell the client. A body that matches no branch of a union gets one issue per
 * branch; the branch the client meant is the one it gave every required property of (a send
 * with `message_group_uuid` is not missing `handle`), so that branch's issue is the one to tell.
 */
const issueToTell = (issues: ValidationIssue[]): ValidationIssue | undefined => {
  const missingRequired = new Set(issues.filter((i) => i.keyword === 'required').map(branchOf));
  const told = issues.filter((i) => i.keyword !== 'anyOf');
  return told.find((i) => !missingRequired.has(branchOf(i))) ?? told[0] ?? issues[0];
};

const validationMessage = (error: Partial<FastifyError>): string => {
  const first = issueToTell(error.validation ?? []);
  if (!first) return 'The request is not valid.';
  const where = `${error.validationContext ?? 'request'}${first.instancePath.replaceAll('/', '.')}`;
  const extra =
    first.keyword === 'additionalProperties' ? ` (${String(first.params.additionalProperty)})` : '';
  return `${where} ${first.message ?? 'is not valid'}${extra}.`;
};

export const errorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
  const http = toHttpError(error);
  if (http.status >= 500) request.log.error({ err: error }, 'request failed');
  return reply
    .status(http.status)
    .headers(http.headers)
    .send({ error: { code: http.code, message: http.message } });
};
