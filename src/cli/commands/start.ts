/** `pontis start`: what the README's run command calls. Prepares the store and says what is in it. */
import type { Command } from 'commander';
import { listDatasets, listIndicators } from '../../store/queries.ts';
import { type CliContext, registryLocation } from '../context.ts';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('prepare the store and the registry with the bundled data (first start) and summarise them')
    .action(async (_o: unknown, cmd: Command) => {
      const store = await ctx.store(cmd);
      const ds = await listDatasets(store);
      const ind = (await listIndicators(store)).filter((i) => i.observations > 0);
      const obs = ind.reduce((s, i) => s + i.observations, 0);
      const registry = await ctx.registry(cmd);
      const counts = await registry.query<{ kind: string; n: number }>(
        "SELECT kind, count(*)::int AS n FROM records WHERE status = 'published' GROUP BY kind ORDER BY kind",
      );
      const lines = [
        `Pontis store ${store.path}`,
        `  ${ds.length} dataset(s), ${ind.length} indicator(s) with data, ${obs} observation(s)`,
        ...ds.map((d) => `  [${d.id}] ${d.file}  ${d.source ?? ''}  ${d.vintage ?? ''}  (${d.rows} rows)`),
        `Pontis registry ${registryLocation(cmd)} (${registry.backend})`,
        `  published: ${counts.map((c) => `${c.n} ${c.kind}`).join(', ') || 'none'}`,
        '',
        'Try:',
        '  npx pontis indicators --search internet',
        '  npx pontis series --indicator IT.NET.USER.ZS --geo KEN,IND --from 2015',
        '  npx pontis groups LDC --year 2019',
        '  npx pontis registry search --kind offer',
        '  npx pontis --help',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
