/**
 * Errors are values with a code, a message for people and a location.
 * The CLI prints them; the API returns them as problem+json.
 */

export interface Location {
  file?: string;
  /** 1-based line (or record) number in the file. */
  line?: number;
  /** Column, JSON path or parameter name. */
  field?: string;
}

export type ErrorCode =
  | 'invalid_input' // bad file, bad row, bad parameter: exit code 1
  | 'usage' // bad command line: exit code 2
  | 'not_found'
  | 'conflict'
  | 'unauthenticated' // sign-in needed: HTTP 401
  | 'forbidden' // signed in but not allowed: HTTP 403
  | 'rate_limited' // too many attempts: HTTP 429
  | 'interrupted' // Ctrl-C: exit code 130
  | 'internal';

export class PontisError extends Error {
  readonly code: ErrorCode;
  readonly location: Location;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, location: Location = {}, details?: unknown) {
    super(message);
    this.name = 'PontisError';
    this.code = code;
    this.location = location;
    this.details = details;
  }

  /** `file:line: field: message`, the form printed by the CLI (the location once, even if the message has it). */
  override toString(): string {
    const file = this.location.file;
    if (file && this.message.startsWith(file)) return this.message;
    return `${formatLocation(this.location)}${this.message}`;
  }
}

export function formatLocation(loc: Location): string {
  let s = '';
  if (loc.file) s += loc.file;
  if (loc.line !== undefined) s += `${s ? ':' : 'line '}${loc.line}`;
  if (s) s += ': ';
  if (loc.field) s += `${loc.field}: `;
  return s;
}

export const invalid = (message: string, location: Location = {}, details?: unknown) =>
  new PontisError('invalid_input', message, location, details);

export const usage = (message: string, location: Location = {}) =>
  new PontisError('usage', message, location);

export const notFound = (message: string, location: Location = {}) =>
  new PontisError('not_found', message, location);

/** One rejected row of an input file. */
export interface RowIssue {
  file: string;
  line: number;
  field: string;
  reason: string;
}

export function formatIssue(i: RowIssue): string {
  return `${i.file}:${i.line}: ${i.field}: ${i.reason}`;
}
