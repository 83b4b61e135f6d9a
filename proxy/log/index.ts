// Structured logs that can never carry a secret: every line passes through a redactor that knows the configured
// secrets, every access token seen at runtime, and the shapes of Amazon's tokens.

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

export const REDACTED = "[redacted]";

/** Keys whose values are secret whatever they hold. */
const SECRET_KEYS =
  /^(authorization|x-amz-access-token|x-order-token|cookie|set-cookie|.*secret.*|.*password.*|.*token.*|quote|access_token|refresh_token|client_secret)$/i;
/** Amazon LWA access (Atza|) and refresh (Atzr|) tokens, and bearer credentials in free text. */
const TOKEN_SHAPES = /(Atz[ar]\|[A-Za-z0-9._~+/=|-]+|Bearer\s+[A-Za-z0-9._~+/=-]+)/g;
/** A whole LWA access or refresh token, which TOKEN_SHAPES redacts wherever it appears. */
const LWA_TOKEN = /^Atz[ar]\|[A-Za-z0-9._~+/=|-]+$/;

export interface Redactor {
  /** Remember a secret learned at runtime (e.g. a fresh access token). */
  add(secret: string | undefined): void;
  text(value: string): string;
  value<T>(value: T): T;
}

export function createRedactor(secrets: (string | undefined)[] = []): Redactor {
  const known = new Set<string>();
  const add = (secret: string | undefined) => {
    // Short strings would redact ordinary words; configuration rejects secrets that short anyway. LWA's tokens are
    // redacted by their shape, so they are not kept: a connector learns a new access token per tenant every hour.
    if (secret && secret.length >= 8 && !LWA_TOKEN.test(secret)) known.add(secret);
  };
  for (const secret of secrets) add(secret);

  const text = (input: string): string => {
    // Known secrets first: a token shape inside one would otherwise leave the rest of it behind.
    let output = input;
    for (const secret of known) if (output.includes(secret)) output = output.split(secret).join(REDACTED);
    return output.replace(TOKEN_SHAPES, REDACTED);
  };

  const value = <T>(input: T, depth = 0): T => {
    if (typeof input === "string") return text(input) as T;
    if (input instanceof Error) {
      return { ...value({ ...input }, depth + 1), name: input.name, message: text(input.message) } as T;
    }
    if (Array.isArray(input)) return input.map((item) => value(item, depth + 1)) as T;
    if (input && typeof input === "object" && depth < 8) {
      const output: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(input)) {
        output[key] = SECRET_KEYS.test(key) && item !== undefined && item !== null ? REDACTED : value(item, depth + 1);
      }
      return output as T;
    }
    return input;
  };

  return { add, text, value: (input) => value(input) };
}

/** JSON lines on the console, redacted. */
export function consoleLogger(redactor: Redactor, minimum: LogLevel = "info"): Logger {
  const order: LogLevel[] = ["debug", "info", "warn", "error"];
  return {
    log(level, message, fields = {}) {
      if (order.indexOf(level) < order.indexOf(minimum)) return;
      const line = JSON.stringify(redactor.value({ time: new Date().toISOString(), level, message, ...fields }));
      if (level === "error" || level === "warn") console.error(line);
      else console.log(line);
    },
  };
}

/** Wraps any logger so whatever reaches it is redacted first. */
export function redactingLogger(inner: Logger, redactor: Redactor): Logger {
  return {
    log(level, message, fields) {
      inner.log(level, redactor.text(message), fields ? redactor.value(fields) : undefined);
    },
  };
}
