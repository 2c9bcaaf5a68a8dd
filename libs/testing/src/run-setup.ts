// Starts (or reuses) the infrastructure once for the whole integration run and creates the platform's topics.
import { randomBytes } from 'node:crypto';
import { allTopics } from '@agdar/contracts';
// Only the Kafka helpers: loading the ORM's entity metadata in jest's parent process breaks it in the test contexts.
// eslint-disable-next-line @nx/enforce-module-boundaries -- a deliberate deep import of one file, see above
import { createKafka, ensureTopics } from '../../messaging/src/kafka';
import { freePort, startTestInfrastructure, TestInfrastructure } from './infrastructure';
import { MailSink, SmsSink, startMailSink, startSmsSink } from './sinks';

declare global {
  var __AGDAR_TEST_INFRA__: TestInfrastructure | undefined;
  var __AGDAR_TEST_SINKS__: [MailSink, SmsSink] | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const infra = await startTestInfrastructure();
  globalThis.__AGDAR_TEST_INFRA__ = infra;
  process.env.TEST_POSTGRES_URL = infra.postgresUrl;
  process.env.TEST_REDIS_URL = infra.redisUrl;
  process.env.TEST_KAFKA_BROKERS = infra.kafkaBrokers.join(',');
  process.env.TEST_JWT_SECRET = `test-secret-${randomBytes(12).toString('hex')}`;
  process.env.TEST_RUN_ID = randomBytes(4).toString('hex');
  const smsToken = `sms-${randomBytes(8).toString('hex')}`;
  const [mail, sms] = await Promise.all([
    freePort().then(async (smtp) => startMailSink(smtp, await freePort())),
    freePort().then((port) => startSmsSink(port, smsToken)),
  ]);
  globalThis.__AGDAR_TEST_SINKS__ = [mail, sms];
  process.env.TEST_SMTP_URL = mail.smtpUrl;
  process.env.TEST_MAIL_WEB_URL = mail.webUrl;
  process.env.TEST_SMS_URL = sms.url;
  process.env.TEST_SMS_TOKEN = smsToken;
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  await ensureTopics(createKafka({ brokers: infra.kafkaBrokers, clientId: 'test-setup' }, quiet), allTopics());
  process.stdout.write(
    `\nintegration infrastructure ready in ${((Date.now() - started) / 1000).toFixed(1)} s (kafka ${infra.kafkaBrokers.join(',')}, mail inbox ${mail.webUrl}, SMS sink ${sms.url})\n`,
  );
}
