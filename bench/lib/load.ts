// Loopback load generation with node:http and a keep-alive agent: closed loops for throughput, one request at a
// time for latency. Bounded by count and by time, so a stuck server cannot hang a benchmark.
import http from "node:http";

export interface Target {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Answer {
  status: number;
  body: string;
  ms: number;
}

export function request(agent: http.Agent, target: Target): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      target.url,
      {
        agent,
        method: target.method ?? (target.body === undefined ? "GET" : "POST"),
        headers: {
          ...(target.body === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(target.body) }),
          ...target.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - started,
          }),
        );
        res.on("error", reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end(target.body);
  });
}

/** `connections` closed loops for `durationMs` (after `warmupMs`): completed requests per second. */
export async function throughput(
  target: Target,
  options: { connections: number; durationMs: number; warmupMs: number; expectStatus?: number },
): Promise<{ requestsPerSecond: number; requests: number; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  let counting = false;
  let stop = false;
  let requests = 0;
  let errors = 0;
  const loop = async () => {
    while (!stop) {
      try {
        const answer = await request(agent, target);
        if (counting) {
          if (answer.status === (options.expectStatus ?? 200)) requests++;
          else errors++;
        }
      } catch {
        if (counting) errors++;
      }
    }
  };
  const loops = Array.from({ length: options.connections }, loop);
  await new Promise((resolve) => setTimeout(resolve, options.warmupMs));
  counting = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, options.durationMs));
  counting = false;
  const elapsed = performance.now() - started;
  stop = true;
  await Promise.all(loops);
  agent.destroy();
  return { requestsPerSecond: (requests * 1000) / elapsed, requests, errors };
}
