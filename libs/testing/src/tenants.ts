// For a service tested on its own: announce a tenant as scheduling would (TenantCreated on its topic), and wait until
// the service serves it.
import { Kafka, Partitioners } from 'kafkajs';
import { buildEnvelope } from '@agdar/messaging';
import { TenantCreated } from '@agdar/contracts';
import { ApiClient } from './api-client';
import { eventually } from './eventually';
import { testEnv } from './test-env';

export async function announceTenant(
  code: string,
  serviceUrl: string,
  brokers = testEnv().kafkaBrokers,
): Promise<void> {
  const kafka = new Kafka({ clientId: 'test-tenant-announcer', brokers, logLevel: 0 });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const data = { code, name: `Clinic ${code}`, timezone: 'Asia/Riyadh', currency: 'SAR', vatRate: 0.15 };
    const envelope = buildEnvelope(TenantCreated, data, {
      tenant: code,
      actor: 'test',
      correlationId: `announce-${code}`,
    });
    await producer.send({
      topic: TenantCreated.topic.name,
      acks: -1,
      messages: [{ key: TenantCreated.keyOf(data), value: JSON.stringify(envelope) }],
    });
  } finally {
    await producer.disconnect();
  }
  const client = new ApiClient(serviceUrl).asRole(code, 'reception');
  await eventually(
    async () => (await client.get('/patients')).status === 200,
    `the service to know tenant ${code}`,
    40000,
  );
}
