/**
 * The simulated card network's decision for a valid card, after the checks of card.ts. The test
 * cards of API.md behave as documented; any other valid card is approved.
 */
import { normalizeCardNumber } from "./card.ts";

export const TEST_CARDS = {
  success: "4242424242424242",
  declined: "4000000000000002",
  insufficientFunds: "4000000000009995",
} as const;

export type Decision =
  | { status: "captured" }
  | { status: "declined"; code: "PAYMENT_DECLINED" | "INSUFFICIENT_FUNDS"; message: string };

export function decide(cardNumber: string): Decision {
  switch (normalizeCardNumber(cardNumber)) {
    case TEST_CARDS.declined:
      return { status: "declined", code: "PAYMENT_DECLINED", message: "The card was declined" };
    case TEST_CARDS.insufficientFunds:
      return {
        status: "declined",
        code: "INSUFFICIENT_FUNDS",
        message: "The card has insufficient funds",
      };
    default:
      return { status: "captured" };
  }
}
