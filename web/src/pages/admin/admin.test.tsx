import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Order, User } from "../../api/types.ts";
import { fakeShop, json, renderAt, signIn } from "../../test/render.tsx";
import { Monitoring } from "./Monitoring.tsx";
import { AdminAccess } from "./Access.tsx";
import { AdminOrders } from "./Orders.tsx";
import { AdminPolicy } from "./Policy.tsx";
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
    // Nothing happens before the admin confirms in the dialog.
    const dialog = await screen.findByRole("dialog", { name: "Ban Bob?" });
    expect(dialog.textContent).toMatch(/bob@example.com/);
    expect(shop.seen.some((r) => r.method === "PUT")).toBe(false);
    fireEvent.click(within(dialog).getByTestId("confirm-ok"));
    await waitFor(() => expect(bob.dataset.banned).toBe("true"));
    expect(within(bob).getByTestId("unban-user")).toBeTruthy();
    expect(
      shop.seen.some(
        (r) => r.method === "PUT" && r.path === "/api/admin/access/blacklist/users/u7",
      ),
    ).toBe(true);
  });
});

const usersPage = {
  rows: [
    adminUser,
    { id: "u7", email: "bob@example.com", name: "Bob", role: "customer", createdAt: "" },
  ],
  total: 2,
  page: 1,
  pageSize: 20,
  totalPages: 1,
};
const noLists = { whitelist: [], blacklist: { users: [], ips: [] } };
const emptyCart = { items: [], subtotal: 0, currency: "CNY", itemCount: 0 };

describe("Admin confirmations", () => {
  it("changes a role only once confirmed; cancelling leaves it as it was", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/cart": () => json(200, emptyCart),
      "GET /api/admin/users": () => json(200, usersPage),
      "GET /api/admin/access": () => json(200, noLists),
      "PATCH /api/admin/users/u7": (req) =>
        json(200, { ...usersPage.rows[1], role: (req.body as { role: string }).role }),
    });
    renderAt("/admin/users", "/admin/users", <AdminUsers />, { user: adminUser });
    const rows = await screen.findAllByTestId("admin-user");
    const bob = rows.find((r) => r.dataset.email === "bob@example.com")!;
    const role = within(bob).getByTestId("user-role") as HTMLSelectElement;

    fireEvent.change(role, { target: { value: "admin" } });
    let dialog = await screen.findByRole("dialog", { name: "Make Bob a admin?" });
    fireEvent.click(within(dialog).getByTestId("confirm-cancel"));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(role.value).toBe("customer");
    expect(shop.seen.some((r) => r.method === "PATCH")).toBe(false);

    fireEvent.change(role, { target: { value: "merchant" } });
    dialog = await screen.findByRole("dialog", { name: "Make Bob a merchant?" });
    fireEvent.click(within(dialog).getByTestId("confirm-ok"));
    await waitFor(() => expect(role.value).toBe("merchant"));
    expect(shop.seen.filter((r) => r.method === "PATCH").map((r) => r.body)).toEqual([
      { role: "merchant" },
    ]);
  });

  it("bans by email: looks the user up, confirms, bans by id", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/cart": () => json(200, emptyCart),
      "GET /api/admin/users": () => json(200, usersPage),
      "GET /api/admin/access": () => json(200, noLists),
      "PUT /api/admin/access/blacklist/users/u7": () => json(200, { banned: true }),
    });
    renderAt("/admin/access", "/admin/access", <AdminAccess />, { user: adminUser });
    const input = await screen.findByTestId("ban-user-id");
    fireEvent.change(input, { target: { value: "nobody@example.com" } });
    fireEvent.click(screen.getByTestId("ban-user-by-id"));
    expect((await screen.findByTestId("field-error")).textContent).toMatch(
      /No user has the email nobody@example.com/,
    );

    fireEvent.change(input, { target: { value: "BOB@example.com" } });
    expect(screen.queryByTestId("field-error")).toBeNull();
    fireEvent.click(screen.getByTestId("ban-user-by-id"));
    const dialog = await screen.findByRole("dialog", { name: "Ban Bob (bob@example.com)?" });
    fireEvent.click(within(dialog).getByTestId("confirm-ok"));
    await waitFor(() =>
      expect(
        shop.seen.some(
          (r) => r.method === "PUT" && r.path === "/api/admin/access/blacklist/users/u7",
        ),
      ).toBe(true),
    );
    expect(shop.seen.some((r) => r.method === "GET" && r.path.startsWith("/api/admin/users"))).toBe(
      true,
    );
  });
});

