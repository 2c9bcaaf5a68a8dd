// A TCP proxy a test can cut and restore: the way to take a real server (PostgreSQL, say) away from a service under
// test, and give it back, without stopping the server every other test shares.
import { createConnection, createServer, Server, Socket } from 'node:net';
import { Transform } from 'node:stream';

export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private readonly pairs = new Set<{ client: Socket; toUpstream: Transform }>();
  private open = true;
  private holding = false;
  private delayMs = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Listens on a free port of 127.0.0.1 and forwards each connection to `host:port` while open. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => {
      if (!proxy?.open) return void client.destroy();
      const upstream = createConnection(target);
      for (const socket of [client, upstream]) {
        proxy.sockets.add(socket);
        socket.on('close', () => proxy!.sockets.delete(socket));
        socket.on('error', () => undefined); // the other side is closed with it below
      }
      // What clients send waits `delayMs` on its way (0: passed on at once): a slow network or a slow server.
      const delayed = new Transform({
        transform: (chunk, _encoding, done) => {
          const ms = proxy!.delayMs;
          if (ms === 0) return done(null, chunk);
          setTimeout(() => done(null, chunk), ms);
        },
      });
      delayed.pipe(upstream);
      const pair = { client, toUpstream: delayed };
      proxy.pairs.add(pair);
      if (!proxy.holding) client.pipe(delayed);
      upstream.pipe(client).on('close', () => upstream.destroy());
      client.on('close', () => (upstream.destroy(), delayed.destroy(), proxy!.pairs.delete(pair)));
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new TcpProxy(server, (server.address() as { port: number }).port);
    return proxy;
  }

  /**
   * Drops every connection and refuses new ones, as a server that went away: the port stops listening, so a client
   * connecting meanwhile is refused (ECONNREFUSED) rather than accepted and dropped.
   */
  cut(): void {
    this.open = false;
    for (const socket of this.sockets) socket.destroy();
    if (this.server.listening) this.server.close();
  }

  restore(): void {
    this.open = true;
    if (!this.server.listening) this.server.listen(this.port, '127.0.0.1');
  }

  /** Delays everything clients send by `ms` from now on (0 takes the delay away): slowed, not cut. */
  slow(ms: number): void {
    this.delayMs = ms;
  }

  /**
   * Stops forwarding what clients send (answers still come back), so nothing a client sends from now on reaches the
   * server: a client killed while held leaves the server with half a request, which it discards.
   */
  holdUpstream(): void {
    this.holding = true;
    for (const { client, toUpstream } of this.pairs) client.unpipe(toUpstream);
  }

  /**
   * Forwards again, for connections made from now on. The held ones are closed on both sides: what their clients sent
   * while held (a dead client's last bytes, still buffered here) must never reach the server.
   */
  releaseUpstream(): void {
    this.holding = false;
    for (const { client, toUpstream } of this.pairs) {
      client.destroy();
      toUpstream.destroy();
    }
  }

  async stop(): Promise<void> {
    this.cut();
    this.open = false;
    for (const socket of this.sockets) socket.destroy();
    if (this.server.listening) await new Promise((resolve) => this.server.close(resolve));
  }
}
