// A real redis-server for tests: its own process on a free loopback port, a temporary folder, persistence off. It can
// be stopped and started again on the same port (failover tests), and it dies with the test process.
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, type Launched, launch } from "../runtimes/harness.ts";

export const REDIS_SERVER = process.env.REDIS_SERVER ?? "/usr/bin/redis-server";
const READY_TIMEOUT_MS = 10_000;

export interface RunningRedis {
  /** redis://127.0.0.1:PORT/0 */
  url: string;
  port: number;
  /** Kills the server (SIGKILL: as a crash looks to clients). */
  kill(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open but nothing answers, as a stalled server looks. */
  pause(): void;
  resume(): void;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Resolves once the server answers PING over TCP, rejects when it exits first or the wait runs out. */
async function waitForPong(port: number, server: Launched): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!server.running()) throw new Error(`redis-server exited:\n${server.output()}`);
    const answered = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.setTimeout(500, () => socket.destroy());
      socket.once("connect", () => socket.write("PING\r\n"));
      socket.once("data", (data) => {
        socket.destroy();
        resolve(data.toString().startsWith("+PONG"));
      });
      socket.once("error", () => resolve(false));
      socket.once("close", () => resolve(false));
    });
    if (answered) return;
    if (performance.now() > deadline) {
      throw new Error(`redis-server did not answer within ${READY_TIMEOUT_MS} ms:\n${server.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

export async function startRedis(): Promise<RunningRedis> {
  const dir = await mkdtemp(join(tmpdir(), "mcf-redis-"));
  const port = await freePort();
  let server: Launched | undefined;

  const start = async () => {
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"];
    const launched = launch(REDIS_SERVER, [...args, "--protected-mode", "no", "--loglevel", "warning"], {});
    server = launched;
    try {
      await waitForPong(port, launched);
    } catch (error) {
      launched.child.kill("SIGKILL");
      await launched.exited;
      throw error;
    }
  };
  const kill = async () => {
    if (!server?.running()) return;
    server.child.kill("SIGCONT"); // a paused process must wake to die
    server.child.kill("SIGKILL");
    await server.exited;
  };

  try {
    await start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    kill,
    pause: () => server?.child.kill("SIGSTOP"),
    resume: () => server?.child.kill("SIGCONT"),
    restart: async () => {
      await kill();
      await start();
    },
    close: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
