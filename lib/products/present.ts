/** The shapes that leave the products service. */
import { iso } from "../model-helpers.ts";
import type { Product } from "./models.ts";
import { ratingOf, type Rating } from "./rating.ts";

/** A product of API.md. */
export interface ProductView {
  id: string;
  name: string;
  description: string;
  price: number;
  currency: string;
  stock: number;
  categories: string[];
  picture: string;
  merchantId: string | null;
  /** The average of its reviews' ratings (one decimal, 0 without any) and their number. */
  rating: Rating;
  /** Units of paid orders, less the refunded ones. */
  soldCount: number;
  createdAt: string;
  updatedAt: string;
}

/** What other services need of a product (products.getMany). */
export interface ProductSummary {
  id: string;
  name: string;
  price: number;
  currency: string;
  stock: number;
  picture: string;
  merchantId: string | null;
  /** false once the product is deleted: it can no longer be bought. */
  available: boolean;
}

/** The product's own picture, or the one the shop draws for it (GET /api/pictures/:id.svg). */
export function pictureOf(p: { id: string | number; picture: string | null }): string {
  return p.picture ?? `/api/pictures/${p.id}.svg`;
}

export function productView(p: Product, categories: string[]): ProductView {
  return {
    id: String(p.id),
    name: p.name,
    description: p.description,
    price: Number(p.price),
    currency: p.currency,
    stock: Number(p.stock),
    categories,
    picture: pictureOf(p),
    merchantId: p.merchantId === null ? null : String(p.merchantId),
    rating: ratingOf(Number(p.ratingSum ?? 0), Number(p.ratingCount ?? 0)),
    soldCount: Number(p.soldCount ?? 0),
    createdAt: iso(p.createdAt)!,
    updatedAt: iso(p.updatedAt)!,
  };
}

/** The columns of a product that a summary needs, as a model or as a raw row (BIGINTs as numbers). */
export interface SummaryRow {
  id: string | number;
  name: string;
  price: number | string;
  currency: string;
  stock: number | string;
  picture: string | null;
  merchantId: string | number | null;
  deletedAt: Date | string | null;
}

export function productSummary(p: SummaryRow): ProductSummary {
  return {
    id: String(p.id),
    name: p.name,
    price: Number(p.price),
    currency: p.currency,
    stock: Number(p.stock),
    picture: pictureOf(p),
    merchantId: p.merchantId === null ? null : String(p.merchantId),
    available: p.deletedAt === null,
  };
}
