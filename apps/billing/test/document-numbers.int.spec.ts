// A document's number and its issue date, against billing's real database: the number's year is the year of the issue
// time, read once the tenant's chain is held, so a document that waited for the chain across midnight of 31 December
// (another issuer held it) is numbered in the new year, as its date says.
import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { dataServiceEnv, StartedService, startService } from '@agdar/testing';
import { startBillingService } from '../src/billing-service';
import { clinicYearOf } from '../src/invoices/invoice-rules';
import { DocumentsRepository } from '../src/invoices/documents.repository';

describe('the year of a document number', () => {
  let service: StartedService;
  let invoices: DocumentsRepository;
  let em: EntityManager;

  beforeAll(async () => {
    service = await startService(startBillingService, dataServiceEnv('billing'));
    invoices = service.app.get(DocumentsRepository);
    em = service.runtime.orm!.em.fork() as EntityManager;
  });
  afterAll(async () => service?.dispose());

  it('is the year of the issue time, which is read only once the chain is held', async () => {
    const tenant = `N${randomUUID().slice(0, 6).toUpperCase()}`;
    await invoices.startChain(em.fork(), tenant);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // Another issuer holds the tenant's chain on 31 December, just before midnight in Riyadh.
    const holder = em.fork().transactional(async (tx) => {
      await tx.execute(`select 1 from document_chains where tenant = ? for update`, [tenant]);
      locked();
      await held;
    });
    await isLocked;
    let released = false;
    const readsOfTheClock: boolean[] = [];
    const newYear = new Date('2026-12-31T21:00:05Z'); // 2027-01-01 00:00:05 in Asia/Riyadh
    const waiting = em.fork().transactional((tx) =>
      invoices.reserveNumber(
        tx as EntityManager,
        tenant,
        'INV',
        (at) => clinicYearOf(at, 'Asia/Riyadh'),
        () => (readsOfTheClock.push(released), newYear),
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    released = true;
    release();
    await holder;
    const reserved = await waiting;
    expect(readsOfTheClock).toEqual([true]); // once, after the chain was released to it
    expect({ year: reserved.year, issuedAt: reserved.issuedAt, sequence: reserved.sequence }).toEqual({
      year: 2027,
      issuedAt: newYear,
      sequence: 1,
    });
  });
});
