/** What every route plugin is given: the store, the queue all store calls go through, the limits. */
import type { Store } from '../store/store.ts';
import type { IndexService } from './index-service.ts';
import type { Limits } from './limits.ts';
import type { QueryQueue } from './queue.ts';

export interface ServerContext {
  store: Store;
  queue: QueryQueue;
  limits: Limits;
  indices: IndexService;
}

export interface RouteOptions {
  ctx: ServerContext;
}
