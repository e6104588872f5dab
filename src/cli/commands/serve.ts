/**
 * `pontis serve [--port N] [--host H]`: the HTTP API (src/server, under /api) and the web site
 * (src/web, at the root) on the embedded store, created with the bundled data on first start like
 * every command, and the registry (/api/registry, /{lang}/registry) on its database (--registry,
 * default ./.pontis/registry, seeded on first start). Port: --port, else $PORT, else 8080.
 * --public-url sets the address used in mailed links (password reset) and, when it is https,
 * marks the session cookie Secure (__Host- prefix).
 * SIGINT / SIGTERM close the server gracefully (in-flight requests finish, new ones get 503),
 * then the store is closed.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { type CliContext, registryLocation } from '../context.ts';

export const DEFAULT_PORT = 8080;

export function parsePort(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError(`expected a port number 0-65535, got "${v}"`);
  return n;
}

function parseCacheMb(v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError(`expected a number of MB, got "${v}"`);
  return Number(v);
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('serve the HTTP API and the web site on one port (default 8080, or $PORT) from the store')
    .option('--port <n>', 'port to listen on (default $PORT or 8080; 0 picks a free port)', parsePort)
    .option('--host <host>', 'interface to listen on (default $HOST or 127.0.0.1)')
    .option('--log', 'log every request (JSON lines on stdout)')
    .option('--cache-mb <n>', 'memory for cached responses in MB (default 64; 0 turns it off)', parseCacheMb)
    .option(
      '--public-url <url>',
      'public address of the site, for mailed links (default $PONTIS_PUBLIC_URL or http://localhost:PORT)',
    )
    .action(
      async (
        o: { port?: number; host?: string; log?: boolean; cacheMb?: number; publicUrl?: string },
        cmd: Command,
      ) => {
        const port = o.port ?? (process.env.PORT ? parsePort(process.env.PORT) : DEFAULT_PORT);
        const host = o.host ?? process.env.HOST ?? '127.0.0.1';
        const store = await ctx.store(cmd);
        const registry = await ctx.registry(cmd);
        const publicUrl =
          o.publicUrl ?? process.env.PONTIS_PUBLIC_URL ?? `http://localhost:${port || DEFAULT_PORT}`;
        if (!/^https?:\/\/[^\s/]+/.test(publicUrl))
          throw new InvalidArgumentError(`--public-url: an http(s) address, got "${publicUrl}"`);
        // The server, the site and the matcher are loaded only by this command (start-up of the others).
        const [{ buildApp }, { webPlugin }, { warmMatches }] = await Promise.all([
          import('../../server/app.ts'),
          import('../../web/index.ts'),
          import('../../registry/matchmaking.ts'),
        ]);
        // The web site's pages at the root beside /api on the same port (AppOptions.web).
        const app = await buildApp({
          store,
          registry,
          registryWeb: {
            baseUrl: publicUrl.replace(/\/$/, ''),
            secureCookies: publicUrl.startsWith('https:'),
          },
          web: webPlugin,
          logger: o.log ? { level: 'info' } : false,
          ...(o.cacheMb !== undefined ? { cacheBytes: o.cacheMb * 1024 * 1024 } : {}),
        });
        const address = await app.listen({ port, host });
        const url = address.replace('://[::1]', '://localhost').replace('://127.0.0.1', '://localhost');
        process.stderr.write(
          `pontis: serving the API on ${url}/api/docs and the web site on ${url}/ (store ${store.path}, registry ${registryLocation(cmd)}); Ctrl-C to stop\n`,
        );
        // The registry's match index is built in the background (a match asked for meanwhile waits).
        warmMatches(registry).catch((e: unknown) => app.log.error({ err: e }, 'match index build failed'));
        // Rank intervals of the index recipes are computed once, in the background.
        app.pontis.indices.warm().catch((e: unknown) => app.log.error({ err: e }, 'index audit failed'));
        await new Promise<void>((resolve) => {
          let closing = false;
          const stop = (signal: NodeJS.Signals) => {
            if (closing) {
              process.stderr.write(`pontis: ${signal} again, exiting now\n`);
              process.exit(130);
            }
            closing = true;
            process.stderr.write(`pontis: ${signal}, closing the server\n`);
            // In-flight requests finish; then the store's queue drains before the store is closed.
            app
              .close()
              .then(() => app.pontis.queue.idle())
              .then(resolve, resolve);
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      },
    );
}
