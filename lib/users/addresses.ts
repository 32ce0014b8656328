/**
 * The address book (API.md "Addresses, favourites, reviews"): each user's saved delivery
 * addresses, in the checkout's shape and under its rules (lib/orders/address.ts `checkAddress`).
 * At most MAX_ADDRESSES per user; the first is the default; making another the default unsets the
 * old one; removing (or un-defaulting) the default makes the most recent remaining one the
 * default. Every change runs in a transaction holding the user's row (SELECT … FOR UPDATE; SQLite
 * runs one writer at a time), so concurrent changes keep one default and the limit; the unique
 * index on (userId, isDefault), with NULL for "not default", refuses a second default anyway.
 * Another user's address is answered as none (404).
 */
import { MAX_ADDRESSES } from "./limits.ts";
import type { Sequelize, Transaction } from "sequelize";
import { NotFoundError, UnauthorizedError, UnprocessableError, errorType } from "../errors.ts";
import { checkAddress, type AddressInput } from "../orders/address.ts";
import type { Address } from "../orders/models.ts";
import { RETRY, transaction } from "../transactions.ts";
import type { AccountModels, UserAddress } from "./account-models.ts";

export { MAX_ADDRESSES };

/** An entry of the book: the address and its id and default flag. */
export type SavedAddress = Address & { id: string; isDefault: boolean };

/** What a client sends to add an entry (the address and, optionally, whether it is the default). */
export type NewAddress = AddressInput & { isDefault?: boolean };

/** What a client sends to change one: any address field, and `isDefault`. */
export type AddressPatch = Partial<AddressInput> & { isDefault?: boolean };

export interface AddressBookDeps {
  sequelize: Sequelize;
  models: Pick<AccountModels, "User" | "UserAddress">;
}

const FIELDS = [
  "name",
  "phone",
  "province",
  "city",
  "district",
  "line1",
  "line2",
  "state",
  "country",
  "postalCode",
] as const;
const OPTIONAL = new Set(["province", "district", "line2", "state", "postalCode"]);

/** One row as the API shows it (optional parts that are empty are left out, as in an order). */
export function entryOf(row: UserAddress): SavedAddress {
  const entry: Record<string, unknown> = { id: String(row.id), isDefault: row.isDefault === true };
  for (const field of FIELDS) {
    const value = row[field];
    if (value !== null && value !== undefined && value !== "") entry[field] = value;
  }
  return entry as unknown as SavedAddress;
}

/** The address of an entry, to copy into an order (an order keeps its own copy). */
export function addressOf(entry: SavedAddress): Address {
  const { id: _id, isDefault: _default, ...address } = entry;
  return address;
}

/** The book in its order: the default first, then the most recent first. */
export function sortBook<T extends { id: string; isDefault: boolean }>(entries: T[]): T[] {
  return [...entries].sort(
    (a, b) => Number(b.isDefault) - Number(a.isDefault) || compareIds(b.id, a.id),
  );
}

/** The entry that becomes the default when `leaving` goes (or stops being it): the most recent. */
export function successorOf<T extends { id: string }>(
  entries: T[],
  leaving: string,
): T | undefined {
  return entries.filter((e) => e.id !== leaving).sort((a, b) => compareIds(b.id, a.id))[0];
}

/** 422 ADDRESS_BOOK_FULL when a book of `count` entries cannot take another. */
export function assertRoom(count: number): void {
  if (count >= MAX_ADDRESSES) {
    throw new UnprocessableError(
      `An address book holds at most ${MAX_ADDRESSES} addresses; remove one first`,
      "ADDRESS_BOOK_FULL",
      { max: MAX_ADDRESSES },
    );
  }
}

/**
 * The address to store, by the checkout's rules; the fields of a 422 are the book's own
 * (`phone`, not `address.phone`). Empty optional parts are left out.
 */
export function checkBookAddress(input: AddressInput): Address {
  const given: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const value = input[field];
    if (value === undefined || (OPTIONAL.has(field) && value === "")) continue;
    given[field] = value;
  }
  try {
    return checkAddress(given as AddressInput);
  } catch (err) {
    const data = (err as { data?: unknown }).data;
    if (errorType(err) && Array.isArray(data)) {
      (err as { data: unknown }).data = data.map((p: { field: string; message: string }) => ({
        ...p,
        field: p.field.replace(/^address\./, ""),
      }));
    }
    throw err;
  }
}

/** Whether two addresses are the same delivery address (for saving a checkout's address once). */
export function sameAddress(a: Address, b: Address): boolean {
  return FIELDS.every((f) => (a[f] ?? "").trim() === (b[f] ?? "").trim());
}

/** The caller's book, default first. */
export async function listAddresses(
  deps: AddressBookDeps,
  userId: string,
): Promise<SavedAddress[]> {
  const rows = await deps.models.UserAddress.findAll({ where: { userId } });
  return sortBook(rows.map(entryOf));
}

/** One entry of the caller's book; another user's → 404. */
export async function getAddress(
  deps: AddressBookDeps,
  userId: string,
  id: string,
): Promise<SavedAddress> {
  const row = await deps.models.UserAddress.findOne({ where: { id, userId } });
  if (!row) throw new NotFoundError("Address", id);
  return entryOf(row);
}

