// Documents the API renders (a printable invoice, a CSV export) need the bearer token, so they are fetched and handed
// to the browser as a file rather than linked.
import { callDocument } from '../../api/client';

export async function openPrintable(invoiceId: string): Promise<void> {
  const html = await callDocument('getInvoiceDocument', { params: { id: invoiceId } });
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

export async function downloadExport(from: string, to: string): Promise<void> {
  const csv = await callDocument('exportInvoices', { query: { from, to } });
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `invoices-${from}-${to}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
