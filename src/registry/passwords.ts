/**
 * Passwords: argon2id hashes, their verification, and the password policy.
 *
 * Parameters: OWASP Password Storage Cheat Sheet, "Argon2id" section
 * (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id):
 * "m=19456 (19 MiB), t=2, p=1" is its first recommended configuration (the other rows trade
 * memory for iterations at the same cost). Salt 16 random bytes and a 32-byte tag (the argon2
 * package's defaults). About 40 ms per hash on one core of a current server.
 *
 * The policy follows NIST SP 800-63B §5.1.1.2 (memorised secrets): a minimum length (12 here, the
 * OWASP Authentication Cheat Sheet's minimum without MFA is 8; the registry asks for more) and a
 * maximum that only bounds the work (1024), no composition rules, a check against the most common
 * passwords, and Unicode normalisation (NFKC) before hashing so that the same password typed on
 * another keyboard still matches.
 */
import { randomBytes } from 'node:crypto';
import type argon2Module from 'argon2';
import { PontisError } from '../core/errors.ts';

export interface Argon2Params {
  /** Memory in KiB. */
  memoryCost: number;
  /** Iterations. */
  timeCost: number;
  parallelism: number;
}

/** OWASP's recommended argon2id configuration (see the header). */
export const ARGON2ID_PARAMS: Readonly<Argon2Params> = Object.freeze({
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

const normalise = (password: string) => password.normalize('NFKC');

// argon2 (a native addon) is loaded on first use, so that importing the library does not load it.
let argon2Lib: Promise<typeof argon2Module> | undefined;
const argon2 = () => (argon2Lib ??= import('argon2').then((m) => m.default));

/** Argon2's version 1.3, the `v=19` of every hash the argon2 package makes. */
const ARGON2_VERSION = 19;

export async function hashPassword(
  password: string,
  params: Argon2Params = ARGON2ID_PARAMS,
): Promise<string> {
  const lib = await argon2();
  return lib.hash(normalise(password), { type: lib.argon2id, ...params });
}

/**
 * Whether `password` matches `hash`. A hash that is not an argon2 hash (or is malformed) never
 * matches, and still costs one verification so that the time taken says nothing about it.
 */
export async function verifyPassword(
  hash: string,
  password: string,
  params: Argon2Params = ARGON2ID_PARAMS,
): Promise<boolean> {
  if (!hash.startsWith('$argon2')) {
    await dummyVerify(password, params);
    return false;
  }
  try {
    return await (await argon2()).verify(hash, normalise(password));
  } catch {
    return false;
  }
}

/** Whether a stored hash was made with other parameters than `params` (re-hash it on sign-in). */
export function needsRehash(hash: string, params: Argon2Params = ARGON2ID_PARAMS): boolean {
  // The PHC string's header, `$argon2id$v=19$m=19456,p=1,t=2$salt$tag` (parameters in any order),
  // read here rather than by the argon2 package so that this stays synchronous without the addon.
  const m = /^\$argon2id\$v=(\d+)\$([a-z]=\d+(?:,[a-z]=\d+)*)\$/.exec(hash);
  if (!m) return true;
  const got = new Map(m[2]!.split(',').map((kv) => [kv[0], Number(kv.slice(2))] as const));
  return (
    Number(m[1]) !== ARGON2_VERSION ||
    got.get('m') !== params.memoryCost ||
    got.get('t') !== params.timeCost ||
    got.get('p') !== params.parallelism
  );
}

const dummies = new Map<string, Promise<string>>();

/**
 * A verification against a hash of random bytes, made with the same parameters: what sign-in does
 * for an email that has no account, so that answering "wrong email or password" takes as long for
 * an unknown email as for a wrong password. Always false.
 */
export async function dummyVerify(password: string, params: Argon2Params = ARGON2ID_PARAMS): Promise<false> {
  const key = `${params.memoryCost}/${params.timeCost}/${params.parallelism}`;
  let h = dummies.get(key);
  if (!h) {
    h = hashPassword(randomBytes(32).toString('base64url'), params);
    dummies.set(key, h);
  }
  await (await argon2()).verify(await h, normalise(password)).catch(() => false);
  return false;
}

/**
 * A short, hand-picked list of very common passwords of at least 12 characters (digit runs,
 * keyboard walks, 'password' + digits; shorter ones fail the length rule anyway), lower-cased.
 * Only the worst; a deployment wanting more would check a breached-password list as well.
 */
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789000',
  '098765432112',
  '111111111111',
  '000000000000',
  '123123123123',
  'qwertyuiopas',
  'qwertyuiop123',
  'qwerty123456',
  'qwerty12345678',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'q1w2e3r4t5y6',
  'password1234',
  'password12345',
  'password123456',
  'passwordpassword',
  'iloveyou1234',
  'abcdefghijkl',
  'abc123456789',
  'asdfghjkl123',
  'letmein12345',
  'welcome12345',
  'administrator',
  'changeme1234',
  'trustno1trustno1',
]);

export type PasswordProblem = 'too_short' | 'too_long' | 'same_as_email' | 'too_common';

/** What is wrong with a new password, or null when it passes the policy. */
export function passwordProblem(password: string, email?: string): PasswordProblem | null {
  const chars = [...normalise(password)].length;
  if (chars < PASSWORD_MIN) return 'too_short';
  if (chars > PASSWORD_MAX) return 'too_long';
  const lower = password.trim().toLowerCase();
  if (email !== undefined) {
    const e = email.trim().toLowerCase();
    if (lower === e || lower === e.split('@')[0]) return 'same_as_email';
  }
  if (COMMON.has(lower) || /^(.)\1+$/u.test(lower)) return 'too_common';
  return null;
}

const MESSAGES: Record<PasswordProblem, string> = {
  too_short: `the password needs at least ${PASSWORD_MIN} characters`,
  too_long: `the password may have at most ${PASSWORD_MAX} characters`,
  same_as_email: 'the password must not be the email address',
  too_common: 'this password is one of the most common ones; choose another',
};

/** Throws invalid_input naming `field` (details.reason = the problem's code) when the policy fails. */
export function checkPasswordPolicy(password: string, email?: string, field = 'password'): void {
  const p = passwordProblem(password, email);
  if (p) throw new PontisError('invalid_input', MESSAGES[p], { field }, { reason: p, min: PASSWORD_MIN });
}
