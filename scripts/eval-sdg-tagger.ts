/**
 * Evaluates the SDG tagger against the published Aurora query set on the expert-labelled sample:
 * tuning / held-out split, k-fold cross-validation, per-SDG precision, recall and F1.
 *
 *   npx tsx scripts/eval-sdg-tagger.ts               print the tables
 *   npx tsx scripts/eval-sdg-tagger.ts --write-docs  also refresh the generated sections of docs/sdg-tagging.md
 *
 * Exits with 1 when tuning no longer picks the parameters shipped in src/registry/sdg-tagger.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { docSections, evaluate, loadLabelled, writeDocSections } from '../src/registry/sdg-eval.ts';
import { goalFeatures, OFFICIAL_ONLY_PARAMS, TAGGER_PARAMS } from '../src/registry/sdg-tagger.ts';

const started = performance.now();
const ev = evaluate({ crossValidate: true });
const sections = docSections(ev);
for (const [name, md] of Object.entries(sections)) console.log(`## ${name}\n\n${md}\n`);

const same = (a: object, b: object) => JSON.stringify(a) === JSON.stringify(b);
let ok = true;
if (!same(ev.tuned.params, TAGGER_PARAMS)) {
  console.error(
    `tuning picks ${JSON.stringify(ev.tuned.params)}, TAGGER_PARAMS are ${JSON.stringify(TAGGER_PARAMS)}`,
  );
  ok = false;
}
if (!same(ev.tunedOfficialOnly.params, OFFICIAL_ONLY_PARAMS)) {
  console.error(
    `tuning picks ${JSON.stringify(ev.tunedOfficialOnly.params)}, OFFICIAL_ONLY_PARAMS are ${JSON.stringify(OFFICIAL_ONLY_PARAMS)}`,
  );
  ok = false;
}

// Speed of the part that runs per record (the models are already built by the evaluation).
const texts = loadLabelled()
  .slice(0, 200)
  .map((r) => r.text);
const t0 = performance.now();
for (const t of texts) goalFeatures(t);
console.log(
  `per record: ${((performance.now() - t0) / texts.length).toFixed(2)} ms (mean over ${texts.length} texts)`,
);
console.log(`evaluation took ${((performance.now() - started) / 1000).toFixed(1)} s`);

if (process.argv.includes('--write-docs')) {
  const path = new URL('../docs/sdg-tagging.md', import.meta.url);
  writeFileSync(path, writeDocSections(readFileSync(path, 'utf8'), sections));
  console.log('docs/sdg-tagging.md updated');
}
if (!ok) process.exit(1);
