/**
 * A progress bar on stderr for operations that take over a second (and only on a terminal).
 * The fraction comes from the operation's own callbacks or, for work inside a DuckDB query,
 * from DuckDB's query progress. cli-progress is loaded only when a bar is first drawn.
 */
import type { SingleBar } from 'cli-progress';
import type { Store } from '../store/store.ts';

export interface Progress {
  update(fraction: number, phase?: string): void;
  stop(): void;
}

export function startProgress(
  label: string,
  store?: Store,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  const enabled = Boolean(stream.isTTY) && process.env.CI !== 'true';
  let fraction = 0;
  let phase = label;
  let bar: SingleBar | undefined;
  let loading = false;
  let stopped = false;
  const t0 = Date.now();
  const draw = () => bar?.update(Math.round(fraction * 100), { phase });
  const tick = setInterval(() => {
    if (!enabled) return;
    if (store) {
      const p = store.db.conn.progress;
      if (p && p.percentage >= 0) fraction = Math.max(fraction, p.percentage / 100);
    }
    if (!bar && !loading && Date.now() - t0 >= 1000) {
      loading = true;
      void import('cli-progress').then(
        ({ SingleBar }) => {
          if (stopped) return;
          bar = new SingleBar(
            {
              stream,
              format: '{phase} [{bar}] {percentage}% | {duration}s',
              hideCursor: true,
              clearOnComplete: true,
            },
            { format: '{bar}', barCompleteChar: '#', barIncompleteChar: '.' },
          );
          bar.start(100, 0, { phase });
          draw();
        },
        () => undefined,
      ); // no bar if the module cannot be loaded: the work goes on without one
    }
    draw();
  }, 200);
  return {
    update(f: number, ph?: string) {
      if (Number.isFinite(f)) fraction = Math.max(0, Math.min(1, f));
      if (ph) phase = `${label}: ${ph}`;
    },
    stop() {
      stopped = true;
      clearInterval(tick);
      bar?.stop();
    },
  };
}
