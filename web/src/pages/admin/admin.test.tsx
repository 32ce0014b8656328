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

describe("Monitoring with the API's own shape", () => {
  it("shows uptime, mean, p99 and the breaker instead of blanks, and no internal actions", async () => {
    signIn();
    fakeShop({
      "GET /api/cart": () => json(200, { items: [], subtotal: 0, currency: "CNY", itemCount: 0 }),
      "GET /api/admin/cluster": () =>
        json(200, {
          summary: { requestRate: 20, errorRate: 0 },
          nodes: [
            { id: "gw", status: "up", local: true, cpu: 3, uptimeSeconds: 7260, services: ["api"] },
          ],
          actions: [
            { name: "api.rest", requests: 300, requestRate: 20, errorRate: 0, errorRatio: 0 },
            { name: "$node.health", requests: 3, requestRate: 1, errorRate: 0, errorRatio: 0 },
            {
              name: "products.list",
              requests: 300,
              requestRate: 20,
              errorRate: 0,
              errorRatio: 0,
              mean: 8,
              p50: 5,
              p95: 60,
              p99: 91,
              breaker: "closed",
            },
          ],
        }),
    });
    renderAt("/admin/monitoring", "/admin/monitoring", <Monitoring />, { user: adminUser });
    const table = await screen.findByTestId("monitoring-actions");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getByRole("rowheader").textContent)).toEqual([
      "products.list",
    ]);
    const cells = within(rows[0])
      .getAllByRole("cell")
      .map((c) => c.textContent);
    expect(cells.filter((c) => c === "—")).toEqual([]);
    expect(cells.join(" ")).toMatch(/8/);
    expect(cells.join(" ")).toMatch(/91/);
    expect(within(rows[0]).getByTestId("breaker-state").dataset.state).toBe("closed");
    const node = screen.getByTestId("monitoring-node");
    expect(node.textContent).toMatch(/Uptime2 hr 1 min/);
    expect(screen.getByTestId("total-rps").textContent).toMatch(/20/);
  });
});
