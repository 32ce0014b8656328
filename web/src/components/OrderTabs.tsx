/** The tabs of an order list and its search box, kept in the page's query string. */
import { useTranslation } from "react-i18next";
import { useState, type FormEvent } from "react";
import type { OrderTab } from "../api/types.ts";
import { ORDER_TABS } from "../lib/orderTabs.ts";

export function OrderTabs({
  tab,
  onTab,
  label,
}: {
  tab: OrderTab | "";
  onTab: (tab: OrderTab | "") => void;
  label: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="order-tabs" role="tablist" aria-label={label} data-testid="order-tabs">
      {ORDER_TABS.map((key) => (
        <button
          key={key || "all"}
          type="button"
          role="tab"
          aria-selected={tab === key}
          className={`order-tab${tab === key ? " active" : ""}`}
          data-testid={`order-tab-${key || "all"}`}
          onClick={() => onTab(key)}
        >
          {t(`orderTabs.${key || "all"}`)}
        </button>
      ))}
    </div>
  );
}

export function OrderSearch({ query, onSearch }: { query: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(query);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(text.trim());
  };
  return (
    <form role="search" className="order-search" onSubmit={submit}>
      <label className="visually-hidden" htmlFor="order-search">
        {t("orderTabs.searchLabel")}
      </label>
      <input
        id="order-search"
        type="search"
        value={text}
        maxLength={100}
        placeholder={t("orderTabs.searchPlaceholder")}
        onChange={(e) => setText(e.target.value)}
        data-testid="order-search"
      />
      <button type="submit" className="button ghost">
        {t("orderTabs.search")}
      </button>
    </form>
  );
}
