// Every list answers one page: `page` and `pageSize` in, `items`, `total`, `page`, `pageSize` out.
import { z } from 'zod';

/** `page` and `pageSize` of every list query, to spread into its schema. */
export const paginationFields = (defaultPageSize = 20) => ({
  page: z.coerce.number().int().min(1).max(100000).default(1),
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
