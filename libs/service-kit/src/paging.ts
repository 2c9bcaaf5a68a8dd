// Paging of list queries: the rows a page asks for, and the page it answers.
import { Page, PageRequest } from '@agdar/contracts';

export function pageWindow(request: PageRequest): { limit: number; offset: number } {
  return { limit: request.pageSize, offset: (request.page - 1) * request.pageSize };
}

export function pageOf<T>(items: T[], total: number, request: PageRequest): Page<T> {
  return { items, total, page: request.page, pageSize: request.pageSize };
}

/** The same page with each item turned into its API body. */
export function mapPage<T, U>(page: Page<T>, toBody: (item: T) => U): Page<U> {
  return { ...page, items: page.items.map(toBody) };
}
