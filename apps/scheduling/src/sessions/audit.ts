// The audit trail: each change to a session or participant, with who made it and each field before and after.
import { AuditEntryBody } from '@agdar/contracts';
import { UseCaseContext } from '@agdar/service-kit';
import { AuditEntry, FieldChanges } from './audit-entry.entity';

/** The fields whose values differ between two snapshots (dates compared by instant). */
export function diff<T extends object>(before: Partial<T>, after: Partial<T>): FieldChanges {
  const changes: FieldChanges = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = normalise((before as Record<string, unknown>)[key]);
    const b = normalise((after as Record<string, unknown>)[key]);
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[key] = { before: a, after: b };
  }
  return changes;
}

function normalise(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  return value === undefined ? null : value;
}

export interface AuditRecord {
  sessionId: string;
  participantId?: string | null;
  action: string;
  changes: FieldChanges;
}

/**
 * Writes an audit row in the use case's transaction, naming its caller and correlation id. Append-only, so a plain
 * insert rather than the unit of work, whose flush costs far more than the insert (`npm run bench:orm`).
 */
export async function recordAudit({ em, meta }: UseCaseContext, entry: AuditRecord): Promise<void> {
  if (!em.isInTransaction()) throw new Error(`${entry.action} must be audited in the transaction of the change`);
  await em.execute(
    `insert into audit_entries (tenant, session_id, participant_id, action, actor, changes, correlation_id, occurred_at)
     values (?, ?, ?, ?, ?, ?::jsonb, ?, clock_timestamp())`,
    [
      meta.tenant,
      entry.sessionId,
      entry.participantId ?? null,
      entry.action,
      meta.actor,
      JSON.stringify(entry.changes),
      meta.correlationId,
    ],
  );
}

export function toAuditEntryBody(e: AuditEntry): AuditEntryBody {
  return {
    id: String(e.id),
    sessionId: e.sessionId,
    participantId: e.participantId ?? null,
    action: e.action,
    actor: e.actor,
    changes: e.changes,
    correlationId: e.correlationId ?? null,
    occurredAt: e.occurredAt.toISOString(),
  };
}
