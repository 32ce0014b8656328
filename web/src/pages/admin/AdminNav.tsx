import { NavLink } from "react-router";

/** Tabs between the admin pages. */
export function AdminNav() {
  return (
    <nav className="tabs" aria-label="Administration">
      <NavLink to="/admin/orders">Orders</NavLink>
      <NavLink to="/admin/users">Users</NavLink>
      <NavLink to="/admin/access">Access lists</NavLink>
      <NavLink to="/admin/monitoring">Monitoring</NavLink>
      <NavLink to="/merchant/products">Products</NavLink>
    </nav>
  );
}