describe("Access policy page", () => {
  it("lists the rules, adds one and removes one after confirming", async () => {
    signIn();
    let rules = [
      ["g", "merchant", "customer"],
      ["p", "customer", "/api/cart", "*"],
      ["p", "merchant", "/api/products", "POST"],
    ];
    const shop = fakeShop({
      "GET /api/cart": () => json(200, emptyCart),
      "GET /api/admin/access/policy": () => json(200, { rules }),
      "POST /api/admin/access/policy": (req) => {
        rules = [...rules, (req.body as { rule: string[] }).rule];
        return json(200, { rules });
      },
      "POST /api/admin/access/policy/remove": (req) => {
        const gone = JSON.stringify((req.body as { rule: string[] }).rule);
        rules = rules.filter((r) => JSON.stringify(r) !== gone);
        return json(200, { rules });
      },
    });
    renderAt("/admin/policy", "/admin/policy", <AdminPolicy />, { user: adminUser });
    const table = await screen.findByTestId("policy-permissions");
    expect(within(table).getAllByTestId("policy-rule")).toHaveLength(2);
    expect(screen.getByTestId("policy-inherits").textContent).toMatch(/merchant inherits customer/);

    // A path must start with "/": caught before sending.
    fireEvent.change(screen.getByTestId("policy-role"), { target: { value: "merchant" } });
    fireEvent.change(screen.getByTestId("policy-path"), { target: { value: "api/x" } });
    fireEvent.click(screen.getByTestId("policy-add"));
    expect((await screen.findByTestId("field-error")).textContent).toBe("A path starts with /");
    fireEvent.change(screen.getByTestId("policy-path"), { target: { value: "/api/stats" } });
    fireEvent.click(screen.getByTestId("policy-add"));
    await waitFor(() => expect(within(table).getAllByTestId("policy-rule")).toHaveLength(3));
    expect(shop.seen.find((r) => r.method === "POST")?.body).toEqual({
      rule: ["p", "merchant", "/api/stats", "GET"],
    });

    fireEvent.click(screen.getByRole("button", { name: "Remove rule customer, /api/cart, *" }));
    const dialog = await screen.findByRole("dialog");
    fireEvent.click(within(dialog).getByTestId("confirm-ok"));
    await waitFor(() => expect(within(table).getAllByTestId("policy-rule")).toHaveLength(2));
    expect(shop.seen.find((r) => r.path === "/api/admin/access/policy/remove")?.body).toEqual({
      rule: ["p", "customer", "/api/cart", "*"],
    });
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

describe("Admin orders", () => {
  const asked: Order = {
    id: "order-0009",
    userId: "42",
    status: "return_requested",
    items: [
      {
        productId: "p1",
        name: "Green tea",
        price: 1999,
        quantity: 1,
        lineTotal: 1999,
        refundedQuantity: 0,
        merchantId: null,
      },
    ],
    total: 1999,
    currency: "CNY",
    address: {
      name: "李娜",
      phone: "13900000000",
      line1: "文三路 90 号",
      city: "杭州市",
      country: "CN",
    },
    email: null,
    payment: null,
    returnRequest: null,
    shipment: null,
    expiresAt: "2026-01-01T00:15:00Z",
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-01T00:00:00Z",
  };

  it("keeps the filter of the address (after-sale too) and names the customer", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/cart": () => json(200, emptyCart),
      "GET /api/admin/orders": () =>
        json(200, { rows: [asked], total: 1, page: 1, pageSize: 20, totalPages: 1 }),
    });
    renderAt("/admin/orders?status=return_requested", "/admin/orders", <AdminOrders />, {
      user: adminUser,
    });
    const customer = await screen.findByTestId("order-customer");
    expect(customer.textContent).toMatch(/李娜/);
    expect(customer.textContent).toMatch(/user 42/);
    const filter = screen.getByLabelText("Status") as HTMLSelectElement;
    expect(filter.value).toBe("return_requested");
    expect(
      shop.seen.some((r) => r.path.startsWith("/api/admin/orders?status=return_requested")),
    ).toBe(true);
  });
});
