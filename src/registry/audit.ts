/** The audit log: every write to the registry, in the same transaction as the write itself. */
import type { Queryable } from './db.ts';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  entity: 'record' | 'organisation' | 'user' | 'session' | 'match' | 'thread' | 'message' | 'import';
  entityId: string | null;
  detail?: Record<string, unknown>;
}

export async function audit(tx: Queryable, e: AuditEntry): Promise<void> {
  await tx.query(
    'INSERT INTO audit_log (actor_id, action, entity, entity_id, detail) VALUES ($1, $2, $3, $4, $5)',
    [e.actorId, e.action, e.entity, e.entityId, JSON.stringify(e.detail ?? {})],
  );
}

export interface AuditRow {
  id: number;
  at: Date;
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  detail: Record<string, unknown>;
}

export async function auditTrail(db: Queryable, entity: string, entityId: string): Promise<AuditRow[]> {
  return db.query<AuditRow>(
    'SELECT id, at, actor_id, action, entity, entity_id, detail FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id',
    [entity, entityId],
  );
}
