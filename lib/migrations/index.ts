/**
 * Every migration, in order. Each table belongs to one service; the migration's name says which.
 * Listed explicitly (not globbed) so the order is reviewed and the same on every dialect.
 */
import type { QueryInterface, Sequelize } from "sequelize";
import * as users from "./0001-users.ts";
import * as products from "./0002-products.ts";
import * as carts from "./0003-carts.ts";
import * as access from "./0006-access.ts";
import * as productsByMerchant from "./0007-products-by-merchant.ts";
import * as productsSearchTokens from "./0008-products-search-tokens.ts";
import * as categoriesNames from "./0009-categories-names.ts";
import * as orders from "./0004-orders.ts";
import * as payments from "./0005-payments.ts";
import * as cartClaims from "./0010-cart-claims.ts";
import * as productsOrderLimits from "./0011-products-order-limits.ts";
import * as orderBuyers from "./0012-order-buyers.ts";
import * as accessPolicyDefaults from "./0013-access-policy-defaults.ts";
import * as userAddressesFavorites from "./0014-user-addresses-favorites.ts";
import * as productReviews from "./0015-product-reviews.ts";
import * as orderFulfilment from "./0016-order-fulfilment.ts";
import * as orderReturns from "./0017-order-returns.ts";
import * as orderItemsRefunded from "./0018-order-items-refunded.ts";
import * as paymentsRefundedAmount from "./0019-payments-refunded-amount.ts";

export interface Migration {
  name: string;
  up(qi: QueryInterface, sequelize: Sequelize): Promise<void>;
  down(qi: QueryInterface, sequelize: Sequelize): Promise<void>;
}

export const migrations: Migration[] = [
  users,
  products,
  carts,
  orders,
  payments,
  access,
  productsByMerchant,
  productsSearchTokens,
  categoriesNames,
  cartClaims,
  productsOrderLimits,
  orderBuyers,
  accessPolicyDefaults,
  userAddressesFavorites,
  productReviews,
  orderFulfilment,
  orderReturns,
  orderItemsRefunded,
  paymentsRefundedAmount,
];
