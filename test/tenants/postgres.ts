// A real PostgreSQL for tests: initdb in a temporary folder, postgres on a free loopback port, stopped afterwards.
// PostgreSQL refuses to run as root, so under root the server runs as the `postgres` (or `nobody`) user.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "../runtimes/harness.ts";

/** Debian installs each major version under /usr/lib/postgresql/<major>/bin: the newest one, unless PG_BIN says. */
function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return join(root, majors[0] ?? "15", "bin");
}

const PG_BIN = postgresBin();
const READY_TIMEOUT_MS = 20_000;

export interface RunningPostgres {
  /** postgres://mcf@127.0.0.1:PORT/postgres */
  url: string;
  close(): Promise<void>;
}

/** Under root: the uid/gid of a user PostgreSQL accepts. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ["postgres", "nobody"]) {
    try {
      const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
      return { uid, gid };
    } catch {}
  }
  throw new Error("running as root and neither a postgres nor a nobody user exists");
}

function run(command: string, args: string[], user: { uid: number; gid: number } | undefined): ChildProcess {
  return spawn(join(PG_BIN, command), args, {
    env: { PATH: process.env.PATH ?? "", LANG: "C", LC_ALL: "C" },
    stdio: ["ignore", "pipe", "pipe"],
    ...(user ?? {}),
  });
}

function collect(child: ChildProcess): () => string {
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  return () => output;
}

export async function startPostgres(): Promise<RunningPostgres> {
  if (!existsSync(join(PG_BIN, "initdb"))) throw new Error(`no PostgreSQL in ${PG_BIN} (apt-get install postgresql)`);
  const user = serverUser();
  const dir = await mkdtemp(join(tmpdir(), "mcf-pg-"));
  let server: ChildProcess | undefined;
  try {
    if (user) await chown(dir, user.uid, user.gid);
    const data = join(dir, "data");
    const initdb = run("initdb", ["-D", data, "-U", "mcf", "-A", "trust", "-E", "UTF8", "--no-sync"], user);
    const initOutput = collect(initdb);
    const code = await new Promise<number | null>((resolve) => initdb.once("exit", resolve));
    if (code !== 0) throw new Error(`initdb failed:\n${initOutput()}`);
    const port = await freePort();
    server = run(
      "postgres",
      ["-D", data, "-p", String(port), "-h", "127.0.0.1", "-k", dir, "-c", "fsync=off", "-c", "full_page_writes=off"],
      user,
    );
    const output = collect(server);
    const exited = new Promise<void>((resolve) => server!.once("exit", () => resolve()));
    const url = `postgres://mcf@127.0.0.1:${port}/postgres`;
    const deadline = performance.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`postgres exited:\n${output()}`);
      const client = new pg.Client({ connectionString: url });
      try {
        await client.connect();
        await client.end();
        break;
      } catch {
        await client.end().catch(() => {});
      }
      if (performance.now() > deadline)
        throw new Error(`postgres did not answer in ${READY_TIMEOUT_MS} ms:\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const running = server;
    return {
      url,
      async close() {
        running.kill("SIGINT"); // fast shutdown
        const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(r, 10_000, false))]);
        if (!stopped) running.kill("SIGKILL");
        await exited;
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    server?.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
