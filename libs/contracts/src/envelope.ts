// The envelope every Kafka message carries (docs/architecture.md). `data` is validated separately, by its
// event's schema.
import { z } from 'zod';

export const envelopeSchema = z.strictObject({
  id: z.uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  tenant: z.string().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  actor: z.string().min(1),
  data: z.unknown(),
});

export type Envelope<T = unknown> = Omit<z.infer<typeof envelopeSchema>, 'data'> & { data: T };

/** Who and what caused an event: carried from the HTTP request or the consumed message into what it produces. */
export interface EventMeta {
  tenant: string;
  actor: string;
  correlationId: string;
  causationId?: string | null;
}
