// The Taqnyat adapter against a local server that speaks Taqnyat's documented API (POST /v1/messages, bearer token,
// international numbers without + or 00, a sender name of at most 11 characters, UTF-8 bodies): what it sends, and
// which refusals it gives up on.
import { freePort, SmsInbox, SmsSink, startSmsSink } from '@agdar/testing';
import { SendFailure } from '../src/channels/channel';
import { TaqnyatSms } from '../src/channels/sms';

describe('the Taqnyat SMS adapter', () => {
  let sink: SmsSink;
  let inbox: SmsInbox;
  const token = 'adapter-test-token';

  beforeAll(async () => {
    sink = await startSmsSink(await freePort(), token);
    inbox = new SmsInbox(sink.url);
  });
  afterAll(async () => sink?.stop());

  const adapter = (overrides: Partial<{ token: string; sender: string }> = {}) =>
    new TaqnyatSms({ url: sink.url, token, sender: 'AgdarClinic', ...overrides });
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: SendFailure) => ({ permanent: error.permanent, answer: error.providerAnswer }),
    );

  it('sends Arabic text to the number without its +, from the sender name, and keeps the provider’s message id', async () => {
    const text = 'عيادة أقدار: تم حجز موعدك APT-AGDAR-2026-1 يوم الأربعاء 10:00.';
    const accepted = await adapter().send({ to: '+966501234567', text, dedupeKey: 'k1' });
    const [received] = await inbox.to('+966501234567');
    expect(received).toMatchObject({ recipients: ['966501234567'], body: text, sender: 'AgdarClinic' });
    expect(accepted.messageId).toBe(String(received.messageId));
    expect(JSON.parse(accepted.providerAnswer)).toMatchObject({ statusCode: 201, msgLength: 1 });
  });

  it('gives up on a refusal that would be refused again, with the provider’s answer', async () => {
    expect(
      await failureOf(adapter({ token: 'wrong' }).send({ to: '+966501234568', text: 'x', dedupeKey: 'k2' })),
    ).toEqual({
      permanent: true,
      answer: expect.stringMatching(/^401 .*Unauthorized/),
    });
    expect(await failureOf(adapter().send({ to: '12', text: 'x', dedupeKey: 'k3' }))).toEqual({
      permanent: true,
      answer: expect.stringMatching(/^400 .*international numbers/),
    });
    expect(await inbox.to('+966501234568')).toEqual([]);
  });

  it('tries again later when the provider is throttling or down, or does not answer', async () => {
    await inbox.failNext(1, 429, { statusCode: 429, message: 'Too many requests' });
    expect(await failureOf(adapter().send({ to: '+966501234569', text: 'x', dedupeKey: 'k4' }))).toEqual({
      permanent: false,
      answer: expect.stringMatching(/^429 /),
    });
    await inbox.failNext(1, 503, { statusCode: 503, message: 'Service unavailable' });
    expect(await failureOf(adapter().send({ to: '+966501234569', text: 'x', dedupeKey: 'k5' }))).toEqual({
      permanent: false,
      answer: expect.stringMatching(/^503 /),
    });
    const nowhere = new TaqnyatSms({ url: `http://127.0.0.1:${await freePort()}`, token, sender: 'AgdarClinic' });
    expect(await failureOf(nowhere.send({ to: '+966501234569', text: 'x', dedupeKey: 'k6' }))).toEqual({
      permanent: false,
      answer: null,
    });
    expect(await inbox.to('+966501234569')).toEqual([]);
  });
});
