import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";

/** Tabs between the merchant console's pages. */
export function MerchantNav() {
  const { t } = useTranslation();
  return (
    <nav className="tabs" aria-label={t("merchantOrders.nav")}>
      <NavLink to="/merchant/products" end>
        {t("productPage.products")}
      </NavLink>
      <NavLink to="/merchant/orders">{t("merchantOrders.title")}</NavLink>
      <NavLink to="/merchant/sales">{t("sales.title")}</NavLink>
    </nav>
  );
}
