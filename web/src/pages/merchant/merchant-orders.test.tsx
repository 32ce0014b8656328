import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { MerchantOrder, Order, SalesSummary, User } from "../../api/types.ts";
import { canShip, linePicture, ORDER_TABS, tabOf } from "../../lib/orderTabs.ts";
import { fakeShop, json, renderAt, signIn } from "../../test/render.tsx";
import { Orders } from "../Orders.tsx";
import { MerchantOrders } from "./Orders.tsx";
import { MerchantSales } from "./Sales.tsx";

const seller: User = {
  id: "m1",
  email: "seller@example.com",
  name: "Seller",
  role: "merchant",
  createdAt: "",
};
const emptyCart = () => json(200, { items: [], subtotal: 0, currency: "CNY", itemCount: 0 });
const address = {
  name: "张三",
  phone: "13800138000",
  city: "杭州市",
  line1: "文三路 90 号",
  country: "CN",
};

const paid: MerchantOrder = {
  id: "41",
  status: "paid",
  returnRequest: null,
  items: [
    {
      productId: "7",
      name: "Kettle",
      price: 1000,
      quantity: 2,
      lineTotal: 2000,
      refundedQuantity: 0,
      merchantId: "m1",
    },
  ],
  total: 2000,
  currency: "CNY",
  address,
  shipment: null,
  paidAt: "2026-03-10T08:00:00.000Z",
  createdAt: "2026-03-10T07:59:00.000Z",
  updatedAt: "2026-03-10T08:00:00.000Z",
};
const page = <T,>(rows: T[]) => ({
  rows,
  total: rows.length,
  page: 1,
  pageSize: 20,
  totalPages: 1,
});

describe("order tabs", () => {
  it("keeps only the tabs the API knows, and pictures every line", () => {
    expect(ORDER_TABS).toEqual(["", "to_pay", "to_ship", "to_receive", "done", "after_sale"]);
    expect(tabOf("to_ship")).toBe("to_ship");
    expect(tabOf("shipped")).toBe("");
    expect(tabOf(null)).toBe("");
    expect(linePicture("7")).toBe("/api/pictures/7.svg");
    expect(canShip("paid")).toBe(true);
    expect(canShip("shipped")).toBe(false);
  });
});

describe("the buyer's orders", () => {
  it("shows tabs, item names and thumbnails, and asks the API for the tab and search", async () => {
    signIn();
    const order: Order = {
      id: "41",
      userId: "u1",
      returnRequest: null,
      status: "paid",
      items: [
        {
          productId: "7",
          name: "Kettle",
          price: 1000,
          quantity: 2,
          lineTotal: 2000,
          refundedQuantity: 0,
          merchantId: "m1",
        },
      ],
      total: 2000,
      currency: "CNY",
      address,
      email: null,
      payment: null,
      shipment: null,
      expiresAt: "2026-03-10T08:14:00.000Z",
      createdAt: "2026-03-10T07:59:00.000Z",
      updatedAt: "2026-03-10T08:00:00.000Z",
    };
    const { seen } = fakeShop({
      "GET /api/cart": emptyCart,
      "GET /api/orders": () => json(200, page([order])),
    });
    renderAt("/orders", "/orders", <Orders />);
    const row = await screen.findByTestId("order-row");
    expect(within(row).getByText("Kettle")).toBeTruthy();
    expect(within(row).getByRole("img", { name: "Kettle" })).toBeTruthy();
    fireEvent.click(screen.getByTestId("order-tab-to_ship"));
    await waitFor(() =>
      expect(
        seen.some((r) => r.path.startsWith("/api/orders?") && r.path.includes("status=to_ship")),
      ).toBe(true),
    );
    expect(screen.getByTestId("order-tab-to_ship").getAttribute("aria-selected")).toBe("true");
    fireEvent.change(screen.getByTestId("order-search"), { target: { value: "Kettle" } });
    fireEvent.submit(screen.getByRole("search"));
    await waitFor(() => expect(seen.some((r) => r.path.includes("q=Kettle"))).toBe(true));
  });
});

