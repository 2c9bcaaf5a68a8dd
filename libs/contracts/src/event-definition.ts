// An event type is a name, a schema version, the topic it travels on, how it is keyed, and the schema of its data.
import { z } from 'zod';
import { TopicDefinition } from './topics';

export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  type: string;
  version: number;
  topic: TopicDefinition;
  schema: S;
  keyOf: (data: z.infer<S>) => string;
}

export type EventData<D> = D extends EventDefinition<infer S> ? z.infer<S> : never;

export function defineEvent<S extends z.ZodType>(definition: EventDefinition<S>): EventDefinition<S> {
  return definition;
}

export class EventSchemaError extends Error {
  constructor(
    readonly eventType: string,
    readonly issues: string,
  ) {
    super(`${eventType} does not match its schema: ${issues}`);
    this.name = 'EventSchemaError';
  }
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Validates event data against its definition: on produce and again on consume. */
export function parseEventData<S extends z.ZodType>(definition: EventDefinition<S>, data: unknown): z.infer<S> {
  const result = definition.schema.safeParse(data);
  if (!result.success) throw new EventSchemaError(definition.type, describeIssues(result.error));
  return result.data;
}
