import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { CancelledBy, InvoiceStatus, ParticipantStatus } from '@agdar/contracts';

/** A patient's seat in a session, with its own number, status, prerequisites and notes. */
@Entity({ tableName: 'participants' })
export class Participant {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  tenant!: string;

  @Property({ type: 'uuid' })
  sessionId!: string;

  @Property({ type: 'uuid' })
  patientId!: string;

  @Property({ type: 'text' })
  appointmentNumber!: string;

  @Property({ type: 'text' })
  status: ParticipantStatus = 'BOOKED';

  @Property({ type: 'boolean' })
  financeCleared: boolean = false;

  @Property({ type: 'boolean' })
  consentVerified: boolean = false;

  /** Copied from the session so the database can keep one patient out of two overlapping sessions. */
  @Property({ type: 'Date', columnType: 'timestamptz' })
  startsAt!: Date;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  endsAt!: Date;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  confirmationSentAt: Date | null = null;

  /** The participant's invoice, as billing's InvoiceStatusChanged last told. */
  @Property({ type: 'text', nullable: true })
  invoiceNumber: string | null = null;

  @Property({ type: 'text', nullable: true })
  invoiceStatus: InvoiceStatus | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  arrivalAt: Date | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz', nullable: true })
  attendedAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  individualNotes: string | null = null;

  @Property({ type: 'text', nullable: true })
  noShowReason: string | null = null;

  @Property({ type: 'text', nullable: true })
  noShowNotes: string | null = null;

  @Property({ type: 'text', nullable: true })
  cancellationReason: string | null = null;

  /** Who cancelled the seat: the patient (the fee policy applies) or the clinic (never charged); null while not. */
  @Property({ type: 'text', nullable: true })
  cancelledBy: CancelledBy | null = null;

  @Property({ type: 'Date', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'Date', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}