describe("the merchant's orders", () => {
  it("lists its lines and ships a paid order with carrier and tracking number", async () => {
    signIn();
    const { seen } = fakeShop({
      "GET /api/cart": emptyCart,
      "GET /api/merchant/orders": () => json(200, page([paid])),
      "POST /api/merchant/orders/41/ship": (req) =>
        json(200, {
          ...paid,
          status: "shipped",
          shipment: { ...(req.body as object), shippedAt: "2026-03-11T00:00:00.000Z" },
        }),
    });
    renderAt("/merchant/orders", "/merchant/orders", <MerchantOrders />, { user: seller });
    const row = await screen.findByTestId("merchant-order");
    expect(within(row).getByText("Kettle")).toBeTruthy();
    expect(row.textContent).toContain("文三路 90 号");
    fireEvent.click(within(row).getByTestId("ship-order"));
    const dialog = await screen.findByTestId("ship-dialog");
    fireEvent.change(within(dialog).getByTestId("ship-carrier"), { target: { value: "顺丰速运" } });
    fireEvent.change(within(dialog).getByTestId("ship-tracking"), {
      target: { value: "SF123" },
    });
    fireEvent.click(within(dialog).getByTestId("ship-submit"));
    await waitFor(() => expect(screen.queryByTestId("ship-dialog")).toBeNull());
    const ship = seen.find((r) => r.method === "POST");
    expect(ship?.body).toEqual({ carrier: "顺丰速运", trackingNumber: "SF123" });
    expect((await screen.findByTestId("shipment")).textContent).toContain("SF123");
    expect(screen.queryByTestId("ship-order")).toBeNull();
  });

  it("decides a requested return from its own console", async () => {
    signIn();
    const requested: MerchantOrder = {
      ...paid,
      status: "return_requested",
      returnRequest: {
        reason: "破了",
        status: "requested",
        items: [{ productId: "7", quantity: 2 }],
        decisionReason: null,
        createdAt: "2026-03-12T00:00:00.000Z",
        decidedAt: null,
      },
    };
    const { seen } = fakeShop({
      "GET /api/cart": emptyCart,
      "GET /api/merchant/orders": () => json(200, page([requested])),
      "POST /api/merchant/orders/41/return/decide": () =>
        json(200, { ...requested, status: "refunded" }),
    });
    renderAt("/merchant/orders", "/merchant/orders", <MerchantOrders />, { user: seller });
    const row = await screen.findByTestId("merchant-order");
    expect(within(row).getByTestId("return-status").textContent).toContain("破了");
    fireEvent.click(within(row).getByTestId("approve-return"));
    await waitFor(() =>
      expect(seen.find((r) => r.method === "POST")?.body).toEqual({ approve: true }),
    );
  });

  it("shows the API's refusal of a mixed order in the dialog", async () => {
    signIn();
    fakeShop({
      "GET /api/cart": emptyCart,
      "GET /api/merchant/orders": () => json(200, page([paid])),
      "POST /api/merchant/orders/41/ship": () =>
        json(409, {
          name: "ConflictError",
          message: "other sellers",
          code: 409,
          type: "ORDER_HAS_OTHER_MERCHANTS",
        }),
    });
    renderAt("/merchant/orders", "/merchant/orders", <MerchantOrders />, { user: seller });
    fireEvent.click(await screen.findByTestId("ship-order"));
    const dialog = await screen.findByTestId("ship-dialog");
    fireEvent.change(within(dialog).getByTestId("ship-carrier"), { target: { value: "SF" } });
    fireEvent.change(within(dialog).getByTestId("ship-tracking"), { target: { value: "1" } });
    fireEvent.click(within(dialog).getByTestId("ship-submit"));
    expect(await within(dialog).findByRole("alert")).toBeTruthy();
    expect(screen.getByTestId("ship-dialog")).toBeTruthy();
  });
});

describe("the merchant's sales", () => {
  it("shows the figures and the same numbers in accessible tables", async () => {
    signIn();
    const summary: SalesSummary = {
      revenue: 3000,
      orders: 2,
      unitsSold: 6,
      byDay: [
        { date: "2026-03-09", revenue: 0, orders: 0 },
        { date: "2026-03-10", revenue: 3000, orders: 2 },
      ],
      topProducts: [{ productId: "7", name: "Kettle", units: 2, revenue: 2000 }],
    };
    const { seen } = fakeShop({
      "GET /api/cart": emptyCart,
      "GET /api/merchant/summary": () => json(200, summary),
    });
    renderAt("/merchant/sales", "/merchant/sales", <MerchantSales />, { user: seller });
    expect((await screen.findByTestId("sales-orders")).textContent).toBe("2");
    expect(screen.getByTestId("sales-units").textContent).toBe("6");
    const byDay = screen.getByTestId("sales-by-day");
    // The days with sales only (the chart shows the whole period).
    expect(within(byDay).getAllByRole("row")).toHaveLength(2);
    expect(within(byDay).getByRole("rowheader", { name: "2026-03-10" })).toBeTruthy();
    expect(within(screen.getByTestId("sales-top-products")).getByText("Kettle")).toBeTruthy();
    expect(seen.some((r) => r.path === "/api/merchant/summary?days=30")).toBe(true);
  });
});
