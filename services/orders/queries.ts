/** Reading orders: the caller's own (list, detail) and, for administrators, everyone's. */
import { pageWindow, toPage, type Page, type PageRequest } from "../../lib/pagination.ts";
import { PUBLIC_STATUSES, type PublicStatus } from "../../lib/orders/state.ts";
import type { OrderView } from "../../lib/orders/view.ts";
import { ownOrder, requireUser, viewOf, viewsOf, type Ctx, type OrdersDeps } from "./deps.ts";

export interface ListParams extends PageRequest {
  status?: PublicStatus;
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

/** Newest first; only the statuses the API knows (never a checkout in progress or failed). */
export async function list(deps: OrdersDeps, params: AdminListParams): Promise<Page<OrderView>> {
  const { page, pageSize, limit, offset } = pageWindow(params);
  const where: Record<string, unknown> = { status: params.status ?? [...PUBLIC_STATUSES] };
  if (params.userId) where.userId = params.userId;
  const { rows, count } = await deps.models.Order.findAndCountAll({
    where,
    order: [["id", "DESC"]],
    limit,
    offset,
  });
  return toPage(await viewsOf(deps, rows), count, page, pageSize);
}
