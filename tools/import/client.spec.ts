import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { PatientsApi } from '@agdar/contracts';
import { Api, ApiError } from './client';
import { Fatal } from './options';

/** A gateway that answers each request with the next of `answers`, recording what it was asked. */
async function gateway(answers: { status: number; body?: unknown; headers?: Record<string, string> }[]) {
  const asked: string[] = [];
  const server: Server = createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    const answer = answers.shift() ?? { status: 500 };
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const api = new Api(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, 'token');
  return { api, asked, close: () => new Promise((r) => server.close(r)) };
}

const search = (api: Api) => api.call(PatientsApi.searchPatients, { query: { externalId: 'L 1', pageSize: 1 } });

describe("the importer's client", () => {
  it('calls the declared method and path with the query, and waits out a 503', async () => {
    const g = await gateway([
      { status: 503, headers: { 'retry-after': '0' } },
      { status: 200, body: { items: [], total: 0, page: 1, pageSize: 1 } },
    ]);
    try {
      expect(await search(g.api)).toMatchObject({ items: [] });
      expect(g.asked).toEqual([
        'GET /api/patients?externalId=L+1&pageSize=1',
        'GET /api/patients?externalId=L+1&pageSize=1',
      ]);
    } finally {
      await g.close();
    }
  });

  it.each([
    [401, 'the gateway refused IMPORT_TOKEN (token expired); get a new admin token and run again'],
    [403, 'IMPORT_TOKEN may not do this (token expired); use an admin'],
    [413, 'raise its BODY_LIMIT'],
  ])('stops the whole run on %i, in one line', async (status, line) => {
    const g = await gateway([{ status, body: { code: 'X', detail: 'token expired' } }]);
    try {
      const error = await search(g.api).catch((e) => e);
      expect(error).toBeInstanceOf(Fatal);
      expect(error.message).toContain(line);
    } finally {
      await g.close();
    }
  });

  it("hands any other refusal to the caller, with the platform's code and detail", async () => {
    const g = await gateway([{ status: 422, body: { code: 'PATIENT_EXISTS', detail: 'already registered' } }]);
    try {
      const error = await search(g.api).catch((e) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 422, code: 'PATIENT_EXISTS', detail: 'already registered' });
    } finally {
      await g.close();
    }
  });
});
