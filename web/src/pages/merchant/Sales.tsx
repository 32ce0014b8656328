/**
 * A merchant's sales: revenue, orders and units over the last days, a chart of revenue by day
 * (recharts) and the same figures in a table for screen readers and keyboards, top products.
 */
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { merchant } from "../../api/shop.ts";
import { ErrorAlert, Spinner } from "../../components/Feedback.tsx";
import { Select } from "../../components/Field.tsx";
import { Money } from "../../components/Money.tsx";
import { formatMoney } from "../../lib/money.ts";
import { useLoad } from "../../lib/useLoad.ts";
import { useTitle } from "../../lib/useTitle.ts";
import { MerchantNav } from "./MerchantNav.tsx";

/** The windows offered (the API takes 1 to 90 days). */
export const WINDOWS = [7, 30, 90] as const;
const CURRENCY = "CNY";

export function daysOf(value: string | null): number {
  const n = Number(value);
  return (WINDOWS as readonly number[]).includes(n) ? n : 30;
}

export function MerchantSales() {
  const { t } = useTranslation();
  useTitle(t("sales.title"));
  const [params, setParams] = useSearchParams();
  const days = daysOf(params.get("days"));
  const summary = useLoad((signal) => merchant.summary(days, signal), [days]);
  const s = summary.data;
  const soldDays = s ? [...s.byDay].reverse().filter((d) => d.orders > 0) : [];
  return (
    <div className="admin-page merchant-sales">
      <MerchantNav />
      <div className="results-head">
        <h1>{t("sales.title")}</h1>
        <Select
          label={t("sales.window")}
          value={String(days)}
          onChange={(e) => setParams({ days: e.target.value })}
          testId="sales-days"
        >
          {WINDOWS.map((d) => (
            <option key={d} value={d}>
              {t("sales.lastDays", { count: d })}
            </option>
          ))}
        </Select>
      </div>
      {summary.loading ? (
        <Spinner label={t("sales.loading")} />
      ) : summary.error ? (
        <ErrorAlert error={summary.error} onRetry={summary.reload} />
      ) : s ? (
        <>
          <dl className="sales-figures" data-testid="sales-figures">
            <div>
              <dt>{t("sales.revenue")}</dt>
              <dd data-testid="sales-revenue">
                <Money amount={s.revenue} currency={CURRENCY} />
              </dd>
            </div>
            <div>
              <dt>{t("sales.orders")}</dt>
              <dd data-testid="sales-orders">{s.orders}</dd>
            </div>
            <div>
              <dt>{t("sales.units")}</dt>
              <dd data-testid="sales-units">{s.unitsSold}</dd>
            </div>
          </dl>
          <figure className="sales-chart" aria-hidden="true">
            <ResponsiveContainer width="100%" height={240}>
              {/* Hidden from assistive technology (the table below has the figures): no
                  keyboard layer, whose focusable <svg> axe refuses inside aria-hidden. */}
              <BarChart
                data={s.byDay}
                margin={{ top: 8, right: 8, bottom: 8, left: 8 }}
                accessibilityLayer={false}
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} />
                <YAxis tickFormatter={(v: number) => formatMoney(v, CURRENCY)} width={80} />
                <Tooltip formatter={(v) => formatMoney(Number(v), CURRENCY)} />
                <Bar dataKey="revenue" name={t("sales.revenue")} fill="var(--accent, #fe2c55)" />
              </BarChart>
            </ResponsiveContainer>
          </figure>
          {/* The days with sales only: a month of zero rows says nothing a reader needs. */}
          {soldDays.length === 0 ? (
            <p className="muted" data-testid="sales-by-day-none">
              {t("sales.noSales")}
            </p>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="sales-by-day">
                <caption>{t("sales.byDay")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("sales.date")}</th>
                    <th scope="col" className="num">
                      {t("sales.revenue")}
                    </th>
                    <th scope="col" className="num">
                      {t("sales.orders")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {soldDays.map((d) => (
                    <tr key={d.date}>
                      <th scope="row">{d.date}</th>
                      <td className="num">
                        <Money amount={d.revenue} currency={CURRENCY} />
                      </td>
                      <td className="num">{d.orders}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="table-wrap">
            <table className="table" data-testid="sales-top-products">
              <caption>{t("sales.topProducts")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("order.product")}</th>
                  <th scope="col" className="num">
                    {t("sales.units")}
                  </th>
                  <th scope="col" className="num">
                    {t("sales.revenue")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {s.topProducts.length === 0 ? (
                  <tr>
                    <td colSpan={3} className="muted">
                      {t("sales.noSales")}
                    </td>
                  </tr>
                ) : (
                  s.topProducts.map((p) => (
                    <tr key={p.productId}>
                      <th scope="row">{p.name}</th>
                      <td className="num">{p.units}</td>
                      <td className="num">
                        <Money amount={p.revenue} currency={CURRENCY} />
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </div>
  );
}
