import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { User } from "../../api/types.ts";
import { fakeShop, json, renderAt, signIn } from "../../test/render.tsx";
import { Monitoring } from "./Monitoring.tsx";
import { AdminUsers } from "./Users.tsx";

const adminUser: User = {
  id: "admin",
  email: "admin@example.com",
  name: "Admin",
  role: "admin",
  createdAt: "",
};

describe("Monitoring", () => {
  it("lists the nodes and polls again by itself", async () => {
    signIn();
    let calls = 0;
    fakeShop({
      "GET /api/cart": () => json(200, { items: [], subtotal: 0, currency: "CNY", itemCount: 0 }),
      "GET /api/admin/cluster": () => {
        calls += 1;
        return json(200, {
          nodes: [
            { id: "gateway-1", available: true, services: ["api"] },
            ...(calls > 1 ? [{ id: "worker-2", available: true, services: ["orders"] }] : []),
          ],
          actions: [
            {
              name: "orders.checkout",
              requestRate: calls,
              errorRate: 0,
              latency: { p95: 12 },
              breaker: "open",
            },
          ],
        });
      },
    });
    renderAt("/admin/monitoring", "/admin/monitoring", <Monitoring />, { user: adminUser });
    const list = await screen.findByTestId("monitoring-nodes");
    expect(
      within(list)
        .getAllByTestId("monitoring-node")
        .map((n) => n.dataset.nodeId),
    ).toEqual(["gateway-1"]);
    expect(screen.getByTestId("open-breakers").textContent).toBe("1");
    await waitFor(() => expect(screen.getAllByTestId("monitoring-node")).toHaveLength(2), {
      timeout: 4000,
    });
    expect(screen.getByTestId("monitoring-status").textContent).toMatch(/live/);
  });

  it("says it is reconnecting when the cluster view fails, and keeps going", async () => {
    signIn();
    fakeShop({
      "GET /api/cart": () => json(200, { items: [], subtotal: 0, currency: "CNY", itemCount: 0 }),
      "GET /api/admin/cluster": () =>
        json(503, {
          name: "ServiceNotAvailableError",
          message: "down",
          code: 503,
          type: "SERVICE_UNAVAILABLE",
        }),
    });
    renderAt("/admin/monitoring", "/admin/monitoring", <Monitoring />, { user: adminUser });
    expect((await screen.findByRole("alert")).textContent).toMatch(/temporarily unavailable/);
    expect(screen.getByTestId("monitoring-status").textContent).toMatch(/reconnecting/);
  });
});

describe("Admin users", () => {
  it("bans a user and shows them banned", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/cart": () => json(200, { items: [], subtotal: 0, currency: "CNY", itemCount: 0 }),
      "GET /api/admin/users": () =>
        json(200, {
          rows: [
            adminUser,
            { id: "u7", email: "bob@example.com", name: "Bob", role: "customer", createdAt: "" },
          ],
          total: 2,
          page: 1,
          pageSize: 20,
          totalPages: 1,
        }),
      "GET /api/admin/access": () =>
        json(200, { whitelist: [], blacklist: { users: [], ips: [] } }),
      "PUT /api/admin/access/blacklist/users/u7": () => json(200, {}),
    });
    renderAt("/admin/users", "/admin/users", <AdminUsers />, { user: adminUser });
    const rows = await screen.findAllByTestId("admin-user");
    const bob = rows.find((r) => r.dataset.email === "bob@example.com")!;
    const me = rows.find((r) => r.dataset.email === "admin@example.com")!;
    expect(within(me).queryByTestId("ban-user")).toBeNull();
    fireEvent.click(within(bob).getByTestId("ban-user"));
    await waitFor(() => expect(bob.dataset.banned).toBe("true"));
    expect(within(bob).getByTestId("unban-user")).toBeTruthy();
    expect(
      shop.seen.some(
        (r) => r.method === "PUT" && r.path === "/api/admin/access/blacklist/users/u7",
      ),
    ).toBe(true);
  });
});
