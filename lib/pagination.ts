/** The list conventions of API.md: ?page=1&pageSize=20 (≤ 100) → { rows, total, page, pageSize, totalPages }. */

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** fastest-validator rules for the two query parameters (strings from the query are converted). */
export const pageParams = {
  page: { type: "number", integer: true, min: 1, max: 1_000_000, convert: true, optional: true },
  pageSize: {
    type: "number",
    integer: true,
    min: 1,
    max: MAX_PAGE_SIZE,
    convert: true,
    optional: true,
  },
} as const;

export interface PageRequest {
  page?: number;
  pageSize?: number;
}

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
}

export function pageWindow(req: PageRequest): {
  page: number;
  pageSize: number;
  limit: number;
  offset: number;
} {
  const page = req.page ?? 1;
  const pageSize = req.pageSize ?? DEFAULT_PAGE_SIZE;
  return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize };
}

export function toPage<T>(rows: T[], total: number, page: number, pageSize: number): Page<T> {
  return { rows, total, page, pageSize, totalPages: Math.ceil(total / pageSize) };
}
