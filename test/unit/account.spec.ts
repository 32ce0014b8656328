/**
 * The address book's and the favourites' rules (lib/users/addresses.ts, favorites.ts) on a
 * SQLite database, without a broker: the first entry is the default, one default per user even
 * under concurrent changes, the successor of a removed default, the limits, another user's ids.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Sequelize } from "sequelize";
import { connectDatabase, createSequelize } from "../../lib/db.ts";
import { migrate } from "../../lib/migrate.ts";
import { defineAccountModels, type AccountModels } from "../../lib/users/account-models.ts";
import {
  addAddress,
  assertRoom,
  checkBookAddress,
  getAddress,
  listAddresses,
  MAX_ADDRESSES,
  rememberAddress,
  removeAddress,
  sortBook,
  successorOf,
  updateAddress,
} from "../../lib/users/addresses.ts";
import {
  addFavorite,
  favoriteIds,
  favoritesPage,
  MAX_FAVORITES,
  removeFavorite,
} from "../../lib/users/favorites.ts";
import { defineUserModels } from "../../lib/users/models.ts";

const HOME = {
  name: "张伟",
  phone: "13800138000",
  province: "浙江省",
  city: "杭州市",
  district: "西湖区",
  line1: "文三路 90 号",
};
const typeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return "none";
  } catch (err) {
    return (err as { type: string }).type;
  }
};

describe("address book and favourites rules (pure)", () => {
  it("sorts the default first, then the most recent (ids compared as numbers)", () => {
    const sorted = sortBook([
      { id: "9", isDefault: false },
      { id: "10", isDefault: false },
      { id: "2", isDefault: true },
    ]);
    assert.deepEqual(
      sorted.map((e) => e.id),
      ["2", "10", "9"],
    );
  });

  it("makes the most recent remaining entry the successor of a leaving default", () => {
    const book = [{ id: "3" }, { id: "12" }, { id: "7" }];
    assert.equal(successorOf(book, "12")?.id, "7");
    assert.equal(successorOf(book, "3")?.id, "12");
    assert.equal(successorOf([{ id: "3" }], "3"), undefined);
  });

  it("refuses a 21st address with 422 ADDRESS_BOOK_FULL", () => {
    assert.doesNotThrow(() => assertRoom(MAX_ADDRESSES - 1));
    assert.throws(() => assertRoom(MAX_ADDRESSES), { code: 422, type: "ADDRESS_BOOK_FULL" });
  });

  it("checks an entry by the checkout's rules, naming the book's own fields", () => {
    assert.throws(
      () => checkBookAddress({ ...HOME, phone: "12345" }),
      (err: { type: string; data: Array<{ field: string }> }) => {
        assert.equal(err.type, "INVALID_PHONE");
        assert.equal(err.data[0].field, "phone");
        return true;
      },
    );
    assert.throws(() => checkBookAddress({ ...HOME, province: "" }), {
      type: "ADDRESS_INCOMPLETE",
    });
    assert.deepEqual(checkBookAddress({ ...HOME, postalCode: "" }), { ...HOME, country: "CN" });
  });

  it("pages the favourites still for sale and names the gone ones", () => {
    const products = [
      { id: "1", available: true, name: "a" },
      { id: "2", available: false, name: "b" },
      { id: "3", available: true, name: "c" },
    ];
    const out = favoritesPage(["3", "2", "4", "1"], products, 1, 1);
    assert.deepEqual(out.rows, [{ id: "3", name: "c" }]);
    assert.equal(out.total, 2);
    assert.deepEqual(out.gone, ["2", "4"]);
    assert.deepEqual(favoritesPage(["3", "2", "4", "1"], products, 2, 1).rows, [
      { id: "1", name: "a" },
    ]);
  });
});

describe("address book and favourites in the database", () => {
  let dir: string;
  let sequelize: Sequelize;
  let deps: { sequelize: Sequelize; models: AccountModels };
  let users: ReturnType<typeof defineUserModels>;
  let n = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "account-"));
    const url = `sqlite:${join(dir, "a.sqlite")}`;
    sequelize = createSequelize({ url });
    await connectDatabase(sequelize, url);
    await migrate(sequelize);
    users = defineUserModels(sequelize);
    deps = { sequelize, models: defineAccountModels(sequelize, users.User) };
  });
  after(async () => {
    await sequelize.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const newUser = async () =>
    String(
      (
        await users.User.create({
          email: `u${++n}@test.example`,
          name: "u",
          passwordHash: "x",
          role: "customer",
        })
      ).id,
    );
  const defaults = async (userId: string) =>
    (await listAddresses(deps, userId)).filter((e) => e.isDefault).map((e) => e.id);

  it("makes the first address the default, and another on request (the old one stops)", async () => {
    const u = await newUser();
    const first = await addAddress(deps, u, { ...HOME, isDefault: false });
    assert.equal(first.isDefault, true, "the first is the default whatever it says");
    assert.equal(first.country, "CN");
    const second = await addAddress(deps, u, { ...HOME, line1: "二号" });
    assert.equal(second.isDefault, false);
    const third = await addAddress(deps, u, { ...HOME, line1: "三号", isDefault: true });
    assert.equal(third.isDefault, true);
    assert.deepEqual(await defaults(u), [third.id]);
    const list = await listAddresses(deps, u);
    assert.deepEqual(
      list.map((e) => e.id),
      [third.id, second.id, first.id],
      "default first, then newest",
    );
    await updateAddress(deps, u, first.id, { isDefault: true });
    assert.deepEqual(await defaults(u), [first.id]);
  });

  it("hands the default to the most recent remaining entry when it is removed or unset", async () => {
    const u = await newUser();
    const a = await addAddress(deps, u, HOME);
    const b = await addAddress(deps, u, { ...HOME, line1: "b" });
    const c = await addAddress(deps, u, { ...HOME, line1: "c" });
    await removeAddress(deps, u, a.id);
    assert.deepEqual(await defaults(u), [c.id]);
    await updateAddress(deps, u, c.id, { isDefault: false });
    assert.deepEqual(await defaults(u), [b.id]);
    await removeAddress(deps, u, c.id);
    await updateAddress(deps, u, b.id, { isDefault: false });
    assert.deepEqual(await defaults(u), [b.id], "the only entry stays the default");
    await removeAddress(deps, u, b.id);
    assert.deepEqual(await listAddresses(deps, u), []);
    const d = await addAddress(deps, u, HOME);
    assert.equal(d.isDefault, true, "an emptied book's next entry is the default");
  });

  it("keeps one default under concurrent changes", async () => {
    const u = await newUser();
    const made = [];
    for (let i = 0; i < 6; i++) made.push(await addAddress(deps, u, { ...HOME, line1: `${i}` }));
    await Promise.all([
      ...made.map((e) => updateAddress(deps, u, e.id, { isDefault: true })),
      addAddress(deps, u, { ...HOME, line1: "x", isDefault: true }),
      removeAddress(deps, u, made[0].id),
    ]);
    assert.equal((await defaults(u)).length, 1);
  });

  it("holds at most 20, also under concurrent adds", async () => {
    const u = await newUser();
    const outcomes = await Promise.all(
      Array.from({ length: MAX_ADDRESSES + 5 }, (_, i) =>
        typeOf(addAddress(deps, u, { ...HOME, line1: `${i}` })),
      ),
    );
    assert.equal(outcomes.filter((o) => o === "none").length, MAX_ADDRESSES);
    assert.equal(outcomes.filter((o) => o === "ADDRESS_BOOK_FULL").length, 5);
    assert.equal((await listAddresses(deps, u)).length, MAX_ADDRESSES);
    assert.equal(await rememberAddress(deps, u, { ...HOME, line1: "more" }), "full");
  });

  it("answers another user's entry as none (404) and leaves it alone", async () => {
    const owner = await newUser();
    const other = await newUser();
    const mine = await addAddress(deps, owner, HOME);
    assert.equal(await typeOf(getAddress(deps, other, mine.id)), "NOT_FOUND");
    assert.equal(await typeOf(updateAddress(deps, other, mine.id, { name: "x" })), "NOT_FOUND");
    assert.equal(await typeOf(removeAddress(deps, other, mine.id)), "NOT_FOUND");
    assert.deepEqual(await getAddress(deps, owner, mine.id), mine);
  });

  it("patches fields, checked as a whole; an optional part sent empty is removed", async () => {
    const u = await newUser();
    const e = await addAddress(deps, u, { ...HOME, postalCode: "310012" });
    const changed = await updateAddress(deps, u, e.id, { postalCode: "", name: "李娜" });
    assert.equal(changed.name, "李娜");
    assert.equal("postalCode" in changed, false);
    assert.equal(await typeOf(updateAddress(deps, u, e.id, { phone: "1" })), "INVALID_PHONE");
    assert.equal((await getAddress(deps, u, e.id)).phone, HOME.phone, "nothing changed");
  });

  it("remembers a checkout's address once", async () => {
    const u = await newUser();
    assert.equal(await rememberAddress(deps, u, HOME), "saved");
    assert.equal(await rememberAddress(deps, u, { ...HOME, country: "cn" }), "known");
    const book = await listAddresses(deps, u);
    assert.equal(book.length, 1);
    assert.equal(book[0].isDefault, true);
  });

  it("takes a deleted account's book and favourites along", async () => {
    const u = await newUser();
    await addAddress(deps, u, HOME);
    await addFavorite(deps, u, "42");
    await users.User.destroy({ where: { id: u } });
    assert.equal(await deps.models.UserAddress.count({ where: { userId: u } }), 0);
    assert.equal(await deps.models.UserFavorite.count({ where: { userId: u } }), 0);
    assert.equal(await typeOf(addAddress(deps, u, HOME)), "ACCOUNT_DELETED");
  });

  it("adds and removes favourites idempotently, newest first, at most 500", async () => {
    const u = await newUser();
    await Promise.all([addFavorite(deps, u, "1"), addFavorite(deps, u, "1")]);
    await addFavorite(deps, u, "2");
    await addFavorite(deps, u, "1");
    assert.deepEqual(await favoriteIds(deps, u), ["2", "1"]);
    await removeFavorite(deps, u, "2");
    await removeFavorite(deps, u, "2");
    assert.deepEqual(await favoriteIds(deps, u), ["1"]);
    const now = new Date();
    await deps.models.UserFavorite.bulkCreate(
      Array.from({ length: MAX_FAVORITES - 1 }, (_, i) => ({
        userId: u,
        productId: String(1000 + i),
        createdAt: now,
      })),
    );
    assert.equal(await typeOf(addFavorite(deps, u, "9")), "FAVORITES_FULL");
    assert.equal(await typeOf(addFavorite(deps, u, "1")), "none", "a kept one is still fine");
  });
});
