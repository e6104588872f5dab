/**
 * `pontis report country ISO3 --pdf FILE [--lang L]`: the country profile (the web page
 * /{lang}/country/{ISO3}) rendered to a print-ready PDF by Chromium (src/web/report.ts).
 * Unknown country: exit 1; missing --pdf or a bad --lang: exit 2.
 */
import { type Command, Option } from 'commander';
import { LANGS, type Lang } from '../../core/indicator.ts';
import type { CliContext } from '../context.ts';

export function register(program: Command, ctx: CliContext): void {
  const report = program.command('report').description('print-ready reports (PDF, rendered by Chromium)');
  report
    .command('country')
    .description(
      "a country's profile as a PDF (A4): key indicators, gaps, affordability, progress, index rank",
    )
    .argument('<iso3>', 'ISO 3166 alpha-3 country code, e.g. KEN')
    .requiredOption('--pdf <file>', 'PDF file to write')
    .addOption(new Option('--lang <lang>', 'language of the report').choices([...LANGS]).default('en'))
    .addHelpText(
      'after',
      "\nNeeds Debian's chromium (/usr/bin/chromium, or $PONTIS_CHROMIUM) and, for Arabic and Chinese,\nfonts-noto-core and fonts-noto-cjk.\n\nExample:\n  pontis report country KEN --pdf kenya.pdf --lang fr",
    )
    .action(async (iso3: string, o: { pdf: string; lang: Lang }, cmd: Command) => {
      // Loaded on use: the web site and its pages are not needed by the other commands.
      const { renderCountryPdf } = await import('../../web/report.ts');
      const store = await ctx.store(cmd);
      const r = await renderCountryPdf(store, iso3, o.lang, o.pdf);
      process.stderr.write(
        `wrote ${r.file}: ${r.name} (${r.iso3}), ${r.lang}, ${r.pages} page(s), ${Math.round(r.bytes / 1024)} KB\n`,
      );
    });
}
