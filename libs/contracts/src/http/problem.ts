// The body of every error answer: RFC 9457 problem details with our `code`, and `errors` naming each bad field.
import { z } from 'zod';
import { PROBLEM_CODES, ProblemCode } from './problem-codes';

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.enum(Object.keys(PROBLEM_CODES) as [ProblemCode, ...ProblemCode[]]),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type ProblemBody = z.infer<typeof problemSchema>;
