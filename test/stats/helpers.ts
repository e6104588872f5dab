import { expect } from 'vitest';
import { PontisError } from '../../src/core/errors.ts';

/** Run fn, expect a PontisError with the given code and field; return it for further checks. */
export function expectPontisError(fn: () => unknown, code: string, field?: string): PontisError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(PontisError);
  const err = caught as PontisError;
  expect(err.code).toBe(code);
  if (field !== undefined) expect(err.location.field).toBe(field);
  expect(err.message).not.toMatch(/NaN/);
  return err;
}
