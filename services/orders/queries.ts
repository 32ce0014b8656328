/** Reading orders: the caller's own (list, detail) and, for administrators, everyone's. */
import { Op, type WhereOptions } from "sequelize";
import { pageWindow, toPage, type Page, type PageRequest } from "../../lib/pagination.ts";
import type { Order } from "../../lib/orders/models.ts";
import { containsPattern, statusesOf, type StatusFilter } from "../../lib/orders/tabs.ts";
import type { OrderView } from "../../lib/orders/view.ts";
import { ownOrder, requireUser, viewOf, viewsOf, type Ctx, type OrdersDeps } from "./deps.ts";

export interface ListParams extends PageRequest {
  /** A status or a tab (lib/orders/tabs.ts). */
  status?: StatusFilter;
  /** The order id, or part of a line's product name. */
  q?: string;
}

export interface AdminListParams extends ListParams {
  userId?: string;
}

export async function listOwn(deps: OrdersDeps, ctx: Ctx<ListParams>): Promise<Page<OrderView>> {
  const user = requireUser(ctx);
  return list(deps, { ...ctx.params, userId: user.id });
}

export async function getOwn(deps: OrdersDeps, ctx: Ctx<{ id: string }>): Promise<OrderView> {
  const user = requireUser(ctx);
  return viewOf(deps, await ownOrder(deps, user.id, ctx.params.id));
}

/**
 * The conditions of an order list: its status or tab (only statuses the API knows: never a
 * checkout in progress or failed), and its search. `lines` narrows the lines searched (and, for
 * a merchant, the orders: those holding one of its lines) as SQL on `order_items` with its values.
 */
export function listWhere(
  deps: OrdersDeps,
  params: ListParams,
  lines?: { sql: string; values: unknown[] },
): WhereOptions<Order> {
  const and: WhereOptions<Order>[] = [{ status: statusesOf(params.status) }];
  const { sequelize } = deps;
  const linesIn = (extra: { sql: string; values: unknown[] }[]) => {
    const parts = [...(lines ? [lines] : []), ...extra];
    const sql = parts.map((p) => `(${p.sql})`).join(" AND ") || "1 = 1";
    const values = parts.flatMap((p) => p.values);
    let i = 0;
    // Literal SQL with its values escaped by the dialect (replacements do not reach a literal).
    const bound = sql.replace(/\?/g, () => sequelize.escape(values[i++] as string));
    return sequelize.literal(`(SELECT orderId FROM order_items WHERE ${bound})`);
  };
  if (lines) and.push({ id: { [Op.in]: linesIn([]) } });
  if (params.q) {
    const byName = { sql: "name LIKE ? ESCAPE '!'", values: [containsPattern(params.q)] };
    const search: WhereOptions<Order>[] = [{ id: { [Op.in]: linesIn([byName]) } }];
    if (/^\d{1,20}$/.test(params.q)) search.push({ id: params.q });
    and.push({ [Op.or]: search });
  }
  return { [Op.and]: and };
}

/** Newest first. */
export async function list(deps: OrdersDeps, params: AdminListParams): Promise<Page<OrderView>> {
  const { page, pageSize, limit, offset } = pageWindow(params);
  const where: WhereOptions<Order>[] = [listWhere(deps, params)];
  if (params.userId) where.push({ userId: params.userId });
  const { rows, count } = await deps.models.Order.findAndCountAll({
    where: { [Op.and]: where },
    order: [["id", "DESC"]],
    limit,
    offset,
  });
  return toPage(await viewsOf(deps, rows), count, page, pageSize);
}
