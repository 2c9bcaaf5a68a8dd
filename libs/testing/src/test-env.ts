// What global setup hands to every test file through the environment.
export interface TestEnv {
  postgresUrl: string;
  redisUrl: string;
  kafkaBrokers: string[];
  jwtSecret: string;
  runId: string;
  /** The run's SMTP sink (MailDev), its inbox's REST API, and the SMS sink with the token it accepts. */
  smtpUrl: string;
  mailWebUrl: string;
  smsUrl: string;
  smsToken: string;
}

export function testEnv(): TestEnv {
  const brokers = process.env.TEST_KAFKA_BROKERS;
  if (!brokers)
    throw new Error(
      'The integration test environment is not set up: run integration tests through jest --selectProjects integration',
    );
  return {
    postgresUrl: process.env.TEST_POSTGRES_URL!,
    redisUrl: process.env.TEST_REDIS_URL!,
    kafkaBrokers: brokers.split(','),
    jwtSecret: process.env.TEST_JWT_SECRET!,
    runId: process.env.TEST_RUN_ID!,
    smtpUrl: process.env.TEST_SMTP_URL!,
    mailWebUrl: process.env.TEST_MAIL_WEB_URL!,
    smsUrl: process.env.TEST_SMS_URL!,
    smsToken: process.env.TEST_SMS_TOKEN!,
  };
}
