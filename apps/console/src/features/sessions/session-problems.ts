// Which field a conflict is about, so the console shows it there: the API names the code, the form knows the field.
import type { ProblemCode } from '@agdar/contracts/browser';
import { ApiProblem } from '../../api/client';

const CONFLICT_FIELDS: Partial<Record<ProblemCode, string>> = {
  PROVIDER_CONFLICT: 'providerId',
  ROOM_CONFLICT: 'roomId',
  ROOM_NOT_IN_CLINIC: 'roomId',
  INVALID_CAPACITY: 'maxCapacity',
  CAPACITY_BELOW_ACTIVE: 'maxCapacity',
  TOO_EARLY: 'status',
};

export function fieldOfConflict(error: unknown): string | null {
  if (!(error instanceof ApiProblem)) return null;
  return CONFLICT_FIELDS[error.code as ProblemCode] ?? null;
}
