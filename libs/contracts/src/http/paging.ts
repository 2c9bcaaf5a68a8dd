// Every list answers one page: `page` and `pageSize` in, `items`, `total`, `page`, `pageSize` out.
import { z } from 'zod';

/**
 * The deepest page a list serves: OFFSET reads and drops every row before the page, so page 100000 of a big tenant
 * would make the database scan millions of rows to answer. Past it, a list is narrowed by its filters (dates).
 * Keyset paging would lift the limit; no list needs it yet.
 */
export const MAX_PAGE = 500;

/** `page` and `pageSize` of every list query, to spread into its schema. */
export const paginationFields = (defaultPageSize = 20) => ({
  page: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE, `must be at most ${MAX_PAGE}; narrow the list with its filters to reach older entries`)
    .default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(defaultPageSize),
});

export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface Page<T> extends PageRequest {
  items: T[];
  total: number;
}

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
