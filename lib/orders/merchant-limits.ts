/**
 * The merchant summary's window, apart from lib/orders/merchant.ts so the route table (loaded by
 * every gateway) does not load the SQL helpers and sequelize with it.
 */

/** The longest window of GET /api/merchant/summary, in days. */
export const MAX_SUMMARY_DAYS = 90;
