import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsyncApiDocument } from './asyncapi';
import { EVENT_DEFINITIONS } from './event-registry';
import { allTopics } from './topics';

describe('the AsyncAPI document', () => {
  const document = buildAsyncApiDocument();

  it('is current: docs/asyncapi.json is what the contracts say (npm run docs:asyncapi writes it)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'asyncapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('has a channel for every topic and dead-letter topic, and a message for every event type', () => {
    expect(Object.keys(document.channels).sort()).toEqual(
      allTopics()
        .map((t) => t.name)
        .sort(),
    );
    expect(Object.keys(document.components.messages).sort()).toEqual(EVENT_DEFINITIONS.map((d) => d.type).sort());
  });
});
