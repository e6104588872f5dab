/**
 * The HTTP API: a Fastify app over a store, one plugin per area under /api (routes/*.ts, each with
 * its JSON schemas next to its routes), the OpenAPI document and docs page, problem+json errors,
 * conditional GETs, a response cache, security headers and compression. Route handlers call the library (store,
 * analysis, indexer) through one queue; they hold no business logic.
 *
 *   const app = await buildApp({ store });
 *   await app.listen({ port: 8080, host: '127.0.0.1' });
 *
 * The web site (server-rendered pages) plugs in with `web`, registered at the root; without it `/`
 * is a short page pointing to the API docs. With `registry` (a RegistryDb), the registry's JSON API
 * (/api/registry) and its pages (/{lang}/registry/…) are registered too.
 */
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import type { RegistryDb } from '../registry/db.ts';
import type { Store } from '../store/store.ts';
import { type RegistryWebOptions, registryWebPlugin } from '../web/registry/index.ts';
import { conditionalGets } from './cache.ts';
import type { RouteOptions, ServerContext } from './context.ts';
import { docsRoutes, documentResponses } from './docs.ts';
import { securityHeaders } from './headers.ts';
import { IndexService } from './index-service.ts';
import { DEFAULT_LIMITS, type Limits } from './limits.ts';
import { problem, sendProblem, toProblem } from './problem.ts';
import { QueryQueue } from './queue.ts';
import { ResponseCache, responseCache } from './response-cache.ts';
import { affordabilityRoutes } from './routes/affordability.ts';
import { aggregatesRoutes } from './routes/aggregates.ts';
import { datasetsRoutes } from './routes/datasets.ts';
import { gapsRoutes } from './routes/gaps.ts';
import { groupsRoutes } from './routes/groups.ts';
import { indicatorsRoutes } from './routes/indicators.ts';
import { indicesRoutes } from './routes/indices.ts';
import { inequalityRoutes } from './routes/inequality.ts';
import { progressRoutes } from './routes/progress.ts';
import { registryRoutes } from './routes/registry.ts';
import { seriesRoutes } from './routes/series.ts';

export interface AppOptions {
  store: Store;
  /** Fastify logger options (default: off). */
  logger?: FastifyServerOptions['logger'];
  limits?: Partial<Limits>;
  /** Composite-index recipes (default ./recipes of the repository). */
  recipesDir?: string;
  /** The web site, registered at the root (comes later; see src/server/README in app.ts's header). */
  web?: FastifyPluginAsync<RouteOptions>;
  /** Compress responses (gzip, brotli) above 1 KB (default true). */
  compress?: boolean;
  /** Memory for cached responses in bytes (default 64 MB; 0 turns the cache off). */
  cacheBytes?: number;
  /**
   * The technology-facilitation registry's database: with it, /api/registry (read-only JSON) and
   * the registry's pages (/{lang}/registry/…, src/web/registry) are served too.
   */
  registry?: RegistryDb;
  /** Options of the registry's pages (mail transport, rate limits, secure cookies, public address). */
  registryWeb?: Omit<RegistryWebOptions, 'db'>;
}

export const API_PLUGINS: ReadonlyArray<FastifyPluginAsync<RouteOptions>> = [
  indicatorsRoutes,
  seriesRoutes,
  aggregatesRoutes,
  gapsRoutes,
  affordabilityRoutes,
  inequalityRoutes,
  progressRoutes,
  indicesRoutes,
  groupsRoutes,
  datasetsRoutes,
];

/** Changes whenever data are loaded: the latest dataset id and the number of datasets. */
export async function dataVersion(store: Store): Promise<string> {
  const r = await store.db.one<{ id: number; n: number }>(
    'SELECT coalesce(max(id), 0)::INTEGER AS id, count(*)::INTEGER AS n FROM datasets',
  );
  return `${r?.id ?? 0}.${r?.n ?? 0}`;
}

const LANDING = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pontis</title></head>
<body><main><h1>Pontis</h1><p>Evidence on digital and innovation divides.</p>
<ul><li><a href="/api/docs">HTTP API documentation</a></li><li><a href="/api/openapi.json">OpenAPI document</a></li></ul>
</main></body></html>`;

export type PontisApp = FastifyInstance & {
  pontis: ServerContext;
  /** Re-reads the data version (after a load in this process), which changes every ETag. */
  refreshVersion: () => Promise<void>;
};

export async function buildApp(o: AppOptions): Promise<PontisApp> {
  const limits: Limits = { ...DEFAULT_LIMITS, ...o.limits };
  const queue = new QueryQueue({
    maxPending: limits.maxPending,
    timeoutMs: limits.timeoutMs,
    onTimeout: () => o.store.interrupt(),
  });
  const indices = new IndexService({
    auditRuns: limits.auditRuns,
    ...(o.recipesDir ? { dir: o.recipesDir } : {}),
  });
  const ctx: ServerContext = {
    store: o.store,
    queue,
    limits,
    indices,
    ...(o.registry ? { registry: o.registry } : {}),
  };
  let version = await dataVersion(o.store);

  const app = Fastify({
    logger: o.logger ?? false,
    routerOptions: { maxParamLength: 200 },
    bodyLimit: 16 * 1024,
    return503OnClosing: true,
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
  });

  app.setErrorHandler((err, req, reply) => {
    const { problem: p, headers } = toProblem(err, req.url);
    if (p.status >= 500) req.log.error({ err }, 'request failed');
    return sendProblem(reply, p, headers);
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, problem('not-found', `no route ${req.method} ${req.url.split('?')[0]}`, req.url)),
  );

  securityHeaders(app);
  conditionalGets(app, { version: () => version });
  const cacheBytes = o.cacheBytes ?? 64 * 1024 * 1024;
  const cache = cacheBytes > 0 ? new ResponseCache(cacheBytes) : undefined;
  if (cache) responseCache(app, cache);
  if (o.compress !== false) await app.register(compress, { global: true, threshold: 1024 });

  await app.register(swagger, {
    transform: documentResponses,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Pontis',
        version: '1',
        description:
          'Evidence on digital and innovation divides (UN GA res. 75/202 and 78/160): indicators, series, group aggregates, gaps, affordability, inequality, progress and composite indices. JSON by default; CSV and SDMX-CSV 1.0 with ?format= or the Accept header. Errors are application/problem+json.',
      },
    },
  });

  await app.register(
    async (api) => {
      for (const plugin of API_PLUGINS) await api.register(plugin, { ctx });
      if (o.registry) await api.register(registryRoutes, { ctx });
      api.get('/health', { schema: { hide: true }, config: { noCache: true } }, async (_req, reply) => {
        reply.header('cache-control', 'no-store');
        return {
          status: 'ok',
          dataVersion: version,
          queue: queue.size,
          cache: cache ? { ...cache.size, hits: cache.hits, misses: cache.misses } : null,
        };
      });
    },
    { prefix: '/api' },
  );
  docsRoutes(app);

  if (o.registry) await app.register(registryWebPlugin, { ...o.registryWeb, db: o.registry });
  if (o.web) await app.register(o.web, { ctx });
  else
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/html; charset=utf-8').send(LANDING),
    );

  await app.ready();
  const out = app as unknown as PontisApp;
  out.pontis = ctx;
  out.refreshVersion = async () => {
    version = await dataVersion(o.store);
  };
  return out;
}
