/**
 * Where the registry lives, without loading the registry itself (the CLI's start-up stays light):
 * a PGlite directory (default ./.pontis/registry) or a postgres:// URL.
 */
import { join } from 'node:path';

export const DEFAULT_REGISTRY = join('.pontis', 'registry');

export function isServerUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}
