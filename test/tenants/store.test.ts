import { after, before, beforeEach, describe, test } from "node:test";
import { d1Engine, nodeSqliteEngine, postgresEngine } from "./engines.ts";
import { CASES, type Engine, suiteContext } from "./suite.ts";

const ENGINES: [string, () => Promise<Engine>][] = [
  ["node:sqlite", nodeSqliteEngine],
  ["D1 through Miniflare", d1Engine],
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
