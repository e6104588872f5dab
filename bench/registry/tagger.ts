/**
 * SDG tagger speed: suggestSdgs over the 624 distinct labelled texts (English) and their first 100
 * run through each of the other five languages' paths, best of five rounds.
 *   npx tsx bench/registry/tagger.ts
 * (Moved out of the test suite: timings belong in bench/, not in assertions.)
 */
import { loadLabelled } from '../../src/registry/sdg-eval.ts';
import { suggestSdgs } from '../../src/registry/sdg-tagger.ts';

const texts = [...new Set(loadLabelled().map((r) => r.text))];
suggestSdgs(texts[0]!);
let best = Number.POSITIVE_INFINITY;
for (let round = 0; round < 5; round++) {
  const t0 = performance.now();
  for (const t of texts) suggestSdgs(t);
  best = Math.min(best, (performance.now() - t0) / texts.length);
}
console.log(`suggestSdgs: ${texts.length} texts, best of 5 rounds: ${best.toFixed(3)} ms per text`);
