#!/usr/bin/env node
// The `pontis` command. Runs the prebuilt CLI (dist/cli/, from scripts/build-cli.mjs) when it is up
// to date with the sources, and otherwise the TypeScript sources through tsx, so a build is never
// required. PONTIS_SOURCES=1 always runs the sources.
import { freshBuild } from './prebuilt.js';

const built =
  process.env.PONTIS_SOURCES === '1' ? undefined : freshBuild(new URL('../dist/cli/', import.meta.url));
if (process.env.PONTIS_TRACE === '1')
  process.stderr.write(`pontis: running ${built ? 'dist/cli' : 'src via tsx'}\n`);
let main;
if (built) {
  try {
    ({ main } = await import(built));
  } catch (e) {
    // A build with files missing (deleted by hand) must not stop the command: the sources still run.
    process.stderr.write(
      `pontis: dist/cli cannot be loaded (${e instanceof Error ? e.message : e}); running the sources\n`,
    );
  }
}
if (!main) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv);
