// Bundled into a Worker by test/tenants/workerd.test.ts: the tenant-store suite inside workerd, on its D1 binding.
import { d1Dialect } from "../../proxy/tenants/index.ts";
import { CASES, suiteContext } from "./suite.ts";

export default {
  async fetch(_request: Request, env: { TENANTS: Parameters<typeof d1Dialect>[0] }): Promise<Response> {
    const ctx = await suiteContext({
      name: "D1 in workerd",
      dialect: () => d1Dialect(env.TENANTS),
      close: async () => {},
    });
    const results: { name: string; error?: string }[] = [];
    for (const [name, run] of Object.entries(CASES)) {
      try {
        await ctx.reset();
        await run(ctx);
        results.push({ name });
      } catch (error) {
        results.push({ name, error: String((error as Error)?.stack ?? error) });
      }
    }
    return Response.json({ results });
  },
};
