/**
 * Opening the registry the way the CLI and the server do: PGlite in a directory (default
 * ./.pontis/registry) or a PostgreSQL server (a postgres:// URL), migrated to the latest version,
 * and, when it holds no records and no organisations, seeded with data/registry/seed.json (real public
 * initiatives and programmes, see data/PROVENANCE.md).
 *
 *   const { db } = await openRegistry();                              // ./.pontis/registry
 *   const { db } = await openRegistry('postgres://pontis@127.0.0.1/pontis');
 */
import { readFileSync } from 'node:fs';
import { fromRoot } from '../core/paths.ts';
import { openRegistryDb, type RegistryDb } from './db.ts';
import { type ImportReport, importRegistry } from './import.ts';
import { DEFAULT_REGISTRY, isServerUrl } from './location.ts';
import { migrate } from './migrate.ts';

export { DEFAULT_REGISTRY, isServerUrl };
export const SEED_FILE = fromRoot('data/registry/seed.json');

export async function openRegistry(
  location: string = process.env.PONTIS_REGISTRY ?? DEFAULT_REGISTRY,
  o: { seed?: boolean } = {},
): Promise<{ db: RegistryDb; applied: number[]; seeded: ImportReport | null }> {
  const db = isServerUrl(location)
    ? await openRegistryDb({ url: location })
    : await openRegistryDb({ dataDir: location });
  try {
    const applied = await migrate(db);
    // Seeded when empty, not only when just created: a first start whose seed import failed
    // (it writes nothing then) is seeded on the next start.
    const empty =
      (
        await db.query<{ n: number }>(
          'SELECT ((SELECT count(*) FROM records) + (SELECT count(*) FROM organisations))::int AS n',
        )
      )[0]!.n === 0;
    const seeded =
      empty && o.seed !== false
        ? await importRegistry(db, 'data/registry/seed.json', readFileSync(SEED_FILE, 'utf8'))
        : null;
    return { db, applied, seeded };
  } catch (e) {
    await db.close();
    throw e;
  }
}
