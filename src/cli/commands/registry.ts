/**
 * `pontis registry …`: the technology-facilitation registry from the command line.
 *   import FILE.csv|.json [--status S]   validated, atomic, idempotent (records keyed)
 *   export [--out FILE.json|.csv] [--published]
 *   match RECORD_ID [--limit N]          ranked offers for a need (or needs for an offer), with reasons
 *   search [TEXT] [--kind K] [--sdg N] [--country ISO3] [--lang L]
 *   add-user --email E --name N [--role R] [--organisation KEY]   (password from $PONTIS_PASSWORD)
 * The CLI is the operator: it writes without a signed-in user, and the audit log records it so.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { PontisError, usage } from '../../core/errors.ts';
import {
  LANGS,
  type Lang,
  RECORD_KINDS,
  ROLES,
  type Role,
  STATUSES,
  textIn,
} from '../../registry/vocabulary.ts';
import type { CliContext, GlobalOptions } from '../context.ts';
import { emit } from '../output.ts';

const globals = (cmd: Command) => cmd.optsWithGlobals() as GlobalOptions;

function readText(file: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new PontisError('invalid_input', `cannot read the file: ${(e as Error).message}`, { file });
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new PontisError('invalid_input', 'the file is not UTF-8 text', { file });
  }
}

const int = (name: string, min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max)
    throw new InvalidArgumentError(`${name}: a whole number ${min}-${max}`);
  return n;
};

export function register(program: Command, ctx: CliContext): void {
  const reg = program
    .command('registry')
    .description('the technology-facilitation registry (offers, needs, initiatives)');

  reg
    .command('import <file>')
    .description('import records (and organisations) from JSON or CSV: all rows valid or nothing written')
    .option(
      '--status <status>',
      `status of records that give none (${STATUSES.filter((s) => s !== 'rejected').join('|')})`,
      'published',
    )
    .action(async (file: string, o: { status: string }, cmd: Command) => {
      if (!['draft', 'submitted', 'published', 'archived'].includes(o.status))
        throw usage(`--status: one of draft, submitted, published, archived`, { field: 'status' });
      const db = await ctx.registry(cmd);
      const { importRegistry } = await import('../../registry/import.ts');
      const r = await importRegistry(db, file, readText(file), { status: o.status as 'published' });
      const rows = [
        { what: 'organisations', ...r.organisations },
        { what: 'records', ...r.records },
      ];
      emit(rows, globals(cmd), {
        meta: { file: r.file, notified: r.notified },
        footer: `${r.notified} new strong match(es) notified`,
      });
    });

  reg
    .command('export')
    .description('write every record and organisation as JSON (the import format) or CSV')
    .option('--out <file>', 'file to write (.json or .csv); default JSON on standard output')
    .option('--published', 'only published records')
    .action(async (o: { out?: string; published?: boolean }, cmd: Command) => {
      const db = await ctx.registry(cmd);
      const { exportCsv, exportRegistry } = await import('../../registry/import.ts');
      const e = await exportRegistry(db, { publishedOnly: o.published === true });
      const ext = o.out ? extname(o.out).toLowerCase() : '.json';
      if (ext !== '.json' && ext !== '.csv') throw usage('--out: a .json or .csv file', { field: 'out' });
      const text = ext === '.csv' ? exportCsv(e) : `${JSON.stringify(e, null, 2)}\n`;
      if (o.out) {
        writeFileSync(o.out, text);
        process.stderr.write(
          `pontis: ${e.records.length} record(s), ${e.organisations.length} organisation(s) → ${o.out}\n`,
        );
      } else process.stdout.write(text);
    });

  reg
    .command('match <recordId>')
    .description('the best offers for a need (or needs for an offer), each with the reasons for its rank')
    .option('--limit <n>', 'how many (1-100, default 10)', int('--limit', 1, 100), 10)
    .option('--lang <lang>', `language of titles (${LANGS.join('|')})`, 'en')
    .action(async (id: string, o: { limit: number; lang: string }, cmd: Command) => {
      if (!(LANGS as readonly string[]).includes(o.lang)) throw usage(`--lang: one of ${LANGS.join(', ')}`);
      const lang = o.lang as Lang;
      const db = await ctx.registry(cmd);
      const { findMatches } = await import('../../registry/matchmaking.ts');
      const { record, matches } = await findMatches(db, null, id, { limit: o.limit });
      const rows = matches.map((m, i) => ({
        rank: i + 1,
        score: Math.round(m.score * 1000) / 1000,
        id: m.record.id,
        kind: m.record.kind,
        title: textIn(m.record.title, lang, m.record.originalLang),
        why: m.factors
          .filter((f) => f.contribution > 0)
          .map(
            (f) =>
              `${f.factor} ${f.contribution.toFixed(3)}${f.evidence.shared?.length ? ` (${f.evidence.shared.join(', ')})` : ''}`,
          )
          .join('; '),
      }));
      emit(rows, globals(cmd), {
        meta: {
          for: { id: record.id, kind: record.kind, title: textIn(record.title, lang, record.originalLang) },
          method:
            'src/registry/match-score.ts: weighted sum of text, sdg, sector, geography, readiness and terms factors',
          matches: matches.map((m) => ({ id: m.record.id, score: m.score, factors: m.factors })),
        },
        footer: `matches for ${record.kind} “${textIn(record.title, lang, record.originalLang)}”`,
      });
    });

  reg
    .command('search [text]')
    .description('search published records (full text in the six UN languages) with filters')
    .option('--kind <kind>', `record kind (${RECORD_KINDS.join('|')})`)
    .option('--sdg <n>', 'SDG goal 1-17', int('--sdg', 1, 17))
    .option('--country <iso3>', 'country (ISO alpha-3)')
    .option('--lang <lang>', 'interface language for snippets', 'en')
    .option('--limit <n>', 'results (1-100, default 20)', int('--limit', 1, 100), 20)
    .action(
      async (
        text: string | undefined,
        o: { kind?: string; sdg?: number; country?: string; lang: string; limit: number },
        cmd: Command,
      ) => {
        const db = await ctx.registry(cmd);
        const { searchRecords } = await import('../../registry/search.ts');
        const r = await searchRecords(db, {
          ...(text ? { q: text } : {}),
          lang: o.lang as Lang,
          ...(o.kind ? { kind: [o.kind as (typeof RECORD_KINDS)[number]] } : {}),
          ...(o.sdg ? { sdg: [o.sdg] } : {}),
          ...(o.country ? { country: [o.country.toUpperCase()] } : {}),
          pageSize: o.limit,
        });
        const rows = r.hits.map((h) => ({
          id: h.record.id,
          kind: h.record.kind,
          title: textIn(h.record.title, o.lang as Lang, h.record.originalLang),
          sdgs: h.record.sdgs,
          countries: h.record.countries,
        }));
        emit(rows, globals(cmd), {
          meta: { total: r.total, facets: r.facets },
          footer: `${r.total} record(s)`,
        });
      },
    );

  reg
    .command('add-user')
    .description('create an account with a role (the password is read from $PONTIS_PASSWORD)')
    .requiredOption('--email <email>', 'email address')
    .requiredOption('--name <name>', 'display name')
    .option('--role <role>', `role (${ROLES.join('|')})`, 'contributor')
    .option('--organisation <key>', 'organisation (import key or name) the user belongs to')
    .action(async (o: { email: string; name: string; role: string; organisation?: string }, cmd: Command) => {
      if (!(ROLES as readonly string[]).includes(o.role)) throw usage(`--role: one of ${ROLES.join(', ')}`);
      const password = process.env.PONTIS_PASSWORD;
      if (!password)
        throw usage('set the new account’s password in $PONTIS_PASSWORD', { field: 'PONTIS_PASSWORD' });
      const db = await ctx.registry(cmd);
      let orgId: string | null = null;
      if (o.organisation) {
        const rows = await db.query<{ id: string }>(
          'SELECT id FROM organisations WHERE import_key = $1 OR lower(name) = lower($1) LIMIT 1',
          [o.organisation],
        );
        if (!rows[0])
          throw new PontisError('invalid_input', `unknown organisation '${o.organisation}'`, {
            field: 'organisation',
          });
        orgId = rows[0].id;
      }
      const [{ signUp }, { audit }] = await Promise.all([
        import('../../registry/accounts.ts'),
        import('../../registry/audit.ts'),
      ]);
      const user = await signUp(db, { email: o.email, password, displayName: o.name, lang: 'en' });
      await db.transaction(async (tx) => {
        await tx.query('UPDATE users SET role = $2, organisation_id = $3, updated_at = now() WHERE id = $1', [
          user.id,
          o.role as Role,
          orgId,
        ]);
        await audit(tx, {
          actorId: null,
          action: 'user.set_role',
          entity: 'user',
          entityId: user.id,
          detail: { role: o.role, organisationId: orgId, by: 'pontis registry add-user' },
        });
      });
      emit([{ id: user.id, email: user.email, role: o.role, organisation: orgId }], globals(cmd));
    });
}
