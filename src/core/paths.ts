/**
 * The repository's root, for the files Pontis reads at run time (data/, recipes/, docs/, the
 * registry's migrations, the site's CSS). Every such path is taken from here rather than from its
 * own module's location, so that it holds both for the TypeScript sources (src/<dir>/*.ts) and for
 * the prebuilt CLI (dist/cli/*.js, scripts/build-cli.mjs): both sit two levels below the root, and
 * bundling moves this module's code into one of them.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** An absolute path under the repository root. */
export function fromRoot(...parts: string[]): string {
  return join(ROOT, ...parts);
}
