// The development SMS sink on its own (for docker-compose): speaks Taqnyat's API on SMS_SINK_PORT, accepts the bearer
// token SMS_SINK_TOKEN, and shows what it received at / (a page) and /messages (JSON).
import { startSmsSink } from '@agdar/testing';

const port = Number(process.env.SMS_SINK_PORT ?? 3005);
const token = process.env.SMS_SINK_TOKEN ?? 'local-sms-sink-token';
startSmsSink(port, token, '0.0.0.0').then(
  (sink) => process.stdout.write(`sms-sink: listening on port ${port} (${sink.url})\n`),
  (error: Error) => {
    process.stderr.write(`sms-sink: cannot listen on port ${port} (${error.message}): free it or set SMS_SINK_PORT\n`);
    process.exit(1);
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
