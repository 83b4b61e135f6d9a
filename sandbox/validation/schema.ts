import inventoryModel from "../../spec/fbaInventory.json" with { type: "json" };
import outboundModel from "../../spec/fulfillmentOutbound_2020-07-01.json" with { type: "json" };

/** The subset of Swagger 2.0 schema keywords Amazon's models use. */
interface SchemaNode {
  $ref?: string;
  type?: string;
  format?: string;
  required?: string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: unknown[];
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  additionalProperties?: SchemaNode | boolean;
}

type Definitions = Record<string, SchemaNode>;

const OUTBOUND = outboundModel.definitions as unknown as Definitions;
const INVENTORY = inventoryModel.definitions as unknown as Definitions;

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/**
 * Checks a value against a model definition: required fields, types, enums, lengths, item counts, date-times.
 * Returns one message per problem, each naming the field by its JSON path.
 */
function check(definitions: Definitions, node: SchemaNode, value: unknown, path: string, out: string[]): void {
  if (node.$ref) {
    const name = node.$ref.replace("#/definitions/", "");
    const target = definitions[name];
    if (!target) throw new Error(`unknown model definition ${name}`);
    check(definitions, target, value, path, out);
    return;
  }
  const label = path || "body";
  switch (node.type) {
    case "object": {
      if (describe(value) !== "object") {
        out.push(`${label} must be an object.`);
        return;
      }
      const record = value as Record<string, unknown>;
      for (const key of node.required ?? []) {
        if (record[key] === undefined || record[key] === null) out.push(`${join(path, key)} is required.`);
        else if (typeof record[key] === "string" && record[key].trim() === "")
          out.push(`${join(path, key)} must not be empty.`);
      }
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        if (record[key] !== undefined && record[key] !== null)
          check(definitions, child, record[key], join(path, key), out);
      }
      if (typeof node.additionalProperties === "object") {
        for (const [key, child] of Object.entries(record)) {
          if (!node.properties?.[key]) check(definitions, node.additionalProperties, child, join(path, key), out);
        }
      }
      return;
    }
    case "array": {
      if (!Array.isArray(value)) {
        out.push(`${label} must be an array.`);
        return;
      }
      if (node.maxItems !== undefined && value.length > node.maxItems)
        out.push(`${label} must have at most ${node.maxItems} entries.`);
      if (node.minItems !== undefined && value.length < node.minItems)
        out.push(`${label} must have at least ${node.minItems} entries.`);
      const items = node.items;
      if (items) {
        value.forEach((entry, i) => {
          check(definitions, items, entry, `${label}[${i}]`, out);
        });
      }
      return;
    }
    case "string": {
      if (typeof value !== "string") {
        out.push(`${label} must be a string.`);
        return;
      }
      if (node.enum && !node.enum.includes(value)) out.push(`${label} must be one of: ${node.enum.join(", ")}.`);
      if (node.maxLength !== undefined && value.length > node.maxLength)
        out.push(`${label} exceeds the maximum length of ${node.maxLength}.`);
      if (node.minLength !== undefined && value.length < node.minLength)
        out.push(`${label} must be at least ${node.minLength} characters long.`);
      if (node.format === "date-time" && (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value))))
        out.push(`${label} must be an ISO 8601 date-time.`);
      return;
    }
    case "integer":
    case "number": {
      if (
        typeof value !== "number" ||
        !Number.isFinite(value) ||
        (node.type === "integer" && !Number.isInteger(value))
      ) {
        out.push(`${label} must be ${node.type === "integer" ? "an integer" : "a number"}.`);
        return;
      }
      if (node.minimum !== undefined && value < node.minimum) out.push(`${label} must be at least ${node.minimum}.`);
      if (node.maximum !== undefined && value > node.maximum) out.push(`${label} must be at most ${node.maximum}.`);
      return;
    }
    case "boolean":
      if (typeof value !== "boolean") out.push(`${label} must be a boolean.`);
      return;
    default:
      if (node.enum && !node.enum.includes(value)) out.push(`${label} must be one of: ${node.enum.join(", ")}.`);
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

export function validateOutbound(definition: string, value: unknown): string[] {
  const out: string[] = [];
  check(OUTBOUND, { $ref: `#/definitions/${definition}` }, value, "", out);
  return out;
}

export function validateInventory(definition: string, value: unknown): string[] {
  const out: string[] = [];
  check(INVENTORY, { $ref: `#/definitions/${definition}` }, value, "", out);
  return out;
}

/** The same checks against another model's definitions (Fulfillment Outbound 2026-07-04). */
export function validateModel(definitions: Record<string, unknown>, definition: string, value: unknown): string[] {
  const out: string[] = [];
  check(definitions as Definitions, { $ref: `#/definitions/${definition}` }, value, "", out);
  return out;
}

/** A single string field's model limit, so rules on path and query parameters reuse the model's numbers. */
export function outboundMaxLength(definition: string, property: string): number | undefined {
  return OUTBOUND[definition]?.properties?.[property]?.maxLength;
}
