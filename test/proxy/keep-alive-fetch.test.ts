// The Node entry's keep-alive fetch: the fetch semantics the upstream clients rely on, over pooled connections.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { createKeepAliveFetch } from "../../proxy/entries/node.ts";

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  remotePort: number;
}

describe("createKeepAliveFetch", () => {
  const seen: Seen[] = [];
  let server: http.Server;
  let base: string;
  const client = createKeepAliveFetch();

  before(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        seen.push({
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body,
          remotePort: req.socket.remotePort ?? 0,
        });
        if (req.url === "/slow") return void setTimeout(() => res.end("late"), 5_000).unref();
        if (req.url === "/empty") return void res.writeHead(204).end();
        res.writeHead(req.url === "/missing" ? 404 : 200, [
          ["content-type", "application/json"],
          ["x-amzn-RequestId", "req-1"],
          ["set-cookie", "a=1"],
          ["set-cookie", "b=2"],
        ]);
        res.end(JSON.stringify({ echo: body }));
      });
    });
    server.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    client.close();
    server.closeAllConnections();
    server.close();
  });

  test("sends method, headers and a string body; answers status, headers and body like fetch", async () => {
    const response = await client.fetch(`${base}/preview`, {
      method: "POST",
      headers: { "x-amz-access-token": "t", "content-type": "application/json" },
      body: '{"a":1}',
    });
    assert.equal(response.status, 200);
    assert.equal(response.ok, true);
    assert.equal(response.headers.get("x-amzn-requestid"), "req-1");
    assert.deepEqual(response.headers.getSetCookie(), ["a=1", "b=2"]);
    assert.deepEqual(await response.json(), { echo: '{"a":1}' });
    const last = seen.at(-1)!;
    assert.equal(last.method, "POST");
    assert.equal(last.headers["x-amz-access-token"], "t");
    assert.equal(last.headers["content-length"], "7");
  });

  test("a URLSearchParams body is form-encoded; error statuses and 204 are answers, not failures", async () => {
    const form = await client.fetch(new URL(`${base}/token`), {
      method: "POST",
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "Atzr|x" }),
    });
    assert.equal(form.status, 200);
    assert.equal(seen.at(-1)!.headers["content-type"], "application/x-www-form-urlencoded;charset=UTF-8");
    assert.equal(seen.at(-1)!.body, "grant_type=refresh_token&refresh_token=Atzr%7Cx");
    const missing = await client.fetch(`${base}/missing`);
    assert.equal(missing.status, 404);
    assert.equal(missing.ok, false);
    const empty = await client.fetch(`${base}/empty`, { method: "DELETE" });
    assert.equal(empty.status, 204);
    assert.equal(await empty.text(), "");
  });

  test("reuses one connection for sequential calls", async () => {
    await client.fetch(`${base}/one`);
    await client.fetch(`${base}/two`);
    const [one, two] = seen.slice(-2);
    assert.equal(one!.remotePort, two!.remotePort);
  });

  test("an aborted call rejects with the signal's reason (a timeout stays a TimeoutError)", async () => {
    await assert.rejects(client.fetch(`${base}/slow`, { signal: AbortSignal.timeout(50) }), { name: "TimeoutError" });
    const controller = new AbortController();
    controller.abort(new Error("shopper left"));
    await assert.rejects(client.fetch(`${base}/one`, { signal: controller.signal }), /shopper left/);
  });

  test("unreachable hosts reject; other inputs go to the global fetch", async () => {
    await assert.rejects(client.fetch("http://127.0.0.1:1/"), { code: "ECONNREFUSED" });
    const viaGlobal = await client.fetch(new Request(`${base}/request-object`));
    assert.equal(viaGlobal.status, 200);
    assert.equal(seen.at(-1)!.url, "/request-object");
    const data = await client.fetch("data:text/plain,hello");
    assert.equal(await data.text(), "hello");
  });
});