/** Adds an entry; the first of a book is the default whatever `isDefault` says. */
export function addAddress(
  deps: AddressBookDeps,
  userId: string,
  input: NewAddress,
): Promise<SavedAddress> {
  const { isDefault, ...fields } = input;
  const address = checkBookAddress(fields);
  return withUserLocked(deps, userId, async (t) => {
    const rows = await bookOf(deps, userId, t);
    assertRoom(rows.length);
    const makeDefault = rows.length === 0 || isDefault === true;
    if (makeDefault) await unsetDefault(deps, userId, t);
    const row = await deps.models.UserAddress.create(
      { ...emptyOptionals(), ...address, userId, isDefault: makeDefault ? true : null },
      { transaction: t },
    );
    return entryOf(row);
  });
}

/** Changes an entry's fields and/or its default flag. */
export function updateAddress(
  deps: AddressBookDeps,
  userId: string,
  id: string,
  patch: AddressPatch,
): Promise<SavedAddress> {
  const { isDefault, ...fields } = patch;
  return withUserLocked(deps, userId, async (t) => {
    const rows = await bookOf(deps, userId, t);
    const row = rows.find((r) => String(r.id) === id);
    if (!row) throw new NotFoundError("Address", id);
    const current = addressOf(entryOf(row));
    // A part sent empty is removed; the merged address is checked as a whole.
    const address = checkBookAddress({ ...current, ...fields } as AddressInput);
    if (isDefault === true && row.isDefault !== true) {
      await unsetDefault(deps, userId, t);
      row.isDefault = true;
    } else if (isDefault === false && row.isDefault === true) {
      const next = successorOf(rows.map(entryOf), id);
      // The only entry stays the default: a non-empty book always has one.
      if (next) {
        row.isDefault = null;
        await row.save({ transaction: t, fields: ["isDefault"] });
        await deps.models.UserAddress.update(
          { isDefault: true },
          { where: { id: next.id, userId }, transaction: t },
        );
      }
    }
    row.set({ ...emptyOptionals(), ...address });
    await row.save({ transaction: t });
    return entryOf(row);
  });
}

/** Removes an entry; removing the default makes the most recent remaining one the default. */
export function removeAddress(deps: AddressBookDeps, userId: string, id: string): Promise<void> {
  return withUserLocked(deps, userId, async (t) => {
    const rows = await bookOf(deps, userId, t);
    const row = rows.find((r) => String(r.id) === id);
    if (!row) throw new NotFoundError("Address", id);
    await row.destroy({ transaction: t });
    if (row.isDefault !== true) return;
    const next = successorOf(rows.map(entryOf), id);
    if (next) {
      await deps.models.UserAddress.update(
        { isDefault: true },
        { where: { id: next.id, userId }, transaction: t },
      );
    }
  });
}

/**
 * Saves a checkout's address in the book unless it is there already or the book is full
 * (a checkout's "save to address book": best effort, never an error for a full book).
 */
export async function rememberAddress(
  deps: AddressBookDeps,
  userId: string,
  input: AddressInput,
): Promise<"saved" | "known" | "full"> {
  const address = checkBookAddress(input);
  return withUserLocked(deps, userId, async (t) => {
    const rows = await bookOf(deps, userId, t);
    if (rows.some((r) => sameAddress(addressOf(entryOf(r)), address))) return "known";
    if (rows.length >= MAX_ADDRESSES) return "full";
    await deps.models.UserAddress.create(
      { ...emptyOptionals(), ...address, userId, isDefault: rows.length === 0 ? true : null },
      { transaction: t },
    );
    return "saved";
  });
}

/**
 * Runs `work` in a transaction holding the user's row, so that the changes of one user's book
 * (or favourites) happen one after the other. A deleted account → 401 ACCOUNT_DELETED.
 */
export function withUserLocked<T>(
  deps: { sequelize: Sequelize; models: Pick<AccountModels, "User"> },
  userId: string,
  work: (t: Transaction) => Promise<T>,
): Promise<T> {
  return transaction(
    deps.sequelize,
    async (t) => {
      const user = await deps.models.User.findByPk(userId, {
        attributes: ["id"],
        transaction: t,
        lock: t.LOCK.UPDATE,
      });
      if (!user) throw new UnauthorizedError("This account no longer exists", "ACCOUNT_DELETED");
      return work(t);
    },
    RETRY,
  );
}

function bookOf(deps: AddressBookDeps, userId: string, t: Transaction): Promise<UserAddress[]> {
  return deps.models.UserAddress.findAll({ where: { userId }, transaction: t });
}

function unsetDefault(deps: AddressBookDeps, userId: string, t: Transaction): Promise<unknown> {
  return deps.models.UserAddress.update(
    { isDefault: null },
    { where: { userId, isDefault: true }, transaction: t },
  );
}

/** Every optional part as NULL: a stored entry loses the parts its new address lacks. */
function emptyOptionals(): Record<string, null> {
  return Object.fromEntries([...OPTIONAL].map((f) => [f, null]));
}

/** Orders ids (decimal strings of BIGINTs) as numbers, without losing precision. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
