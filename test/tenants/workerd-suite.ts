// Bundled into a Worker by test/tenants/workerd.test.ts: the tenant-store suite inside workerd, on its D1 binding.
import { d1Dialect } from "../../proxy/tenants/index.ts";
import { runCases } from "./suite.ts";

export default {
  async fetch(_request: Request, env: { TENANTS: Parameters<typeof d1Dialect>[0] }): Promise<Response> {
    const results = await runCases({
      name: "D1 in workerd",
      dialect: () => d1Dialect(env.TENANTS),
      close: async () => {},
    });
    return Response.json({ results });
  },
};
