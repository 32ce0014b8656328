/**
 * The delivery address's rules beyond its shape (API.md, "Address"): `country` is an ISO 3166-1
 * alpha-2 code (default `CN`); a Chinese address carries an 11-digit mobile number (`1[3-9]` then
 * nine digits, an optional `+86`) and, in the current shape, its province and city. An address
 * without a `province` key is the older shape (`line1, city, country`), which stays valid.
 */
import { UnprocessableError, type TypeOf } from "../errors.ts";
import type { Address } from "./models.ts";

/** What a client may send: `country` may be absent or lower case, `province` absent (older shape). */
export type AddressInput = Omit<Address, "country"> & { country?: string };

export interface AddressProblem {
  field: string;
  message: string;
}

const COUNTRY = /^[A-Za-z]{2}$/;
const CN_MOBILE = /^(?:\+?86)?1[3-9]\d{9}$/;
const ANY_PHONE = /^\+?[0-9 ()-]{5,32}$/;

/** The number with its spaces, hyphens and dots removed (`+86 138-0000-0000` → `+8613800000000`). */
export function compactPhone(phone: string): string {
  return phone.replace(/[\s.-]/g, "");
}

/** Whether `phone` is a mainland Chinese mobile number, as shoppers type it. */
export function isChineseMobile(phone: string): boolean {
  return CN_MOBILE.test(compactPhone(phone));
}

/**
 * The address to store: `country` upper-cased (`CN` when absent), everything else as sent.
 * Throws 422 `INVALID_COUNTRY`, `INVALID_PHONE` or `ADDRESS_INCOMPLETE` with `data` naming the
 * fields (`address.phone`), so that a form can show the message beside them.
 */
export function checkAddress(input: AddressInput): Address {
  const country = (input.country ?? "CN").trim();
  if (!COUNTRY.test(country)) {
    throw problem("INVALID_COUNTRY", "The country must be a two-letter ISO 3166-1 code", [
      { field: "address.country", message: "Use a two-letter country code such as CN" },
    ]);
  }
  const address: Address = { ...input, country: country.toUpperCase() };
  if (address.country === "CN" ? !isChineseMobile(address.phone) : !ANY_PHONE.test(address.phone)) {
    throw problem("INVALID_PHONE", "The phone number is not valid", [
      {
        field: "address.phone",
        message:
          address.country === "CN"
            ? "Use an 11-digit mobile number (1[3-9]…, optionally +86)"
            : "Use digits, spaces, brackets and hyphens",
      },
    ]);
  }
  const missing = missingParts(address);
  if (missing.length > 0) {
    throw problem(
      "ADDRESS_INCOMPLETE",
      `The address lacks ${missing.join(", ")}`,
      missing.map((part) => ({ field: `address.${part}`, message: `Choose the ${part}` })),
    );
  }
  return address;
}

/** The parts a Chinese address in the current shape lacks: province and city, in that order. */
function missingParts(address: Address): string[] {
  const modern = address.province !== undefined || address.district !== undefined;
  if (address.country !== "CN" || !modern) return [];
  return (["province", "city"] as const).filter((part) => !address[part]?.trim());
}

function problem(type: TypeOf<422>, message: string, data: AddressProblem[]): UnprocessableError {
  return new UnprocessableError(message, type, data);
}
