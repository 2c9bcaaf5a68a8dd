// How a failed validation names each bad field: `errors: [{field, message}]` of a 400 problem.
import { z } from 'zod';
import { FieldError } from './problems';

export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.flatMap((issue) => {
    const at = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: at ? `${at}.${key}` : key, message: 'is not a known field' }));
    }
    return [{ field: at || '(body)', message: issue.message }];
  });
}
