// A real redis-server for tests: its own process on a free loopback port, a temporary folder, persistence off; with
// `tls`, TLS only, on a certificate made for the run. It can be stopped and started again on the same port (failover
// tests), and it dies with the test process.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as connectTls } from "node:tls";
import { promisify } from "node:util";
import { freePort, type Launched, launch } from "../runtimes/harness.ts";

export const REDIS_SERVER = process.env.REDIS_SERVER ?? "/usr/bin/redis-server";
const READY_TIMEOUT_MS = 10_000;

export interface RunningRedis {
  /** redis://127.0.0.1:PORT/0, or rediss:// with `tls` */
  url: string;
  /** With `tls`: the server's self-signed certificate (PEM), to trust. */
  ca?: string;
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

/** Resolves once the server answers PING, rejects when it exits first or the wait runs out. */
async function waitForPong(open: () => { socket: Socket; ready: string }, server: Launched): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!server.running()) throw new Error(`redis-server exited:\n${server.output()}`);
    const answered = await new Promise<boolean>((resolve) => {
      const { socket, ready } = open();
      socket.setTimeout(500, () => socket.destroy());
      socket.once(ready, () => socket.write("PING\r\n"));
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

/** A self-signed certificate for 127.0.0.1 in `dir` (cert.pem, key.pem). */
async function makeCertificate(dir: string): Promise<string> {
  const args = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"];
  const files = ["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")];
  const subject = ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"];
  await promisify(execFile)("openssl", [...args, ...files, ...subject], { timeout: 10_000, env: {} });
  return readFile(join(dir, "cert.pem"), "utf8");
}

export async function startRedis(options: { tls?: boolean } = {}): Promise<RunningRedis> {
  const dir = await mkdtemp(join(tmpdir(), "mcf-redis-"));
  const port = await freePort();
  let server: Launched | undefined;
  let ca: string | undefined;
  try {
    if (options.tls) ca = await makeCertificate(dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const listen = ca
    ? ["--port", "0", "--tls-port", String(port), "--tls-auth-clients", "no"].concat(
        ["--tls-cert-file", join(dir, "cert.pem"), "--tls-key-file", join(dir, "key.pem")],
        ["--tls-ca-cert-file", join(dir, "cert.pem")],
      )
    : ["--port", String(port)];
  const open = () =>
    ca
      ? { socket: connectTls({ port, host: "127.0.0.1", ca }), ready: "secureConnect" }
      : { socket: connect(port, "127.0.0.1"), ready: "connect" };

  const start = async () => {
    const args = [...listen, "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"];
    const launched = launch(REDIS_SERVER, [...args, "--protected-mode", "no", "--loglevel", "warning"], {});
    server = launched;
    try {
      await waitForPong(open, launched);
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
    url: `${ca ? "rediss" : "redis"}://127.0.0.1:${port}/0`,
    ...(ca ? { ca } : {}),
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
