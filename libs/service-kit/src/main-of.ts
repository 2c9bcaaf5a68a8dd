// What every service's main.ts does: start from the environment, say in one line why it cannot, stop cleanly on
// SIGTERM/SIGINT (finishing in-flight requests, the relay batch and consumer commits).
import { ConfigError } from './config';
import { RunningService } from './run-service';

export function mainOf(name: string, start: (env: NodeJS.ProcessEnv) => Promise<RunningService>): void {
  start(process.env).then(
    (service) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        service.runtime.logger.log(`${signal} received, shutting down`, 'shutdown');
        const force = setTimeout(() => process.exit(1), 15000);
        force.unref();
        service.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    },
    (error: Error) => {
      const line = error instanceof ConfigError ? error.message : `could not start: ${error.message}`;
      process.stderr.write(`${name}: ${line}\n`);
      process.exit(1);
    },
  );
}
