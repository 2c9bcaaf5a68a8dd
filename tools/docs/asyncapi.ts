// Writes docs/asyncapi.json from the contracts. Run after changing a topic or an event: `npm run docs:asyncapi`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsyncApiDocument } from '@agdar/contracts';

const target = join(__dirname, '..', '..', 'docs', 'asyncapi.json');
writeFileSync(target, JSON.stringify(buildAsyncApiDocument(), null, 2) + '\n');
process.stdout.write(`docs: wrote ${target}\n`);
