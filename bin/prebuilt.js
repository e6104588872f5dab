// Whether the prebuilt CLI in dist/cli/ (scripts/build-cli.mjs) is up to date with the sources:
// dist/cli/stamp.json lists every source file the build read, with its size and mtime
// (paths relative to the repository root, two levels above the stamp).
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The entry module's URL when the build in `dir` (a directory URL) is fresh, else undefined. */
export function freshBuild(dir) {
  try {
    const stamp = JSON.parse(readFileSync(new URL('stamp.json', dir), 'utf8'));
    const root = new URL('../../', dir);
    for (const [file, size, mtime] of stamp.inputs) {
      const s = statSync(fileURLToPath(new URL(file, root)));
      if (s.size !== size || s.mtimeMs !== mtime) return undefined;
    }
    const main = new URL('main.js', dir);
    statSync(fileURLToPath(main)); // throws when the build's entry is gone
    return stamp.inputs.length > 0 ? main.href : undefined;
  } catch {
    return undefined;
  }
}
