import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { operationsOf, problemWith, type Operation, type Reply } from "../helpers/fuzz.ts";
import { buildOpenApi } from "../../lib/http/openapi.ts";
import { routes } from "../../lib/http/routes/index.ts";

const json = "application/json; charset=utf-8";
const reply = (status: number, body: unknown, contentType = json): Reply => ({
  status,
  contentType,
  text: typeof body === "string" ? body : JSON.stringify(body),
  ms: 1,
});
const error = (code: number, type = "VALIDATION_ERROR") => ({
  name: "ValidationError",
  message: "bad",
  code,
  type,
  data: [{ field: "x" }],
});

describe("the fuzz suite's oracle", () => {
  const ops = operationsOf(buildOpenApi(routes, "test"));
  const login = ops.find((o) => o.method === "POST" && o.path === "/api/auth/login") as Operation;

  it("reads every route of the table as an operation, with its params, body and access", () => {
    assert.equal(ops.length, routes.length);
    const pay = ops.find((o) => o.path === "/api/orders/{id}/pay")!;
    assert.deepEqual(pay.pathParams, ["id"]);
    assert.equal(pay.idempotent, true);
    assert.deepEqual(pay.body?.required, ["card"]);
    assert.equal(ops.find((o) => o.path === "/api/checkout")!.successStatus, 201);
    assert.deepEqual(ops.find((o) => o.path === "/api/admin/users")!.access, ["admin"]);
  });

  it("accepts the documented success and errors in the API's shape", () => {
    assert.equal(problemWith(login, reply(200, { accessToken: "t" })), undefined);
    assert.equal(problemWith(login, reply(422, error(422))), undefined);
    assert.equal(
      problemWith(login, reply(401, { ...error(401, "INVALID_CREDENTIALS") })),
      undefined,
    );
  });

  it("flags a 5xx, a hang, and errors outside the shape", () => {
    assert.match(problemWith(login, reply(500, error(500, "INTERNAL_ERROR")))!, /500/);
    assert.match(problemWith(login, undefined)!, /hang/);
    assert.match(problemWith(login, reply(422, error(400)))!, /code 400 on a 422/);
    assert.match(problemWith(login, reply(422, error(422, "validation")))!, /SCREAMING_SNAKE/);
    assert.match(problemWith(login, reply(422, { ...error(422), stack: "at x" }))!, /stack/);
    assert.match(problemWith(login, reply(404, "Not found", "text/html"))!, /text\/html/);
    assert.match(problemWith(login, reply(431, "", ""))!, /no content type/);
    assert.match(problemWith(login, reply(201, {}))!, /documented 200/);
  });
});
