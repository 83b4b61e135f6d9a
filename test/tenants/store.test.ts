// The tenant-store suite on node:sqlite and a real PostgreSQL. The same suite runs on bun:sqlite in a bun process
// (bun.test.ts) and on D1 inside workerd (workerd.test.ts).
import { after, before, beforeEach, describe, test } from "node:test";
import { nodeSqliteEngine, postgresEngine } from "./engines.ts";
import { CASES, type Engine, suiteContext } from "./suite.ts";

const ENGINES: [string, () => Promise<Engine>][] = [
  ["node:sqlite", nodeSqliteEngine],
  ["PostgreSQL", postgresEngine],
];

for (const [name, start] of ENGINES) {
  describe(`tenant store on ${name}`, () => {
    let engine: Engine;
    let ctx: Awaited<ReturnType<typeof suiteContext>>;
    before(async () => {
      engine = await start();
      ctx = await suiteContext(engine);
    });
    after(() => engine?.close());
    beforeEach(() => ctx.reset());
    for (const [title, run] of Object.entries(CASES)) test(title, () => run(ctx));
  });
}
