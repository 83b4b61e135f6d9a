/**
 * Amazon's models as JSON Schema (ajv): every reply the tests receive from an SP-API path is validated against the
 * response schema the model declares for that operation and status, errors included. Objects are closed
 * (`additionalProperties: false`) so a misspelt field name fails too.
 */
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import inventoryModel from "../../spec/fbaInventory.json" with { type: "json" };
import outboundModel from "../../spec/fulfillmentOutbound_2020-07-01.json" with { type: "json" };
import outbound2026Model from "../../spec/fulfillmentOutbound_2026-07-04.json" with { type: "json" };

interface Operation {
  responses: Record<string, { schema?: unknown; headers?: Record<string, unknown> }>;
}
type Model = { paths: Record<string, Record<string, Operation>>; definitions: Record<string, unknown> };

/** Drops vendor extensions and closes objects that declare their properties. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-") || key === "example") continue;
    out[key] =
      key === "properties"
        ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toJsonSchema(v)]))
        : toJsonSchema(value);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const format of ["int32", "int64", "double", "float"]) ajv.addFormat(format, true);

const models: { id: string; model: Model }[] = [
  { id: "outbound", model: outboundModel as unknown as Model },
  { id: "inventory", model: inventoryModel as unknown as Model },
  { id: "outbound2026", model: outbound2026Model as unknown as Model },
];
for (const { id, model } of models) {
  const definitions = toJsonSchema(model.definitions) as Record<string, unknown>;
  ajv.addSchema(JSON.parse(JSON.stringify({ definitions }).replaceAll('"#/definitions/', `"${id}#/definitions/`)), id);
}

interface Route {
  method: string;
  pattern: RegExp;
  template: string;
  id: string;
  operation: Operation;
}

const routes: Route[] = [];
for (const { id, model } of models) {
  for (const [template, methods] of Object.entries(model.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!operation.responses) continue;
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
      routes.push({ method: method.toUpperCase(), pattern, template, id, operation });
    }
  }
}
// Literal paths first so /items/inventory does not match /items/{sellerSku}.
routes.sort((a, b) => a.template.split("{").length - b.template.split("{").length);

const compiled = new Map<string, ValidateFunction>();

export function routeFor(method: string, path: string): Route | undefined {
  const pathname = path.split("?")[0] ?? path;
  return routes.find((r) => r.method === method.toUpperCase() && r.pattern.test(pathname));
}

/** Throws with ajv's errors when `body` is not what the model declares for this operation and status. */
export function assertConforms(method: string, path: string, status: number, body: unknown, headers: Headers): void {
  const route = routeFor(method, path);
  if (!route) throw new Error(`no model operation for ${method} ${path}`);
  const response = route.operation.responses[String(status)];
  // A response the model declares without a schema (2026-07-04's 204s) has no body at all.
  if (response && !response.schema && status === 204) {
    if (body !== undefined) throw new Error(`${method} ${route.template} 204 has a body: ${JSON.stringify(body)}`);
    if (!headers.get("x-amzn-requestid")) throw new Error(`${method} ${path} ${status}: no x-amzn-RequestId header`);
    return;
  }
  if (!response?.schema) throw new Error(`${method} ${route.template} declares no ${status} response`);
  if (!headers.get("x-amzn-requestid")) throw new Error(`${method} ${path} ${status}: no x-amzn-RequestId header`);
  if (
    status !== 429 &&
    response.headers?.["x-amzn-RateLimit-Limit"] &&
    !headers.get("x-amzn-ratelimit-limit") &&
    route.id.startsWith("outbound") &&
    !route.template.endsWith("/status")
  )
    throw new Error(`${method} ${path} ${status}: no x-amzn-RateLimit-Limit header`);
  const key = `${route.id}:${route.method}:${route.template}:${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    const schema = JSON.parse(
      JSON.stringify(toJsonSchema(response.schema)).replaceAll('"#/definitions/', `"${route.id}#/definitions/`),
    );
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  if (!validate(body)) {
    throw new Error(
      `${method} ${route.template} ${status} does not match the model:\n${ajv.errorsText(validate.errors, { separator: "\n" })}\n${JSON.stringify(body, null, 2).slice(0, 2000)}`,
    );
  }
}

/** Statuses seen per operation, so a test can prove breadth. */
export const seen = new Map<string, Set<number>>();

export function record(method: string, path: string, status: number): void {
  const route = routeFor(method, path);
  if (!route) return;
  const key = `${route.method} ${route.template}`;
  if (!seen.has(key)) seen.set(key, new Set());
  seen.get(key)?.add(status);
}
