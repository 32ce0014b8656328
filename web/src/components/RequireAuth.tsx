import { useTranslation } from "react-i18next";
import type { ReactNode } from "react";
import { Link, Navigate, useLocation } from "react-router";
import type { Role } from "../api/types.ts";
import { useAuth } from "../state/auth.tsx";
import { EmptyState, Spinner } from "./Feedback.tsx";

/** Shows its children to a signed-in user (with one of `roles`, when given). */
export function RequireAuth({ roles, children }: { roles?: Role[]; children: ReactNode }) {
  const { t } = useTranslation();
  const { ready, user, banned } = useAuth();
  const location = useLocation();
  if (!ready) return <Spinner label={t("feedback.checkingSession")} />;
  if (banned) {
    // A suspended account's pages: say so, rather than a login page without a word.
    return (
      <EmptyState title={t("auth.bannedTitle")} icon="🚫" testId="account-suspended">
        <p>
          {t("auth.bannedBody")} <Link to="/">{t("common.backToShop")}</Link>
        </p>
      </EmptyState>
    );
  }
  if (!user) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  if (roles && !roles.includes(user.role)) {
    return (
      <EmptyState title={t("auth.forbiddenTitle")} icon="🔒" testId="forbidden">
        <p>
          {t("auth.forbiddenBody", {
            roles: roles.map((role) => t(`roles.${role}`)).join(t("auth.or")),
          })}{" "}
          <Link to="/">{t("common.backToShop")}</Link>
        </p>
      </EmptyState>
    );
  }
  return <>{children}</>;
}
