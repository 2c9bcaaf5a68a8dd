// A TCP proxy in front of a service that can lose the service's answer on purpose: the change is made, the caller
// never hears of it. What a crash between commit and answer, or a network cut, looks like to the caller.
import { createConnection, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of a service that, while `armed`, lets the request through and cuts the connection the moment
 * the service starts answering, after calling `onAnswer` (which may SIGKILL the service): the change is committed, the
 * answer never reaches the gateway.
 */
export class AnswerCutter {
  armed = false;
  onAnswer: () => void = () => undefined;
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: () => number): Promise<AnswerCutter> {
    let cutter: AnswerCutter;
    const server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: targetPort() });
      for (const socket of [client, upstream]) {
        cutter.sockets.add(socket);
        socket.on('close', () => cutter.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => {
        if (!cutter.armed) return void client.write(chunk);
        cutter.armed = false;
        cutter.onAnswer();
        client.destroy();
        upstream.destroy();
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cutter = new AnswerCutter(server, (server.address() as { port: number }).port);
    return cutter;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
