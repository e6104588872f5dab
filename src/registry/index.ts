/**
 * The technology-facilitation registry as a library: open (PGlite or PostgreSQL, migrated, seeded),
 * records and their moderation workflow, accounts and sessions, search, SDG suggestions,
 * matchmaking with explanations, threads from match to partnership, import and export.
 * See docs/registry.md.
 */
export * from './accounts.ts';
export { type AuditEntry, auditTrail } from './audit.ts';
export { openRegistryDb, type Queryable, type RegistryDb, type RegistryDbOptions } from './db.ts';
export { exportCsv, exportRegistry, type ImportReport, importRegistry, parseImport } from './import.ts';
export { type FactorScore, MATCH_WEIGHTS, type MatchScore, scoreMatch } from './match-score.ts';
export {
  findMatches,
  type MatchResult,
  organisationMatches,
  refreshMatches,
  STORED_MATCH,
  STRONG_MATCH,
} from './matchmaking.ts';
export { migrate, schemaVersion } from './migrate.ts';
export * from './model.ts';
export { DEFAULT_REGISTRY, openRegistry, SEED_FILE } from './open.ts';
export {
  createOrganisation,
  getOrganisation,
  listOrganisations,
  updateOrganisation,
} from './organisations.ts';
export {
  createRecord,
  getRecord,
  moderationQueue,
  organisationRecords,
  type StoredRecord,
  transitionRecord,
  updateRecord,
} from './records.ts';
export { type Action, type Actor, authorize, can } from './roles.ts';
export { type SdgSuggestion, suggestSdgs } from './sdg-tagger.ts';
export { type SearchQuery, type SearchResult, searchRecords } from './search.ts';
export { createSession, destroySession, getSession, verifyCsrf } from './sessions.ts';
export {
  expressInterest,
  getThread,
  myThreads,
  notifications,
  postMessage,
  setThreadState,
} from './threads.ts';
