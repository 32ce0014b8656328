import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { checkAddress, compactPhone, isChineseMobile } from "../../lib/orders/address.ts";

const CHINESE = {
  name: "张伟",
  phone: "13800138000",
  province: "浙江省",
  city: "杭州市",
  district: "西湖区",
  line1: "文三路 90 号",
  country: "CN",
};

/** The 422 `type` and the fields `checkAddress` names for `input`. */
function refusal(input: Parameters<typeof checkAddress>[0]): { type: string; fields: string[] } {
  try {
    checkAddress(input);
  } catch (err) {
    const e = err as { code: number; type: string; data: { field: string }[] };
    assert.equal(e.code, 422);
    return { type: e.type, fields: e.data.map((d) => d.field) };
  }
  assert.fail("the address was accepted");
}

describe("checkAddress (API.md, Address)", () => {
  it("accepts a Chinese address with province, city, district and a mobile number", () => {
    assert.deepEqual(checkAddress(CHINESE), CHINESE);
  });

  it("defaults the country to CN and upper-cases a two-letter code", () => {
    const { country, ...rest } = CHINESE;
    assert.equal(country, "CN");
    assert.equal(checkAddress(rest).country, "CN");
    assert.equal(checkAddress({ ...CHINESE, country: "cn" }).country, "CN");
  });

  it("accepts mobile numbers as shoppers type them: +86, spaces, hyphens", () => {
    for (const phone of ["+86 138 0013 8000", "+8613800138000", "138-0013-8000", "19912345678"]) {
      assert.equal(checkAddress({ ...CHINESE, phone }).phone, phone, phone);
    }
  });

  it("refuses a Chinese number that is not an 11-digit mobile with INVALID_PHONE", () => {
    for (const phone of ["1380013800", "138001380001", "12800138000", "010-12345678", "phone"]) {
      assert.deepEqual(refusal({ ...CHINESE, phone }), {
        type: "INVALID_PHONE",
        fields: ["address.phone"],
      });
    }
  });

  it("refuses a Chinese address without its province or city with ADDRESS_INCOMPLETE", () => {
    assert.deepEqual(refusal({ ...CHINESE, province: " " }), {
      type: "ADDRESS_INCOMPLETE",
      fields: ["address.province"],
    });
    assert.deepEqual(refusal({ ...CHINESE, province: "", city: "" }), {
      type: "ADDRESS_INCOMPLETE",
      fields: ["address.province", "address.city"],
    });
    const { province, ...noProvince } = CHINESE;
    assert.ok(province);
    assert.equal(refusal(noProvince).type, "ADDRESS_INCOMPLETE", "a district without a province");
  });

  it("keeps the older shape (line1, city, country) valid", () => {
    const older = { name: "Ada", phone: "+86 138 0000 0000", line1: "1 Road", city: "Hangzhou" };
    assert.deepEqual(checkAddress({ ...older, country: "CN" }), { ...older, country: "CN" });
  });

  it("keeps other countries' phone numbers loose but refuses letters", () => {
    const us = { name: "Ann", phone: "+1 (555) 010-9999", line1: "1 Main St", city: "Boston" };
    assert.equal(checkAddress({ ...us, country: "US" }).country, "US");
    assert.equal(refusal({ ...us, phone: "call me", country: "US" }).type, "INVALID_PHONE");
  });

  it("refuses a country that is not a two-letter code with INVALID_COUNTRY", () => {
    for (const country of ["China", "C", "C1", ""]) {
      assert.deepEqual(refusal({ ...CHINESE, country }), {
        type: "INVALID_COUNTRY",
        fields: ["address.country"],
      });
    }
  });
});

describe("phone helpers", () => {
  it("compactPhone drops spaces, hyphens and dots", () => {
    assert.equal(compactPhone("+86 138-0013.8000"), "+8613800138000");
  });

  it("isChineseMobile knows 1[3-9] and nine digits, with an optional +86", () => {
    assert.ok(isChineseMobile("+86 13800138000"));
    assert.ok(!isChineseMobile("11800138000"));
  });
});
