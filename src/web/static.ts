/**
 * Static files: the one stylesheet, served under a content-hashed address with a year's caching
 * (a change gives a new address, so stale copies never show).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fromRoot } from '../core/paths.ts';

export const CSS = readFileSync(fromRoot('src/web/static/site.css'), 'utf8');
export const CSS_HASH = createHash('sha256').update(CSS).digest('hex').slice(0, 12);
export const CSS_URL = `/static/site.${CSS_HASH}.css`;
/** Hashed static files are immutable. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
