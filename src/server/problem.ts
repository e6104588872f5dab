/**
 * Errors as application/problem+json (RFC 9457): type, title, status, detail, instance, and
 * `parameter` naming the request parameter at fault. Library errors (PontisError) keep their code:
 * not_found → 404, invalid_input and usage → 400, conflict → 409; anything unexpected is a 500
 * without internals.
 */
import type { FastifyError, FastifyReply } from 'fastify';
import { type ErrorCode, PontisError } from '../core/errors.ts';

export const PROBLEM_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  parameter?: string;
}

/** Problem types, documented at /api/docs#problem-<slug>. */
export const PROBLEM_TITLES: Record<string, { status: number; title: string }> = {
  'invalid-parameter': { status: 400, title: 'Invalid parameter' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  unauthenticated: { status: 401, title: 'Sign-in required' },
  forbidden: { status: 403, title: 'Forbidden' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'not-acceptable': { status: 406, title: 'Not acceptable' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'too-large': { status: 400, title: 'Query too large' },
  busy: { status: 503, title: 'Server busy' },
  timeout: { status: 503, title: 'Query timed out' },
  internal: { status: 500, title: 'Internal error' },
};

/** An HTTP-level error raised by the server itself (limits, formats, the queue). */
export class HttpProblem extends Error {
  constructor(
    readonly slug: keyof typeof PROBLEM_TITLES,
    message: string,
    readonly parameter?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpProblem';
  }
}

export const badParameter = (parameter: string, message: string) =>
  new HttpProblem('invalid-parameter', message, parameter);

const CODE_SLUG: Record<ErrorCode, keyof typeof PROBLEM_TITLES> = {
  invalid_input: 'invalid-parameter',
  usage: 'invalid-parameter',
  not_found: 'not-found',
  conflict: 'conflict',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  rate_limited: 'rate-limited',
  interrupted: 'timeout',
  internal: 'internal',
};

export function problem(
  slug: keyof typeof PROBLEM_TITLES,
  detail: string,
  instance: string,
  parameter?: string,
): Problem {
  const t = PROBLEM_TITLES[slug] ?? { status: 500, title: 'Internal error' };
  return {
    type: `/api/docs#problem-${slug}`,
    title: t.title,
    status: t.status,
    detail,
    instance,
    ...(parameter ? { parameter } : {}),
  };
}

interface AjvError {
  instancePath?: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** The request parameter an Ajv validation error is about. */
function validationParameter(errors: readonly AjvError[]): string | undefined {
  for (const e of errors) {
    const p = e.params ?? {};
    if (typeof p.additionalProperty === 'string') return p.additionalProperty;
    if (typeof p.missingProperty === 'string') return p.missingProperty;
    const path = (e.instancePath ?? '').replace(/^\//, '').split('/')[0];
    if (path) return path;
  }
  return undefined;
}

function validationDetail(errors: readonly AjvError[], parameter: string | undefined): string {
  const e = errors[0];
  if (!e) return 'invalid request';
  const p = e.params ?? {};
  if (typeof p.additionalProperty === 'string') return `unknown parameter '${p.additionalProperty}'`;
  if (typeof p.missingProperty === 'string') return `missing required parameter '${p.missingProperty}'`;
  if (Array.isArray(p.allowedValues)) return `must be one of ${p.allowedValues.join(', ')}`;
  return `${parameter ?? 'value'} ${e.message ?? 'is invalid'}`;
}

/** Converts any error thrown while handling a request into a problem. */
export function toProblem(
  err: unknown,
  instance: string,
): { problem: Problem; headers: Record<string, string> } {
  if (err instanceof HttpProblem)
    return { problem: problem(err.slug, err.message, instance, err.parameter), headers: err.headers };
  if (err instanceof PontisError) {
    const field = err.location.field;
    return { problem: problem(CODE_SLUG[err.code], err.message, instance, field), headers: {} };
  }
  const fe = err as Partial<FastifyError> & { validation?: AjvError[] };
  if (fe.validation) {
    const parameter = validationParameter(fe.validation);
    return {
      problem: problem('invalid-parameter', validationDetail(fe.validation, parameter), instance, parameter),
      headers: {},
    };
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    const slug = status === 404 ? 'not-found' : status === 406 ? 'not-acceptable' : 'invalid-parameter';
    const p = problem(slug, fe.message ?? 'bad request', instance);
    return {
      problem: { ...p, status, ...(status !== p.status ? { title: 'Bad request' } : {}) },
      headers: {},
    };
  }
  return { problem: problem('internal', 'the server could not complete the request', instance), headers: {} };
}

export function sendProblem(
  reply: FastifyReply,
  p: Problem,
  headers: Record<string, string> = {},
): FastifyReply {
  return reply
    .code(p.status)
    .headers({ ...headers, 'cache-control': 'no-store' })
    .type(PROBLEM_TYPE)
    .send(JSON.stringify(p));
}
