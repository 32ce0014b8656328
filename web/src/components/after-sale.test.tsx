import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Order } from "../api/types.ts";
import { OrderDetail } from "../pages/OrderDetail.tsx";
import { fakeShop, json, renderAt, signIn } from "../test/render.tsx";

const shipped: Order = {
  id: "order-0002",
  userId: "u1",
  status: "shipped",
  shipment: {
    carrier: "SF Express",
    trackingNumber: "SF1000",
    shippedAt: "2026-12-01T00:00:00.000Z",
  },
  items: [
    {
      productId: "p1",
      name: "Green tea",
      price: 1999,
      quantity: 2,
      lineTotal: 3998,
      refundedQuantity: 0,
      merchantId: null,
    },
  ],
  total: 3998,
  currency: "CNY",
  address: { name: "Ann", phone: "13800000000", line1: "1 Road", city: "Beijing", country: "CN" },
  email: null,
  payment: null,
  returnRequest: null,
  expiresAt: "2026-01-01T00:15:00Z",
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
};

describe("After-sale on the order page", () => {
  it("confirms receipt of a shipped order", async () => {
    signIn();
    const shop = fakeShop({
      "GET /api/orders/order-0002": () => json(200, shipped),
      "POST /api/orders/order-0002/receive": () => json(200, { ...shipped, status: "completed" }),
    });
    renderAt("/orders/order-0002", "/orders/:id", <OrderDetail />);
    fireEvent.click(await screen.findByTestId("confirm-receipt"));
    await waitFor(() => expect(screen.queryByTestId("confirm-receipt")).toBeNull());
    expect(shop.seen.some((r) => r.path === "/api/orders/order-0002/receive")).toBe(true);
  });

  it("requests a return of some units with a reason and shows its status", async () => {
    signIn();
    const requested: Order = {
      ...shipped,
      status: "return_requested",
      returnRequest: {
        reason: "broken",
        status: "requested",
        items: [{ productId: "p1", quantity: 1 }],
        decisionReason: null,
        createdAt: "2026-01-02T00:00:00Z",
        decidedAt: null,
      },
    };
    const shop = fakeShop({
      "GET /api/orders/order-0002": () => json(200, shipped),
      "POST /api/orders/order-0002/return": () => json(200, requested),
    });
    renderAt("/orders/order-0002", "/orders/:id", <OrderDetail />);
    fireEvent.click(await screen.findByTestId("request-return"));
    fireEvent.change(screen.getByTestId("return-reason"), { target: { value: "broken" } });
    fireEvent.change(screen.getByRole("spinbutton"), { target: { value: "1" } });
    fireEvent.click(screen.getByTestId("submit-return"));
    const status = await screen.findByTestId("return-status");
    expect(status.dataset.returnStatus).toBe("requested");
    expect(shop.seen.find((r) => r.path === "/api/orders/order-0002/return")!.body).toEqual({
      reason: "broken",
      items: [{ productId: "p1", quantity: 1 }],
    });
  });

  it("shows what an approved return of some units gave back: the units and the money", async () => {
    signIn();
    const partly: Order = {
      ...shipped,
      status: "refunded",
      items: [{ ...shipped.items[0], refundedQuantity: 1 }],
      payment: {
        id: "pay1",
        status: "partially_refunded",
        amount: 3998,
        refundedAmount: 1999,
        cardLast4: "4242",
        cardBrand: "visa",
        transactionId: "tx1",
        createdAt: "2026-01-01T00:01:00Z",
      },
      returnRequest: {
        reason: "broken",
        status: "approved",
        items: [{ productId: "p1", quantity: 1 }],
        decisionReason: null,
        createdAt: "2026-01-02T00:00:00Z",
        decidedAt: "2026-01-03T00:00:00Z",
      },
    };
    fakeShop({ "GET /api/orders/order-0002": () => json(200, partly) });
    renderAt("/orders/order-0002", "/orders/:id", <OrderDetail />);
    expect((await screen.findByTestId("refunded-units")).textContent).toMatch(/1 refunded/);
    const payment = screen.getByTestId("order-payment");
    expect(payment.textContent).toMatch(/partly refunded/);
    expect(screen.getByTestId("refunded-amount").textContent).toMatch(/19\.99 refunded/);
  });
});
