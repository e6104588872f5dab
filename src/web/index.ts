/**
 * The web site as a Fastify plugin: server-rendered pages in the six UN languages under /{lang}/,
 * one stylesheet under /static/, no client JavaScript. Register it with `{ store }`:
 *
 *   app.register(webPlugin, { store });
 *
 * Pages call the library (analysis, store queries); the plugin only parses the address, picks the
 * language and sends HTML.
 */
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply } from 'fastify';
import { PontisError } from '../core/errors.ts';
import type { Store } from '../store/store.ts';
import { isLang, type Lang, negotiate, t } from './i18n.ts';
import { withLayout } from './layout.ts';
import { comparePage } from './pages/compare.ts';
import { countryPage } from './pages/country.ts';
import { homePage } from './pages/home.ts';
import { indexPage } from './pages/index-explorer.ts';
import { csvDownload, indicatorPage, indicatorsPage } from './pages/indicator.ts';
import { methodologyPage } from './pages/methodology.ts';
import { notFoundPage } from './pages/not-found.ts';
import { CSS, CSS_URL, IMMUTABLE } from './static.ts';

/** Runs library calls one at a time (the server's QueryQueue: one DuckDB connection, bounded cost). */
export interface CallQueue {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * `{ store }`, or the server's route options `{ ctx }`: then every page's library calls go through
 * `ctx.queue` like the API's, so pages and API requests never share the connection at once.
 */
export type WebOptions = { store: Store } | { ctx: { store: Store; queue?: CallQueue } };

type Query = Record<string, string | string[] | undefined>;

/** Pages change only when the data are reloaded: a short shared cache is safe. */
const PAGE_CACHE = 'public, max-age=300';

function send(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', status === 200 ? PAGE_CACHE : 'no-store')
    .header('content-language', 'en')
    .send(body);
}

/** Pages load nothing but their own stylesheet; no script, no inline style. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function sendPage(reply: FastifyReply, lang: Lang, body: string, status = 200): FastifyReply {
  return send(reply, body, status)
    .header('content-language', lang)
    .header('content-security-policy', PAGE_CSP);
}

export const webPlugin: FastifyPluginAsync<WebOptions> = async (app, opts) => {
  const store = 'store' in opts ? opts.store : opts.ctx.store;
  const queue = 'ctx' in opts ? opts.ctx.queue : undefined;
  const queued = <T>(fn: () => Promise<T>): Promise<T> => (queue ? queue.run(fn) : fn());

  // The header links to the registry only when this site serves it (registryWebPlugin's routes,
  // registered beside this plugin; asked once, at the first page, when every route is known).
  let registry: boolean | undefined;
  const hasRegistry = () => (registry ??= app.hasRoute({ method: 'GET', url: '/:lang/registry' }));
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function (this: unknown, req, reply) {
      return withLayout({ registry: hasRegistry() }, () => handler.call(this as never, req, reply));
    };
  });

  app.get(CSS_URL, async (_req, reply) =>
    reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', IMMUTABLE).send(CSS),
  );

  app.get('/', async (req, reply) => {
    const lang = negotiate(req.headers['accept-language']);
    return reply
      .header('vary', 'Accept-Language')
      .header('cache-control', 'no-store')
      .redirect(`/${lang}/`, 302);
  });

  // Every page is under a language prefix; an unknown prefix is a 404 in the visitor's language.
  app.get<{ Params: { lang: string } }>('/:lang', async (req, reply) => {
    if (!isLang(req.params.lang)) return otherPrefix(req, reply);
    return reply.redirect(`/${req.params.lang}/`, 301);
  });

  const withLang =
    <P extends Record<string, string>>(
      handler: (lang: Lang, params: P, query: Query, reply: FastifyReply) => Promise<FastifyReply>,
    ) =>
    async (
      req: {
        params: P & { lang: string };
        query: unknown;
        url: string;
        headers: Record<string, string | string[] | undefined>;
      },
      reply: FastifyReply,
    ) => {
      const { lang } = req.params;
      if (!isLang(lang)) return otherPrefix(req, reply);
      try {
        return await handler(lang, req.params, (req.query ?? {}) as Query, reply);
      } catch (e) {
        if (e instanceof PontisError && e.code === 'not_found')
          return sendPage(reply, lang, notFoundPage(lang, t(lang, 'notfound.body', { what: req.url })), 404);
        throw e;
      }
    };

  app.get<{ Params: { lang: string } }>(
    '/:lang/',
    withLang(async (lang, _p, _q, reply) => sendPage(reply, lang, await queued(() => homePage(store, lang)))),
  );
  app.get<{ Params: { lang: string } }>(
    '/:lang/methodology',
    withLang(async (lang, _p, _q, reply) => sendPage(reply, lang, methodologyPage(lang))),
  );
  app.get<{ Params: { lang: string } }>(
    '/:lang/country',
    withLang(async (lang, _p, q, reply) => {
      const iso = typeof q.iso === 'string' && /^[A-Za-z]{3}$/.test(q.iso) ? q.iso.toUpperCase() : null;
      if (!iso)
        return sendPage(
          reply,
          lang,
          notFoundPage(lang, t(lang, 'notfound.country', { code: String(q.iso ?? '') }), '/'),
          404,
        );
      return reply.redirect(`/${lang}/country/${iso}`, 303);
    }),
  );
  app.get<{ Params: { lang: string; iso: string } }>(
    '/:lang/country/:iso',
    withLang(async (lang, p, _q, reply) => {
      const r = await queued(() => countryPage(store, lang, p.iso));
      return r.ok ? sendPage(reply, lang, r.html) : sendPage(reply, lang, r.html, 404);
    }),
  );
  app.get<{ Params: { lang: string } }>(
    '/:lang/indicators',
    withLang(async (lang, _p, _q, reply) =>
      sendPage(reply, lang, await queued(() => indicatorsPage(store, lang))),
    ),
  );
  app.get<{ Params: { lang: string; code: string } }>(
    '/:lang/indicator/:code',
    withLang(async (lang, p, q, reply) => {
      const r = await queued(() => indicatorPage(store, lang, p.code, q));
      return sendPage(reply, lang, r.html, r.ok ? 200 : 404);
    }),
  );
  app.get<{ Params: { lang: string; code: string } }>(
    '/:lang/indicator/:code/data.csv',
    withLang(async (lang, p, q, reply) => {
      const r = await queued(() => csvDownload(store, lang, p.code, q));
      if (!r.ok) return sendPage(reply, lang, r.html, 404);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${r.filename}"`)
        .header('cache-control', PAGE_CACHE)
        .send(r.csv);
    }),
  );
  app.get<{ Params: { lang: string } }>(
    '/:lang/index-explorer',
    withLang(async (lang, _p, _q, reply) =>
      sendPage(reply, lang, await queued(() => indexPage(store, lang))),
    ),
  );
  app.get<{ Params: { lang: string } }>(
    '/:lang/compare',
    withLang(async (lang, _p, q, reply) =>
      sendPage(reply, lang, await queued(() => comparePage(store, lang, q))),
    ),
  );
  app.get<{ Params: { lang: string } }>('/:lang/*', async (req, reply) => {
    if (!isLang(req.params.lang)) return otherPrefix(req, reply);
    return notFound(reply, req.params.lang, req.url);
  });
};

/**
 * An address outside the six language prefixes: a 404 page for browsers (in their language),
 * otherwise the application's own not-found handler (e.g. the API's problem+json under /api).
 */
function otherPrefix(
  req: { url: string; headers: Record<string, string | string[] | undefined> },
  reply: FastifyReply,
): FastifyReply {
  const accept = String(req.headers.accept ?? '');
  if (!accept.includes('text/html')) {
    reply.callNotFound();
    return reply;
  }
  const al = req.headers['accept-language'];
  return notFound(reply, negotiate(typeof al === 'string' ? al : undefined), req.url);
}

function notFound(reply: FastifyReply, lang: Lang, url: string): FastifyReply {
  return sendPage(reply, lang, notFoundPage(lang, t(lang, 'notfound.body', { what: url })), 404);
}

/** A fresh Fastify instance with only the web plugin (tests). */
export async function buildWebTestApp(store: Store): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(webPlugin, { store });
  await app.ready();
  return app;
}
