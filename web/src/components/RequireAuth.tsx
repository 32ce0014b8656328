import type { ReactNode } from "react";
import { Link, Navigate, useLocation } from "react-router";
import type { Role } from "../api/types.ts";
import { useAuth } from "../state/auth.tsx";
import { EmptyState, Spinner } from "./Feedback.tsx";

/** Shows its children to a signed-in user (with one of `roles`, when given). */
export function RequireAuth({ roles, children }: { roles?: Role[]; children: ReactNode }) {
  const { ready, user } = useAuth();
  const location = useLocation();
  if (!ready) return <Spinner label="Checking your session…" />;
  if (!user) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  if (roles && !roles.includes(user.role)) {
    return (
      <EmptyState title="This page isn't for your account" icon="🔒" testId="forbidden">
        <p>
          It needs the {roles.join(" or ")} role. <Link to="/">Back to the shop</Link>
        </p>
      </EmptyState>
    );
  }
  return <>{children}</>;
}
