// Billing arranged and observed through the public API: prices set by the billing team, invoices read as they are.
import { eventually } from '@agdar/testing';
import { ClinicFixture } from './clinic';

/**
 * Sets the service type's price as the billing team would. Billing learns of a service type from ServiceTypeDefined
 * a moment after it is created, so its 409 NOT_YET_KNOWN is retried until it has.
 */
export async function priceServiceType(clinic: ClinicFixture, amount = '250.00', serviceTypeId = clinic.serviceTypeId) {
  let last: { status: number; body: any } = { status: 0, body: null };
  await eventually(async () => {
    last = await clinic.billing.put(`/billing/prices/${serviceTypeId}`, { amount, currency: 'SAR' });
    return last.body?.code !== 'NOT_YET_KNOWN';
  }, `billing to learn of service type ${serviceTypeId}`);
  if (last.status !== 200) throw new Error(`setting a price failed: ${last.status} ${JSON.stringify(last.body)}`);
  return last.body;
}

/** The invoice of an appointment, once billing has it (in `status`, when given). */
export async function invoiceOf(clinic: ClinicFixture, appointmentNumber: string, status?: string) {
  let invoice: any = null;
  await eventually(
    async () => {
      const page = await clinic.billing.get(`/invoices?appointmentNumber=${encodeURIComponent(appointmentNumber)}`);
      invoice = page.body.items?.[0] ?? null;
      return !!invoice && (!status || invoice.status === status);
    },
    `the invoice of ${appointmentNumber}${status ? ` to be ${status}` : ''}`,
    30000,
  );
  return (await clinic.billing.get(`/invoices/${invoice.id}`)).body;
}
