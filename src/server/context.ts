/**
 * What every route plugin is given: the store, the queue all store calls go through, the limits,
 * and the registry's database when there is one.
 */
import type { RegistryDb } from '../registry/db.ts';
import type { Store } from '../store/store.ts';
import type { IndexService } from './index-service.ts';
import type { Limits } from './limits.ts';
import type { QueryQueue } from './queue.ts';

export interface ServerContext {
  store: Store;
  queue: QueryQueue;
  limits: Limits;
  indices: IndexService;
  /** The technology-facilitation registry's database, when the server has one. */
  registry?: RegistryDb;
}

export interface RouteOptions {
  ctx: ServerContext;
}
