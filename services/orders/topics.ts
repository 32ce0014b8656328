/** The orders outbox's topics: each names the idempotent consumer a message is relayed to. */
export const TOPICS = {
  /** products.release: give the order's held or committed stock back. */
  releaseStock: "stock.release",
  /** products.restock: a return's units go back to stock (once per order). */
  restockStock: "stock.restock",
  /** products.commit: the paid order's held stock is sold. */
  commitStock: "stock.commit",
  /** carts.clear, as the order's user: only once the order is stored. */
  clearCart: "cart.clear",
  /** payments.refund: money back for a refunded order or for a capture nobody may keep. */
  refundPayment: "payment.refund",
  /** carts.releaseClaim, as the order's user: the failed order's cart can be checked out again. */
  releaseCart: "cart.release",
  /** A checkout that is still `reserving` when this fires has crashed: fail it, release stock. */
  checkoutReminder: "checkout.reminder",
} as const;
