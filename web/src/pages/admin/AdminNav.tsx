import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";

/** Tabs between the admin pages. */
export function AdminNav() {
  const { t } = useTranslation();
  return (
    <nav className="tabs" aria-label={t("admin.nav")}>
      <NavLink to="/admin/orders">{t("admin.orders")}</NavLink>
      <NavLink to="/admin/users">{t("admin.users")}</NavLink>
      <NavLink to="/admin/access">{t("admin.access")}</NavLink>
      <NavLink to="/admin/policy">{t("admin.policy")}</NavLink>
      <NavLink to="/admin/monitoring">{t("admin.monitoring")}</NavLink>
      <NavLink to="/merchant/products">{t("productPage.products")}</NavLink>
    </nav>
  );
}
