// Request validation with the shared zod schemas: every failure is a 400 problem that names each bad field.
import { Body, Param, PipeTransform, Query } from '@nestjs/common';
import { z } from 'zod';
import { DomainError, FieldError } from './problems';

export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.flatMap((issue) => {
    const at = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: at ? `${at}.${key}` : key, message: 'is not a known field' }));
    }
    return [{ field: at || '(body)', message: issue.message }];
  });
}

export function parseOrFail<S extends z.ZodType>(schema: S, value: unknown, where = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error, where);
  throw new DomainError(
    'VALIDATION_FAILED',
    `The request is not valid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
    errors,
  );
}

export class ZodPipe<S extends z.ZodType> implements PipeTransform {
  constructor(
    private readonly schema: S,
    private readonly where = '',
  ) {}
  transform(value: unknown): z.infer<S> {
    return parseOrFail(this.schema, value ?? (this.where ? undefined : {}), this.where);
  }
}

export const ValidBody = (schema: z.ZodType) => Body(new ZodPipe(schema));
export const ValidQuery = (schema: z.ZodType) => Query(new ZodPipe(schema));
export const IdParam = (name = 'id') => Param(name, new ZodPipe(z.uuid({ message: 'must be a UUID' }), name));
